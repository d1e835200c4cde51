"""Settings from the environment: where data lives and which database to use."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "CHANGZHU_DATA_DIR"
DATABASE_URL_ENV = "CHANGZHU_DATABASE_URL"
DEFAULT_DATA_DIR = Path(".changzhu")
SQLITE_FILE_NAME = "changzhu.sqlite3"


def data_dir() -> Path:
    """The directory for the embedded database and other local state (CHANGZHU_DATA_DIR, default ./.changzhu)."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def database_url() -> str:
    """CHANGZHU_DATABASE_URL if set (e.g. postgresql+psycopg://user@host/db), else the SQLite file in data_dir()."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{(data_dir() / SQLITE_FILE_NAME).as_posix()}"
