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


def region_label(name: str, code: str, lang: Lang) -> str:
    """A region as a sentence names it: its name with its code (with_code), or, for a region without a name (a code
    no table of names holds), the code said to be one: 地区 440305 / region 440305, never a bare number."""
    if name and name != code:
        return with_code(name, code, lang)
    return f"地区 {code}" if lang == Lang.ZH else f"region {code}"


def of_region(name: str, code: str, what: str, lang: Lang) -> str:
    """Something of a region (its service, its supply) as a warning names it: 深圳市南山区（440305）的医院床位,
    地区 440305 的医院床位; "hospital beds in Nanshan District, Shenzhen (440305)", "hospital beds in region 440305".
    Never the code glued to the word (440305医院床位)."""
    region = region_label(name, code, lang)
    if lang == Lang.ZH:
        return f"{region}的{what}" if region.endswith("）") else f"{region} 的{what}"
    return f"{what} in {region}"


def sentence(text: str) -> str:
    """`text` starting a sentence: its first letter upper case (hospital beds in … → Hospital beds in …); Chinese
    as it is."""
    return text[:1].upper() + text[1:]


CASE_KEPT = ("p-",)  # a heading starting with a symbol whose case is its meaning (p-median) keeps it


def heading(text: str) -> str:
    """An English table header or a label shown alone in sentence case (docs/architecture.md, "Conventions"): its
    first letter upper case, the rest as written (proper nouns and acronyms kept: "Gini, per resident", "LP
    allocation (yuan)"); a header starting with a case-sensitive symbol (p-median) or a figure as it is. Built
    headers ("{per_1000}, before") are put through it after their words are filled in."""
    return text if text.startswith(CASE_KEPT) else sentence(text)


def in_sentence(text: str) -> str:
    """A header or a label (sentence case, `heading`) inside a sentence: its first letter lower case ("amount (yuan)
    is empty"); an acronym kept ("LP allocation"): only a capital followed by a small letter is lowered."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
