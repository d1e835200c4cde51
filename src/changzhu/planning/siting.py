"""Where to build, on the real county data of one province or one prefecture-level city: new facilities of one
service for its resident-basis gap — hospitals for the bed gap (the default), schools for the primary or
junior-secondary place gap.

Demand points are the region's county-level units (seat coordinates) weighted by the resident population the
service's standard counts (everyone for beds; the children of primary or junior-secondary age for school places,
planning/population.py). The existing facilities, predefined (fixed open) in every model, are the facilities of
that service in a facility list that have coordinates (its hospitals, or its schools), and the prefecture seats of
the cities the list does not cover; the candidate new sites are the county seats. p-median places `p` new
facilities; maximal covering and set covering use `radius_km`. Accessibility is compared before and after:
nearest-facility distance from the models' results, and 2SFCA capacity per 1,000 of the demand group — before, a
listed facility has its own capacity and the rest of the province's supply sits at the other prefecture seats,
apportioned by local-hukou residents (an estimate); after, the resident-basis gap is added in equal parts at the
p-median sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020, census_2020
from changzhu.domain.estimates import siting_access_note
from changzhu.domain.refusals import Refusal
from changzhu.geography import haversine_km
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.accessibility import two_step_fca
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import region_at_level
from changzhu.planning.population import group_columns, school_age_cited

if TYPE_CHECKING:  # the models import SciPy's sparse matrices: plan_sites imports them when it solves
    from changzhu.planning.location_models import LocationSolution

EXISTING = "existing"
SCHOOL_SERVICES = ("primary_school_places", "junior_secondary_places")  # sited from a list's located schools
SITED_SERVICES = ("hospital_beds", *SCHOOL_SERVICES)
MODELS = ("p_median", "max_covering", "set_covering")
NO_SEAT = "no_seat_coordinates"  # why a county-level unit is left out of a plan: no seat point in the shipped data
# why a development zone (经济技术开发区, 高新区, 管理区, 新区…: a statistical unit coded xxxx7x, or without a code) is:
# it has no government seat of its own to point at (docs/data.md, "Seat points")
ZONE_WITHOUT_SEAT = "zone_without_seat"
LEFT_OUT_WHY = {  # each reason in words, (Chinese, English): what the report, the page and the exports say
    NO_SEAT: ("数据中没有它的驻地坐标", "no seat point in the data"),
    ZONE_WITHOUT_SEAT: ("开发区等统计单元，没有自己的驻地", "a development zone, no seat of its own"),
}


def statistical_zone(code: pl.Expr) -> pl.Expr:
    """Whether a county-level code is a development zone's (the fifth digit 7, GB/T 2260's statistical units) or
    missing (a zone the census tabulates without a code)."""
    return code.is_null() | (code.str.slice(4, 1) == "7")


Progress = Callable[[str], None]  # told the name of each model (MODELS) before it is solved


@dataclass(frozen=True)
class SitingPlan:
    """Results of the three models and the accessibility before and after, per demand point."""

    points: pl.DataFrame
    sites: pl.DataFrame  # existing then candidate sites: region_code, region_name_zh, facility_name, lon, lat, existing
    p_median: LocationSolution
    max_covering: LocationSolution
    set_covering: LocationSolution
    added: float  # capacity added at the p-median sites (the resident-basis gap), in the service's unit
    radius_km: float
    listed: int = 0  # facilities of the list (of the service) among the existing sites
    service: str = "hospital_beds"
    existing_capacity: tuple[float, ...] = ()  # of each existing site (sites' first rows), in the service's unit
    left_out: pl.DataFrame | None = None  # the region's units not in the plan (left_out_units): who and why
    scenario: Scenario | None = None  # the reform whose parameters it used (None: the national ones)

    def access_estimate(self) -> Refusal:
        """What its access figures are (an estimate), coded: for schools citing its scenario's school-age shares."""
        return access_estimate(self.service, self.scenario)

    def left_out_summary(self) -> dict[str, object]:
        """How many units and residents (and of the demand group) the plan leaves out, and which (left_out_units)."""
        frame = self.left_out
        if frame is None:  # a plan not made by plan_sites: who it leaves out was not determined, never "no one"
            raise ValueError("the plan does not say which units it leaves out")
        return {
            "units": frame.height,
            "residents": int(frame["residents"].sum()),
            "weight": float(frame["weight"].sum()),
            "rows": frame.to_dicts(),
        }


