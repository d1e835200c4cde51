"""Fixtures of the ledger tests: test identity keys and a peer database (`engine` is tests/conftest.py's)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Test keys from the environment, and a scratch data dir."""
    monkeypatch.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
    monkeypatch.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "data"))


@pytest.fixture
def peer_url(database_url: str, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A second fresh database of the same kind as `database_url`: the other instance's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'peer.sqlite3'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_peer"
    admin = create_engine(url.set(database="test"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
