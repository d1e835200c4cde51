"""Loaders for the real datasets shipped in changzhu/data/files; each validates on load."""

from changzhu.data.errors import DataFileError

__all__ = ["DataFileError"]
