"""The session's PostgreSQL templates: a database built once per test session (migrated, or populated for the API
tests) and copied for each test with `CREATE DATABASE … TEMPLATE` (a file copy inside the server, about 0.1 s).

Imported by tests/conftest.py (the migrated template) and tests/api/api_support.py (the populated one); the
controlling process names the session (SESSION_ENV) and drops its templates when it ends (tests/conftest.py).
"""

from __future__ import annotations

import os
import uuid
import zlib
from collections.abc import Callable

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SESSION_ENV = "CHANGZHU_TEST_SESSION"
# + the session's name and the template's kind: changzhu_tpl_<session>_migrated, changzhu_tpl_<session>_api
TEMPLATE_PREFIX = "changzhu_tpl_"
_SESSION = uuid.uuid4().hex[:12]  # outside pytest (no session name given): this process's own templates


def template_copy(url: str, kind: str, fill: Callable[[Engine], str | None]) -> str | None:
    """Make the PostgreSQL database at `url` a copy of the session's template of `kind`, which `fill` builds in the
    first process that asks (under the server's advisory lock, which the xdist workers share: one builds while the
    others wait); returns what `fill` returned when it built the template (kept as the template's comment)."""
    session = os.environ.get(SESSION_ENV) or _SESSION
    template, target = f"{TEMPLATE_PREFIX}{session}_{kind}", make_url(url).database
    lock = zlib.crc32(template.encode())
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock})
            try:
                if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}):
                    build_template(conn, template, fill)
                note = conn.scalar(
                    text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"),
                    {"n": template},
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{target}" TEMPLATE "{template}"'))
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock})
    finally:
        admin.dispose()
    return note


def build_template(conn: Connection, name: str, fill: Callable[[Engine], str | None]) -> None:
    """A new database filled by `fill` (its result, if any, as the database's comment), given the name `name` only
    once complete (built under another name, then renamed), so no process copies a half-built template."""
    from changzhu.store.db import make_engine

    building = f"{name}_building"
    conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
    conn.execute(text(f'CREATE DATABASE "{building}"'))
    engine = make_engine(make_url(PG_ADMIN_URL).set(database=building).render_as_string(hide_password=False))
    try:
        note = fill(engine)
    finally:
        engine.dispose()  # a template must have no open connection
    if note is not None:
        escaped = note.replace("'", "''")
        conn.execute(text(f"COMMENT ON DATABASE \"{building}\" IS '{escaped}'"))
    conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
