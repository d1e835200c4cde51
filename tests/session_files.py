"""Outputs built once per test session and shared by the xdist workers, in the directory the controlling process
made for them (CHANGZHU_TEST_SHARED, tests/conftest.py).

Imported by tests/conftest.py (the migrated SQLite file, the validation figures, the demo) and tests/api/api_support.py
(the populated SQLite file).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def built_once(name: str, build: Callable[[Path], None]) -> Path:
    """The folder `name` in the session's shared directory, filled by `build` once per test session: by whichever
    xdist worker asks first, under a file lock, while the others wait and then read what it made."""
    root = Path(os.environ["CHANGZHU_TEST_SHARED"])
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".complete").touch()
    return folder