def _existing(
    prefectures: pl.DataFrame, supply: float, facilities: pl.DataFrame | None, scope: str | None
) -> tuple[pl.DataFrame, np.ndarray]:
    """The existing facilities and their capacity: the list's located facilities (their own capacity), the seat of
    each covered city holding its listed capacity without coordinates, and the seats of the other cities sharing
    the rest of the province's supply by local-hukou residents."""
    seats = prefectures.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.lit(None, pl.String).alias("facility_name"),
        pl.col("seat_lon").fill_null(pl.col("centroid_lon")).alias("lon"),
        pl.col("seat_lat").fill_null(pl.col("centroid_lat")).alias("lat"),
        pl.lit(True).alias(EXISTING),
    )
    local = (prefectures["pop_resident_2020"] - prefectures["interprov_in_migrants_2020"]).to_numpy().astype(float)
    if facilities is None or facilities.is_empty():
        return seats, supply * local / local.sum()
    located = facilities.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
    city = region_at_level(pl.col("region_code"), "prefecture")
    covered = set(prefectures["code"]) if scope == "province" else set()
    if scope == "prefecture":
        covered = set(facilities.select(city).to_series())
    unlocated = dict(
        facilities.filter(pl.col("lon").is_null() | pl.col("lat").is_null())
        .group_by(city.alias("city"))
        .agg(pl.col("capacity").sum())
        .iter_rows()
    )
    codes = prefectures["code"].to_list()
    rest = [c not in covered for c in codes]
    pool = max(supply - float(facilities["capacity"].sum()), 0.0)
    share = np.where(rest, local, 0.0)
    seat_beds = np.where(rest, pool * share / max(share.sum(), 1.0), [unlocated.get(c, 0.0) for c in codes])
    keep = np.asarray(rest) | (seat_beds > 0)
    listed = located.select(
        "region_code",
        pl.lit(None, pl.String).alias("region_name_zh"),
        pl.col("name").alias("facility_name"),
        "lon",
        "lat",
        pl.lit(True).alias(EXISTING),
    )
    sites = pl.concat([seats.filter(pl.Series(keep)), listed])
    return sites, np.concatenate([seat_beds[keep], located["capacity"].to_numpy().astype(float)])


def _region_units(region_code: str, census: Census2020 | None = None) -> pl.DataFrame:
    """Every unit of the 2020 census tabulation in the region, by its census code and name (the 2023 code of the
    42 whose census code is missing; no code for 7 development zones, which have no seat either)."""
    column = "province_code" if region_code.endswith("0000") else "prefecture_code"
    counties = (census or census_2020()).counties
    return counties.filter(pl.col("in_census_2020") & (pl.col(column) == region_code)).with_columns(
        pl.coalesce("code_2020", "code").alias("code"), pl.coalesce("name_zh_2020", "name_zh").alias("name_zh")
    )


def region_counties(region_code: str, census: Census2020 | None = None) -> pl.DataFrame:
    """The located county-level units (with a seat) of a province (xx0000) or of a prefecture-level city: the demand
    points and candidate sites of a siting plan there."""
    return _region_units(region_code, census).filter(pl.col("seat_lon").is_not_null())


