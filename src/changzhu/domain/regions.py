"""Regions: GB/T 2260 codes, administrative levels, city size classes (城市规模等级)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from changzhu.domain.refusals import CodedError, RefusalCode, refusal

_CODE_PATTERN = re.compile(r"^[1-8]\d{5}$")


class RegionLevel(StrEnum):
    """Administrative level of a division."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


class CitySizeClass(StrEnum):
    """City size class by urban-area resident population, State Council 国发〔2014〕51号."""

    SUPER = "super"  # 超大城市, over 10 million
    MEGA = "mega"  # 特大城市, 5 to 10 million
    LARGE_I = "large_i"  # I型大城市, 3 to 5 million
    LARGE_II = "large_ii"  # II型大城市, 1 to 3 million
    MEDIUM = "medium"  # 中等城市, 0.5 to 1 million
    SMALL = "small"  # 小城市, under 0.5 million


@dataclass(frozen=True)
class CitySizeBand:
    """One band of the city size standard: lower bound inclusive, upper bound exclusive."""

    size_class: CitySizeClass
    name_zh: str
    min_urban_pop: int
    max_urban_pop: int | None


class InvalidRegionCode(CodedError, ValueError):
    """A string that is not a well-formed GB/T 2260 six-digit division code."""


def validate_code(code: str) -> str:
    """Return the code if it is a well-formed six-digit GB/T 2260 code, else raise InvalidRegionCode."""
    if not isinstance(code, str) or not _CODE_PATTERN.match(code):
        raise InvalidRegionCode(refusal(RefusalCode.REGION_CODE_FORM, code=repr(code)))
    return code


def province_code_of(code: str) -> str:
    """The province-level code (first two digits followed by 0000) of any division code."""
    return validate_code(code)[:2] + "0000"


def region_prefix(code: str) -> str:
    """The prefix of the codes a region contains (a province xx0000, a prefecture xxxx00, or a county)."""
    if code == "000000":
        return ""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def classify_city_size(urban_pop: int, bands: list[CitySizeBand]) -> CitySizeClass:
    """Size class of a city with the given urban-area resident population under the given standard."""
    if urban_pop < 0:
        raise ValueError(f"urban population must be non-negative, got {urban_pop}")
    for band in bands:
        upper_ok = band.max_urban_pop is None or urban_pop < band.max_urban_pop
        if urban_pop >= band.min_urban_pop and upper_ok:
            return band.size_class
    raise ValueError(f"no city size band covers an urban population of {urban_pop}")


@dataclass(frozen=True)
class Region:
    """An administrative division with its place in the hierarchy."""

    code: str
    name_zh: str
    level: RegionLevel
    parent_code: str | None
    name_en: str | None = None
    city_size_class: CitySizeClass | None = None
