"""Key files are created whole or not at all, even when processes race to create them."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from changzhu.config import create_private_once


def _create_and_read(path_text: str, content: bytes) -> bytes:
    path = Path(path_text)
    create_private_once(path, content)
    return path.read_bytes()


def test_the_first_creator_wins_and_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.key"
    assert create_private_once(path, b"first\n")
    assert not create_private_once(path, b"second\n")
    assert path.read_bytes() == b"first\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["audit.key"]


def test_racing_processes_never_read_an_empty_or_mixed_file(tmp_path: Path) -> None:
    for attempt in range(5):
        path = tmp_path / f"race{attempt}" / "audit.key"
        contents = [f"{n:064x}\n".encode() for n in range(8)]
        with multiprocessing.get_context("fork").Pool(8) as pool:
            seen = pool.starmap(_create_and_read, [(str(path), c) for c in contents])
        assert len(set(seen)) == 1
        assert seen[0] in contents