def left_out_units(
    region_code: str, units: pl.DataFrame, group: str = "all", scenario: Scenario | None = None
) -> pl.DataFrame:
    """The county-level units of `units` (a region's census units) that a siting plan cannot place: no seat point
    (the seat source has none and no cited point was added, docs/data.md). Their residents are real demand the
    plan does not reach, so the result names them: code, name, residents, the demand group's weight, and the reason:
    a development zone has no seat of its own (ZONE_WITHOUT_SEAT), any other unit has no sourced point (NO_SEAT)."""
    columns = {
        "region_code": pl.String,
        "region_name_zh": pl.String,
        "residents": pl.Int64,
        "weight": pl.Float64,
        "reason": pl.String,
    }
    if units.is_empty():
        return pl.DataFrame(schema=columns)
    missing = units.filter(pl.col("seat_lon").is_null() | pl.col("seat_lat").is_null())
    if missing.is_empty():
        return pl.DataFrame(schema=columns)
    return missing.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("pop_resident_2020").cast(pl.Int64).alias("residents"),
        group_columns(missing, scenario)[group].alias("weight"),
        pl.when(statistical_zone(pl.col("code")))
        .then(pl.lit(ZONE_WITHOUT_SEAT))
        .otherwise(pl.lit(NO_SEAT))
        .alias("reason"),
    ).sort("residents", descending=True)


def plan_sites(
    region_code: str,
    gap: float,
    supply: float,
    *,
    service: str = "hospital_beds",
    group: str = "all",
    p: int = 10,
    radius_km: float | None = None,
    catchment_km: float | None = None,
    time_limit: float = 60.0,
    census: Census2020 | None = None,
    scenario: Scenario | None = None,
    facilities: pl.DataFrame | None = None,
    facility_scope: str | None = None,
    progress: Progress | None = None,
) -> SitingPlan:
    """Place `p` new facilities of `service` among the county seats of `region_code` (a province, or a
    prefecture-level city: its own seat and its counties), the existing ones kept open; `gap` and `supply` are the
    region's resident-basis gap and supply of the service, `group` the population group its
    standard counts (demand weights: planning/population.py's groups, "all" for beds, "age_6_11" for primary places).

    `facilities`: a facility list (its rows of `service` in the region are used) complete at `facility_scope`;
    its located facilities are existing sites and replace the seats of the cities it covers. The cover radius and
    the 2SFCA catchment default to the parameter tree's (planning.siting.*). `progress` is told each model's name
    before it is solved."""
    from changzhu.planning.location_models import LSCP, MCLP, PMedian  # SciPy only when a plan is solved

    census = census or census_2020()
    tree = parameter_tree()
    if radius_km is None:
        radius_km = tree.number("planning.siting.cover_radius_km", CENSUS_DAY, scenario=scenario)
    if catchment_km is None:
        catchment_km = tree.number("planning.siting.catchment_km", CENSUS_DAY, scenario=scenario)
    units = _region_units(region_code, census)
    counties = units.filter(pl.col("seat_lon").is_not_null() & pl.col("seat_lat").is_not_null())
    if counties.height < p:
        raise PlanningInputError(f"region {region_code} has {counties.height} located county units, p = {p}")
    province = region_code.endswith("0000")
    prefectures = census.prefectures.filter(pl.col("province_code" if province else "code") == region_code)
    level = "province" if province else "prefecture"
    tell = progress or (lambda _model: None)
    demand = counties.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("seat_lon").alias("lon"),
        pl.col("seat_lat").alias("lat"),
        group_columns(counties, scenario)[group].alias("weight"),
        pl.col("seat_verified").fill_null(False).alias("seat_verified"),
    )
    if facilities is not None:
        facilities = facilities.filter(
            (pl.col("service").cast(pl.String) == service)
            & (region_at_level(pl.col("region_code"), level) == region_code)
        )
    held, before_supply = _existing(prefectures, supply, facilities, facility_scope)
    candidates = counties.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.lit(None, pl.String).alias("facility_name"),
        pl.col("seat_lon").alias("lon"),
        pl.col("seat_lat").alias("lat"),
        pl.lit(False).alias(EXISTING),
    )
    sites = pl.concat([held, candidates])
    tell("p_median")
    median = PMedian.from_frames(demand, sites, p, predefined_col=EXISTING).solve(time_limit)
    tell("max_covering")
    covering = MCLP.from_frames(demand, sites, p, radius_km, predefined_col=EXISTING).solve(time_limit)
    tell("set_covering")
    cover_all = LSCP.from_frames(demand, sites, radius_km, predefined_col=EXISTING).solve(time_limit)
    weights = demand["weight"].to_numpy()
    added = max(gap, 0.0)
    lon, lat = sites["lon"].to_numpy(), sites["lat"].to_numpy()
    existing = np.flatnonzero(sites[EXISTING].to_numpy())
    opened = np.concatenate([existing, np.asarray(median.sites, dtype=np.int64)])
    supply_after = np.concatenate([before_supply, np.full(len(median.sites), added / len(median.sites))])
    d_before = haversine_km(demand["lon"], demand["lat"], lon[existing], lat[existing])
    d_after = haversine_km(demand["lon"], demand["lat"], lon[opened], lat[opened])
    n_existing = existing.size

    def chosen(solution: LocationSolution) -> pl.Series:
        return pl.Series(np.isin(np.arange(n_existing, sites.height), solution.sites))

    points = demand.with_columns(
        pl.Series("nearest_km_before", median.nearest_before_km),
        pl.Series("nearest_km_after", median.nearest_after_km),
        pl.Series("access_before_per_1000", 1000 * two_step_fca(weights, before_supply, d_before, catchment_km)),
        pl.Series("access_after_per_1000", 1000 * two_step_fca(weights, supply_after, d_after, catchment_km)),
        chosen(median).alias("p_median_site"),
        chosen(covering).alias("max_covering_site"),
        chosen(cover_all).alias("set_covering_site"),
    )
    listed = int(held["facility_name"].is_not_null().sum())
    held_capacity = tuple(float(c) for c in before_supply)
    left_out = left_out_units(region_code, units, group, scenario)
    return SitingPlan(
        points, sites, median, covering, cover_all, added, radius_km, listed, service, held_capacity, left_out, scenario
    )


