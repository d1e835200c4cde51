"""The two languages the system speaks: Chinese by default, English on request."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    """A language of the text shown to people (reports, decision sheets, explanations)."""

    ZH = "zh"
    EN = "en"


def with_code(name: str, code: str, lang: Lang) -> str:
    """A region's name with its code, as each language's typography writes it: full-width brackets in Chinese,
    "深圳市（440300）"; ASCII with a space in English, "Shenzhen (440300)". Without a name, the code alone."""
    if not name or name == code:
        return code
    return f"{name}（{code}）" if lang == Lang.ZH else f"{name} ({code})"
