"""Shared fixtures: a fresh database on SQLite and on PostgreSQL for every test that asks for one.

PostgreSQL is CHANGZHU_TEST_PG_URL (`make test` starts a throwaway server when none runs, tools/with_postgres.sh),
else 127.0.0.1:5432; a test that needs it fails, never skips, when it is unreachable. The session's kernel cache and
data directory are temporary directories made once by the controlling process, so xdist workers share the compiled
kernels and no test writes to the user's own directories.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

PG_ADMIN_URL = os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SESSION_DIRS = {"CHANGZHU_CACHE_DIR": "changzhu-test-cache-", "CHANGZHU_HOME": "changzhu-test-home-"}


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process (before xdist starts its workers, which inherit the environment): a temporary
    kernel cache and data directory for the whole session, unless given."""
    if hasattr(config, "workerinput"):
        return
    made = []
    for name, prefix in SESSION_DIRS.items():
        if not os.environ.get(name):
            os.environ[name] = tempfile.mkdtemp(prefix=prefix)
            made.append(os.environ[name])
    config.stash[_MADE] = made


def pytest_unconfigure(config: pytest.Config) -> None:
    for path in config.stash.get(_MADE, []):
        shutil.rmtree(path, ignore_errors=True)


_MADE = pytest.StashKey[list[str]]()


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_reachable() -> bool:
    try:
        with _pg_admin_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test, dropped afterwards."""
    if not _pg_reachable():
        pytest.fail(
            f"PostgreSQL at {PG_ADMIN_URL} is unreachable: run the tests with `make test` (it starts a throwaway "
            "server) or `tools/with_postgres.sh .venv/bin/python -m pytest ...`, or set CHANGZHU_TEST_PG_URL"
        )
    name = f"changzhu_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A new SQLite file for this test."""
    return f"sqlite:///{tmp_path / 'changzhu.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh database URL, once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))
