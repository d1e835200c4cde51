"""Fixtures of the office's browser tests: the API tests' populated database, served by `changzhu serve`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from api_support import identity_key_env, populated_sqlite
from office_support import office, server

__all__ = ["identity_key_env", "office", "populated_sqlite", "server"]
