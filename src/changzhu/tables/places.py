"""Region names from the shipped regions: a district or county with its city ("深圳市南山区 (440305)", "Nanshan
District, Shenzhen (440305)"), a city or province by its own name, an unknown code as the code. The first step of
the one lookup of a region's name (registry/region_names.py adds the regions an office added); used alone where no
registry is open (the reasons a table reader gives about a cell, {region:place})."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import PLACE, Refusal
from changzhu.tables.vocab import shipped_region_index

PlaceNames = dict[str, tuple[str, str | None]]  # code -> (Chinese name, English name or None)

_LEVELS = {"county": 0, "province": 1, "prefecture": 2}  # a code of several levels (东莞市) is named as its highest


@cache
def _own_names() -> dict[str, tuple[str, str | None, str]]:
    """code -> (Chinese name, English name, level) of every shipped region."""
    own: dict[str, tuple[str, str | None, str]] = {}
    for level, code, zh, en in sorted(shipped_region_index().rows, key=lambda r: _LEVELS.get(r[0], -1)):
        own[code] = (zh, en or None, level)
    return own


def place_names(codes: Iterable[str]) -> PlaceNames:
    """Chinese and English names of region codes, a district or county with its city (or, in a city that is a
    province, 北京市东城区, with that); codes not shipped are left out."""
    own, city_of = _own_names(), shipped_region_index().city_of
    names: PlaceNames = {}
    for code in codes:
        if code not in own:
            continue
        zh, en, level = own[code]
        parent = city_of.get(code) if level == "county" else None
        if parent is None or parent == code or parent not in own:
            names[code] = (zh, en)
            continue
        parent_zh, parent_en, _ = own[parent]
        names[code] = (parent_zh + zh, f"{en}, {parent_en}" if en and parent_en else None)
    return names


def reason_text(reason: Refusal, lang: Lang) -> str:
    """The reason in `lang`, the regions it names shown with their names (place_names)."""
    codes = reason.named().get(PLACE, set())
    return reason.text(lang, {PLACE: place_names(codes)} if codes else None)
