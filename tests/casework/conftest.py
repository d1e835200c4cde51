"""Fixtures of the casework tests: test identity keys (the migrated `engine` is tests/conftest.py's)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Test keys from the environment, and a scratch data dir."""
    monkeypatch.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
    monkeypatch.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "data"))
