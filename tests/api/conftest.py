"""Fixtures of the API tests; they live in api_support.py, a uniquely named module the tests also import from."""

from api_support import db_service, identity_key_env, populated_sqlite, service, shared_app

__all__ = ["db_service", "identity_key_env", "populated_sqlite", "service", "shared_app"]
