"""A siting plan of one region as the office asks for it (api/siting_runs.py): a province or a prefecture-level city,
its resident-basis gap and supply of the service from the gap table with the jurisdictions' stored planning datasets
(planning/datasets.py), and the facility list uploaded for it, if one is stored, as `changzhu plan
--uploaded-facilities` reads it. Hospitals are sited with or without a list; schools only from a list holding
located schools of that stage (as `changzhu plan` does: planning/siting.py, `listed_schools`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from changzhu.data.census import census_2020
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import region_prefix
from changzhu.planning.datasets import current_gaps, datasets_root, load_planning_data
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import region_at_level
from changzhu.planning.siting import SCHOOL_SERVICES, Progress, SitingPlan, listed_schools, plan_sites, region_counties
from changzhu.planning.standards import load_standards

SERVICE_NAMES = {  # in the refusal of a school service without a school list
    "primary_school_places": ("小学", "primary schools"),
    "junior_secondary_places": ("初中", "junior secondary schools"),
}


@dataclass(frozen=True)
class SitingInputs:
    """What a siting plan of one region and service starts from."""

    region_code: str
    level: str  # province or prefecture
    service: str
    p: int
    gap: float  # resident basis, in the service's unit
    supply: float
    supply_is_estimate: bool
    facilities: pl.DataFrame | None  # the stored lists of the region's province (None: none stored)
    scope: str | None  # the level they were stored at
    list_regions: tuple[str, ...]  # the key regions whose stored lists lie in the region


def siting_level(region_code: str) -> str:
    """The level a siting region is at; a county is refused (its own seat is the only candidate)."""
    if region_code.endswith("0000"):
        return "province"
    if region_code.endswith("00"):
        return "prefecture"
    raise PlanningInputError(refusal(RefusalCode.SITING_REGION_LEVEL, region=region_code))


def _stored_list(root: Path, region_code: str) -> tuple[pl.DataFrame | None, str | None, tuple[str, ...]]:
    """The facility lists stored for the region's province (one scope per province: datasets.check_compatible),
    their scope, and the key regions of those lying in the region."""
    province = region_code[:2] + "0000"
    for scope, frame in load_planning_data(root).facilities.items():
        inside = frame.filter(region_at_level(pl.col("region_code"), "province") == province)
        if inside.height:
            keys = inside.select(region_at_level(pl.col("region_code"), scope)).to_series().unique().sort()
            return inside, scope, tuple(k for k in keys.to_list() if _overlap(k, region_code))
    return None, None, ()


def _overlap(a: str, b: str) -> bool:
    """Whether one region lies in the other (or they are the same)."""
    return a.startswith(region_prefix(b)) or b.startswith(region_prefix(a))


def siting_inputs(region_code: str, service: str, p: int, root: Path | None = None) -> SitingInputs:
    """Check a siting request and read what it starts from; PlanningInputError (its reason coded) for a region that
    is not a province or a city, more new facilities than the region has county seats, or a school service without a
    located school list."""
    level = siting_level(region_code)
    census = census_2020()
    regions = census.provinces if level == "province" else census.prefectures
    if region_code not in set(regions["code"].to_list()):
        raise PlanningInputError(refusal(RefusalCode.SITING_NO_REGION, region=region_code))
    counties = region_counties(region_code, census).height
    if counties < p:
        raise PlanningInputError(
            refusal(RefusalCode.SITING_TOO_FEW_COUNTIES, region=region_code, counties=counties, p=p)
        )
    root = root or datasets_root()
    facilities, scope, list_regions = _stored_list(root, region_code)
    if service in SCHOOL_SERVICES and service not in listed_schools(facilities, region_code):
        zh, en = SERVICE_NAMES[service]
        raise PlanningInputError(
            refusal(RefusalCode.SITING_NEEDS_SCHOOL_LIST, region=region_code, service_zh=zh, service_en=en)
        )
    row = current_gaps(level, root).filter(
        (pl.col("region_code") == region_code) & (pl.col("service") == service) & (pl.col("basis") == "resident")
    )
    if row.is_empty():
        raise PlanningInputError(refusal(RefusalCode.SITING_NO_REGION, region=region_code))
    return SitingInputs(
        region_code,
        level,
        service,
        p,
        float(row["gap"].sum()),
        float(row["supply"].sum()),
        bool(row["supply_is_estimate"].any()),
        facilities,
        scope,
        list_regions,
    )


def site_region(inputs: SitingInputs, progress: Progress | None = None, time_limit: float = 60.0) -> SitingPlan:
    """The siting plan of the inputs' region and service (planning/siting.py, `plan_sites`)."""
    group = load_standards()[inputs.service].group
    return plan_sites(
        inputs.region_code,
        inputs.gap,
        inputs.supply,
        service=inputs.service,
        group=group,
        p=inputs.p,
        time_limit=time_limit,
        facilities=inputs.facilities,
        facility_scope=inputs.scope,
        progress=progress,
    )
