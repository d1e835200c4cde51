"""Dates as people write them: 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日 or 20260601."""

from __future__ import annotations

import re
from datetime import date

# 2026-06-01, 2026/6/1, 2026.6.1, 2026年6月1日 (time of day 00:00 allowed, as Excel writes dates); and 20260601
DATE_PATTERN = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:[ T]0?0:00(?::00(?:\.0+)?)?)?$"
COMPACT_DATE_PATTERN = r"^(\d{4})(\d{2})(\d{2})$"


def read_written_date(word: str) -> date | None:
    """The date a word writes in one of the accepted forms, or None (not a date, or no such day)."""
    found = re.match(DATE_PATTERN, word.strip()) or re.match(COMPACT_DATE_PATTERN, word.strip())
    if found is None:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        return None
