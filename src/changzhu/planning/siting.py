"""Where to build, on the real county data of one province: new hospitals for the resident-basis bed gap.

Demand points are the province's county-level units (seat coordinates) weighted by resident population. The
existing hospitals are the prefecture seats, predefined (fixed open) in every model; the candidate new sites are
the county seats. p-median places `p` new hospitals; maximal covering and set covering use `radius_km`.
Accessibility is compared before and after: nearest-hospital distance from the models' results, and 2SFCA beds
per 1,000 — before, the province's 2019 beds sit at the prefecture seats, apportioned by local-hukou residents
(an estimate); after, the resident-basis gap is added in equal parts at the p-median sites.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020, census_2020
from changzhu.geography import haversine_km
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.accessibility import two_step_fca
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.location_models import LSCP, MCLP, LocationSolution, PMedian
from changzhu.planning.population import census_table

EXISTING = "existing"


@dataclass(frozen=True)
class SitingPlan:
    """Results of the three models and the accessibility before and after, per demand point."""

    points: pl.DataFrame
    sites: pl.DataFrame  # candidate and existing sites: region_code, name, lon, lat, existing
    p_median: LocationSolution
    max_covering: LocationSolution
    set_covering: LocationSolution
    beds_added: float
    radius_km: float


def _sites(counties: pl.DataFrame, prefectures: pl.DataFrame) -> pl.DataFrame:
    existing = prefectures.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("seat_lon").fill_null(pl.col("centroid_lon")).alias("lon"),
        pl.col("seat_lat").fill_null(pl.col("centroid_lat")).alias("lat"),
        pl.lit(True).alias(EXISTING),
    )
    new = counties.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("seat_lon").alias("lon"),
        pl.col("seat_lat").alias("lat"),
        pl.lit(False).alias(EXISTING),
    )
    return pl.concat([existing, new])


def plan_sites(
    province_code: str,
    beds_gap: float,
    beds_supply: float,
    *,
    p: int = 10,
    radius_km: float | None = None,
    catchment_km: float | None = None,
    time_limit: float = 60.0,
    census: Census2020 | None = None,
    scenario: Scenario | None = None,
) -> SitingPlan:
    """Place `p` new hospitals among the province's county seats, the prefecture hospitals kept open.

    The cover radius and the 2SFCA catchment default to the parameter tree's (planning.siting.*)."""
    census = census or census_2020()
    tree = parameter_tree()
    if radius_km is None:
        radius_km = tree.number("planning.siting.cover_radius_km", CENSUS_DAY, scenario=scenario)
    if catchment_km is None:
        catchment_km = tree.number("planning.siting.catchment_km", CENSUS_DAY, scenario=scenario)
    counties = census_table("county", census).filter(
        (pl.col("province_code") == province_code) & pl.col("seat_lon").is_not_null()
    )
    if counties.height < p:
        raise PlanningInputError(f"province {province_code} has {counties.height} located county units, p = {p}")
    prefectures = census.prefectures.filter(pl.col("province_code") == province_code)
    demand = counties.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("seat_lon").alias("lon"),
        pl.col("seat_lat").alias("lat"),
        pl.col("pop_resident_2020").cast(pl.Float64).alias("weight"),
    )
    sites = _sites(counties, prefectures)
    median = PMedian.from_frames(demand, sites, p, predefined_col=EXISTING).solve(time_limit)
    covering = MCLP.from_frames(demand, sites, p, radius_km, predefined_col=EXISTING).solve(time_limit)
    cover_all = LSCP.from_frames(demand, sites, radius_km, predefined_col=EXISTING).solve(time_limit)
    local = (prefectures["pop_resident_2020"] - prefectures["interprov_in_migrants_2020"]).to_numpy().astype(float)
    weights = demand["weight"].to_numpy()
    before_supply = beds_supply * local / local.sum()
    added = max(beds_gap, 0.0)
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
    return SitingPlan(points, sites, median, covering, cover_all, added, radius_km)


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
