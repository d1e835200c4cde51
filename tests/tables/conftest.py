"""Fixtures of the table tests that store residents: test identity keys (the migrated `engine` on each database is
tests/conftest.py's)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Test keys from the environment, and a scratch data dir."""
    monkeypatch.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
    monkeypatch.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
    monkeypatch.setenv("CHANGZHU_DATA_DIR", str(tmp_path / "data"))
