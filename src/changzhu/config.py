"""Settings from the environment: where data, policies and scenarios live and which database to use."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from changzhu.errors import ChangzhuError

HOME_ENV = "CHANGZHU_HOME"
DATABASE_URL_ENV = "CHANGZHU_DATABASE_URL"
CACHE_DIR_ENV = "CHANGZHU_CACHE_DIR"
THREADS_ENV = "CHANGZHU_THREADS"
POLICY_DIR_ENV = "CHANGZHU_POLICY_DIR"
SCENARIOS_DIR_ENV = "CHANGZHU_SCENARIOS_DIR"
SQLITE_FILE_NAME = "changzhu.sqlite3"


def data_dir() -> Path:
    """The directory for the embedded database, keys and other local state: CHANGZHU_HOME, else the per-user data
    directory ($XDG_DATA_HOME/changzhu, by default ~/.local/share/changzhu), the same from any working directory."""
    explicit = os.environ.get(HOME_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "changzhu"


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


def shipped_dir(name: str) -> Path:
    """A data directory shipped inside the package (found through importlib.resources, so wheels work)."""
    return Path(str(files("changzhu").joinpath(name)))


def policy_dir() -> Path:
    """The policy directory in use: CHANGZHU_POLICY_DIR, else the policies shipped with the package."""
    explicit = os.environ.get(POLICY_DIR_ENV)
    return Path(explicit).expanduser() if explicit else shipped_dir("rules/policies")


def scenarios_dir() -> Path:
    """The reform scenario files offered: CHANGZHU_SCENARIOS_DIR, else the scenarios shipped with the package."""
    explicit = os.environ.get(SCENARIOS_DIR_ENV)
    return Path(explicit).expanduser() if explicit else shipped_dir("scenarios")


def threads() -> int:
    """Threads the compiled rules use (CHANGZHU_THREADS, default: every CPU this process may run on)."""
    explicit = os.environ.get(THREADS_ENV)
    if explicit:
        if not explicit.strip().isdigit() or int(explicit) < 1:
            raise ChangzhuError(f"{THREADS_ENV}={explicit!r}: give a whole number of threads, at least 1")
        return int(explicit)
    return max(1, len(os.sched_getaffinity(0)))


def create_private_once(path: Path, content: bytes) -> bool:
    """Write `content` to `path` with mode 600 unless the file exists; True if this call created it.

    The file appears whole or not at all (written aside, then hard-linked into place), so a concurrent
    reader never sees it empty and two processes racing to create it agree on one content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            return False
        return True
    finally:
        aside.unlink()