def access_estimate(service: str, scenario: Scenario | None = None) -> Refusal:
    """The estimate note of a siting of `service`'s access figures, coded: for school places citing the school-age
    shares (by label, value and source) of `scenario`, the national ones without one."""
    return siting_access_note(None if service == "hospital_beds" else school_age_cited(scenario))


def listed_schools(facilities: pl.DataFrame | None, region_code: str) -> list[str]:
    """The school services (SCHOOL_SERVICES) of which a facility list holds located schools in the region (a
    province, or a prefecture-level city): where to build schools is planned from those."""
    if facilities is None:
        return []
    level = "province" if region_code.endswith("0000") else "prefecture"
    located = facilities.filter(
        pl.col("lon").is_not_null()
        & pl.col("lat").is_not_null()
        & (region_at_level(pl.col("region_code"), level) == region_code)
    )
    held = set(located["service"].cast(pl.String).to_list())
    return [s for s in SCHOOL_SERVICES if s in held]


def county_rows(plan: SitingPlan) -> pl.DataFrame:
    """Per county-level unit of the region: the plan's demand points (`in_plan`), then the units it leaves out
    (no seat point: `left_out_reason`, their residents as `residents` and the demand group as `weight`, every
    distance and access empty, since it was not computed for them)."""
    placed = plan.points.with_columns(pl.lit(True).alias("in_plan"), pl.lit(None, pl.String).alias("left_out_reason"))
    if plan.left_out is None or plan.left_out.is_empty():
        return placed
    left = plan.left_out.select(
        "region_code",
        "region_name_zh",
        "residents",
        "weight",
        pl.lit(False).alias("in_plan"),
        pl.col("reason").alias("left_out_reason"),
    )
    return pl.concat([placed, left], how="diagonal_relaxed")


def result_rows(plan: SitingPlan) -> pl.DataFrame:
    """One row per model: status, objective, bound, gap, new sites, access before and after, seconds."""
    return pl.DataFrame(
        [
            {
                "model": r.model,
                "status": r.status,
                "objective": r.objective,
                "bound": r.bound,
                "gap": r.gap,
                "existing_sites": len(r.predefined),
                "new_sites": len(r.sites),
                "mean_km_before": r.mean_distance_km(after=False),
                "mean_km_after": r.mean_distance_km(),
                "covered_share_before": r.covered_share(plan.radius_km, after=False),
                "covered_share_after": r.covered_share(plan.radius_km),
                "seconds": r.seconds,
            }
            for r in (plan.p_median, plan.max_covering, plan.set_covering)
        ]
    )
