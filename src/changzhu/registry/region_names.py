"""The one lookup of a region's name wherever one is shown to a user (resident lists and files, audit records,
releases, error messages): the shipped regions first, a district or county with its city ("深圳市南山区",
"Nanshan District, Shenzhen", tables/places.py), then the registry for the regions an office added that the
shipped regions do not hold (its own names, the prefecture's where a code names several levels). A code neither
holds is left out, so the caller shows the bare code."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.store.models import RegionRow
from changzhu.tables.places import PlaceNames, place_names

__all__ = ["region_names"]

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


def _registry_names(session: Session, codes: set[str]) -> PlaceNames:
    rows = session.execute(
        select(RegionRow.code, RegionRow.level, RegionRow.name_zh, RegionRow.name_en).where(RegionRow.code.in_(codes))
    ).all()
    names: PlaceNames = {}
    for code, _level, zh, en in sorted(rows, key=lambda r: _LEVEL_ORDER.get(r[1], 9)):
        names.setdefault(code, (zh, en))
    return names
