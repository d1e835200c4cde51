"""The two languages the system speaks: Chinese by default, English on request."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    """A language of the text shown to people (reports, decision sheets, explanations)."""

    ZH = "zh"
    EN = "en"
