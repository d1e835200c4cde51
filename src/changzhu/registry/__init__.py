"""Persistence: regions, population statistics, residents and their histories (SQLAlchemy 2 + Alembic)."""
