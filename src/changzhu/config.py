"""Settings from the environment: where data lives and which database to use."""

from __future__ import annotations

import os
from pathlib import Path

from changzhu.errors import ChangzhuError

DATA_DIR_ENV = "CHANGZHU_DATA_DIR"
DATABASE_URL_ENV = "CHANGZHU_DATABASE_URL"
CACHE_DIR_ENV = "CHANGZHU_CACHE_DIR"
THREADS_ENV = "CHANGZHU_THREADS"
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


def cache_dir() -> Path:
    """Where compiled rule kernels are kept between runs (CHANGZHU_CACHE_DIR, else $XDG_CACHE_HOME/changzhu)."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "changzhu"


def threads() -> int:
    """Threads the compiled rules use (CHANGZHU_THREADS, default: every CPU this process may run on)."""
    explicit = os.environ.get(THREADS_ENV)
    if explicit:
        if not explicit.strip().isdigit() or int(explicit) < 1:
            raise ChangzhuError(f"{THREADS_ENV}={explicit!r}: give a whole number of threads, at least 1")
        return int(explicit)
    return max(1, len(os.sched_getaffinity(0)))
