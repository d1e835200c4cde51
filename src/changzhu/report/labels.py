"""Names a reader sees for the system's keys (planning measures, services, regions) in the report, in Chinese or English
(the labels themselves: rules/labels.py; the regions' names: tables/places.py)."""

from __future__ import annotations

from collections.abc import Iterable

from changzhu.domain.services import row_title
from changzhu.report.lang import Lang
from changzhu.rules.labels import PLANNING_MEASURES, pick_label
from changzhu.tables.places import place_names


def service_name(key: str, lang: Lang) -> str:
    """A planning measure's or a service's name (a service's or a simulation row's title from `domain.services`,
    capitalised as a chart label); an unknown key is shown as it is rather than hidden."""
    if key in PLANNING_MEASURES:
        return pick_label(PLANNING_MEASURES[key], lang)
    title = row_title(key, lang)
    if title is None:
        return key
    return title[:1].upper() + title[1:]


def region_names(codes: Iterable[str], lang: Lang) -> dict[str, str]:
    """Region codes' names in `lang` by the one lookup's shipped step (tables/places.py: a district or county with
    its city, 深圳市南山区 / "Nanshan District, Shenzhen"; the English name, else the Chinese); the report reads the
    shipped census, so it has no registry to ask. A code not shipped is left out."""
    return {code: zh if lang == Lang.ZH else en or zh for code, (zh, en) in place_names(codes).items()}
