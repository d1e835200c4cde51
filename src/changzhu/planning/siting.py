"""Where to build, on the real county data of one province: new hospitals for the resident-basis bed gap.

Demand points are the province's county-level units (seat coordinates) weighted by resident population; the
candidate sites are the same seats. p-median places `p` new hospitals; maximal covering and set covering use
`radius_km`. Accessibility (2SFCA) is compared before and after: before, the province's 2019 beds sit at the
prefecture seats, apportioned by local-hukou residents (an estimate); after, the resident-basis gap is added in
equal parts at the chosen sites.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from changzhu.data.census import Census2020, census_2020
from changzhu.planning.accessibility import two_step_fca
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.geometry import haversine_km
from changzhu.planning.location import LocationResult, max_covering, p_median, set_covering
from changzhu.planning.population import census_table


@dataclass(frozen=True)
class SitingPlan:
    """Results of the three models and the accessibility before and after, per demand point."""

    points: pl.DataFrame
    p_median: LocationResult
    max_covering: LocationResult
    set_covering: LocationResult
    beds_added: float


def plan_sites(
    province_code: str,
    beds_gap: float,
    beds_supply: float,
    *,
    p: int = 10,
    radius_km: float = 50.0,
    catchment_km: float = 60.0,
    time_limit: float = 60.0,
    census: Census2020 | None = None,
) -> SitingPlan:
    """Place `p` hospitals among the province's county seats and score access before and after."""
    census = census or census_2020()
    counties = census_table("county", census).filter(
        (pl.col("province_code") == province_code) & pl.col("seat_lon").is_not_null()
    )
    if counties.height < p:
        raise PlanningInputError(f"province {province_code} has {counties.height} located county units, p = {p}")
    lon, lat = counties["seat_lon"].to_numpy(), counties["seat_lat"].to_numpy()
    weights = counties["pop_resident_2020"].to_numpy().astype(float)
    dist = haversine_km(lon, lat, lon, lat)
    median = p_median(weights, dist, p, time_limit=time_limit)
    covering = max_covering(weights, dist, p, radius_km, time_limit=time_limit)
    cover_all = set_covering(dist, radius_km, time_limit=time_limit)
    prefectures = census.prefectures.filter(pl.col("province_code") == province_code)
    plon = prefectures["seat_lon"].fill_null(prefectures["centroid_lon"]).to_numpy()
    plat = prefectures["seat_lat"].fill_null(prefectures["centroid_lat"]).to_numpy()
    local = (prefectures["pop_resident_2020"] - prefectures["interprov_in_migrants_2020"]).to_numpy().astype(float)
    before_supply = beds_supply * local / local.sum()
    added = max(beds_gap, 0.0)
    sites = list(median.sites)
    all_lon, all_lat = np.concatenate([plon, lon[sites]]), np.concatenate([plat, lat[sites]])
    supply_after = np.concatenate([before_supply, np.full(len(sites), added / len(sites))])
    d_before = haversine_km(lon, lat, plon, plat)
    d_after = haversine_km(lon, lat, all_lon, all_lat)
    points = counties.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        pl.col("seat_lon").alias("lon"),
        pl.col("seat_lat").alias("lat"),
        pl.col("pop_resident_2020").alias("weight"),
    ).with_columns(
        pl.Series("access_before_per_1000", 1000 * two_step_fca(weights, before_supply, d_before, catchment_km)),
        pl.Series("access_after_per_1000", 1000 * two_step_fca(weights, supply_after, d_after, catchment_km)),
        pl.Series("p_median_site", np.isin(np.arange(counties.height), sites)),
        pl.Series("max_covering_site", np.isin(np.arange(counties.height), list(covering.sites))),
        pl.Series("set_covering_site", np.isin(np.arange(counties.height), list(cover_all.sites))),
    )
    return SitingPlan(points, median, covering, cover_all, added)


def result_rows(plan: SitingPlan) -> pl.DataFrame:
    """One row per model: status, objective, bound, gap, number of sites, seconds."""
    return pl.DataFrame(
        [
            {
                "model": r.model,
                "status": r.status,
                "objective": r.objective,
                "bound": r.bound,
                "gap": r.gap,
                "sites": len(r.sites),
                "seconds": r.seconds,
            }
            for r in (plan.p_median, plan.max_covering, plan.set_covering)
        ]
    )
