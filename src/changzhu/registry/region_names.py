"""The one lookup of a region's name wherever one is shown to a user (resident lists and files, applications, audit
records, releases, region search, error messages): the shipped regions first, a district or county with its city
("深圳市南山区", "Nanshan District, Shenzhen", tables/places.py), then the registry for the regions an office added
that the shipped regions do not hold (its own names, the prefecture's where a code names several levels). A code
neither holds is left out, so the caller shows the bare code.

Three forms: `region_names` (Chinese, English or None), `region_labels` (the English name else the Chinese, for a
page that shows one name per language) and `full_region_names` (with the province as well, 广东省深圳市南山区, for
telling apart regions of the same name when choosing one)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.store.models import RegionRow
from changzhu.tables.places import PlaceNames, place_names
from changzhu.tables.vocab import shipped_region_index

__all__ = ["full_region_names", "region_labels", "region_names"]

_LEVEL_ORDER = {"prefecture": 0, "province": 1, "county": 2}  # the first a code names is the one shown


def region_names(session: Session, codes: Iterable[str]) -> PlaceNames:
    """Chinese and English names of region codes: the shipped regions' names (place_names), the registry's only
    for codes they do not hold (a region an office added); the registry is not read when every code is shipped."""
    wanted = set(codes)
    names = place_names(wanted)
    added = wanted - names.keys()
    if added:
        names.update(_registry_names(session, added))
    return names


def region_labels(session: Session, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(Chinese, English) names of region codes, the English the Chinese where a region has no English name."""
    return {code: (zh, en or zh) for code, (zh, en) in region_names(session, codes).items()}


def _ancestors(code: str) -> list[str]:
    """The codes of a region's city and province, nearest first (none for a province): a shipped county's city as
    the shipped regions give it (仙桃市 has none), else the one its code names."""
    city = shipped_region_index().city_of.get(code, code[:4] + "00")
    return [p for p in dict.fromkeys((city, code[:2] + "0000")) if p != code]


def full_region_names(session: Session, codes: Iterable[str]) -> PlaceNames:
    """The names of region codes with their city and province (广东省深圳市南山区, "Nanshan District, Shenzhen,
    Guangdong"; a municipality's name once, 北京市东城区): region_names of the code and of its ancestors by code, a
    parent's name added where the region's name does not hold it already. English is None where the region has
    none."""
    wanted = set(codes)
    names = region_names(session, wanted | {p for code in wanted for p in _ancestors(code)})
    out: PlaceNames = {}
    for code in wanted & names.keys():
        zh, en = names[code]
        parents = [names[p] for p in _ancestors(code) if p in names]  # nearest first
        for parent_zh, parent_en in parents:
            zh = zh if zh.startswith(parent_zh) else parent_zh + zh
            if en is not None and parent_en and parent_en not in en.split(", "):
                en = f"{en}, {parent_en}"
        out[code] = (zh, en)
    return out


def _registry_names(session: Session, codes: set[str]) -> PlaceNames:
    rows = session.execute(
        select(RegionRow.code, RegionRow.level, RegionRow.name_zh, RegionRow.name_en).where(RegionRow.code.in_(codes))
    ).all()
    names: PlaceNames = {}
    for code, _level, zh, en in sorted(rows, key=lambda r: _LEVEL_ORDER.get(r[1], 9)):
        names.setdefault(code, (zh, en))
    return names
