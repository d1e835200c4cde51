"""Accounts, roles and jurisdiction scopes: who may see what."""
