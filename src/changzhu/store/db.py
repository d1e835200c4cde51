"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from changzhu.config import database_url
from changzhu.errors import ChangzhuError


class DatabaseUnavailable(ChangzhuError, RuntimeError):
    """The database URL is malformed or the server cannot be reached."""


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _enable_sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on; write-ahead log (readers never block the writer, one fsync per commit, still durable)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str | None = None, *, check: bool = True) -> Engine:
    """An engine for `url` (default: configured URL); with check=True, connect once and fail clearly."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(
            f"数据库地址 {url!r} 不是有效的 SQLAlchemy 地址（如 postgresql+psycopg://用户@主机/数据库）"
            f" / database URL {url!r} is not a valid SQLAlchemy URL (e.g. postgresql+psycopg://user@host/database)"
        ) from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=True)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseUnavailable(
            f"数据库地址 {_redacted(url)}：不支持的驱动（{exc}）"
            f" / database URL {_redacted(url)}: unsupported driver ({exc})"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    if check:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            shown = _redacted(url)  # said in both languages, the error line showing its own (domain.refusals.uncoded)
            raise DatabaseUnavailable(
                f"无法连接数据库 {shown}：{reason}（请检查 CHANGZHU_DATABASE_URL 和数据库服务器）"
                f" / cannot reach database {shown}: {reason} (check CHANGZHU_DATABASE_URL and the database server)"
            ) from exc
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
