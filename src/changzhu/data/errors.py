"""The error a damaged or inconsistent data file raises: which file, which line, which column, why."""

from __future__ import annotations

from pathlib import Path

from changzhu.errors import ChangzhuError


class DataFileError(ChangzhuError, ValueError):
    """A shipped or user-supplied data file that cannot be used as it is."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None, column: str | None = None):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.reason = message
        where = self.path.name
        if line is not None:
            where += f" line {line}"
        if column is not None:
            where += f" column {column!r}"
        super().__init__(f"{where}: {message}")
