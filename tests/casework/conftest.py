"""Fixtures of the casework tests: test identity keys and a migrated engine on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from changzhu.registry.migrate import upgrade
from changzhu.store.db import make_engine


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Test keys from the environment, and a scratch data dir."""
    monkeypatch.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
    monkeypatch.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "data"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty registry on each database."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()
