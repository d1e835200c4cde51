"""The service's database engine with timeouts: connecting and each statement give up in bounded time (503).

CHANGZHU_DB_CONNECT_TIMEOUT_S bounds opening a connection; CHANGZHU_DB_STATEMENT_TIMEOUT_MS bounds every
statement (PostgreSQL `statement_timeout`, which includes waiting for row locks; SQLite's busy timeout, the
wait for the write lock held by another process).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from changzhu.api.settings import ApiSettings
from changzhu.store.db import make_engine

QUERY_CANCELED = "57014"  # PostgreSQL: canceling statement due to statement timeout


def apply_timeouts(engine: Engine, settings: ApiSettings) -> Engine:
    """Install the connect and statement timeouts on `engine` (pooled connections are reopened with them)."""
    statement_ms, connect_s = settings.db_statement_timeout_ms, settings.db_connect_timeout_s
    if engine.dialect.name == "postgresql":

        def on_do_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
            cparams["connect_timeout"] = connect_s
            cparams["options"] = f"{cparams.get('options', '')} -c statement_timeout={statement_ms}".strip()

        event.listen(engine, "do_connect", on_do_connect)
    elif engine.dialect.name == "sqlite":

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA busy_timeout={int(statement_ms)}")

        event.listen(engine, "connect", on_connect)
    engine.dispose()  # connections opened before the listeners were installed are closed, not reused
    return engine


def service_engine(settings: ApiSettings) -> Engine:
    """The engine for the settings' database URL, with the timeouts."""
    return apply_timeouts(make_engine(settings.database_url, check=False), settings)
