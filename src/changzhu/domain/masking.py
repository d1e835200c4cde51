"""How an identity number (or a phone number) is shown to people: one mask for the resident page, the releases
list, the upload error report and preview, and the import's list of rows left out."""

from __future__ import annotations


def mask(value: str) -> str:
    """All but the first two and last two characters hidden: 51**************2X (a value of 4 characters or fewer
    hidden whole)."""
    return value[:2] + "*" * (len(value) - 4) + value[-2:] if len(value) > 4 else "*" * len(value)
