"""Migration between regions (人口迁移) from a gravity model calibrated to the 2020 inter-provincial inflows.

The shipped census gives, for each destination j, the residents whose hukou is in another province
(D_j = interprov_in_migrants_2020), but no origin-destination matrix. The model is destination-constrained:

    T_ij = D_j · H_i^α · d_ij^(−γ) / Σ_k H_k^α · d_kj^(−γ)     (i, k in other provinces than j)

with H_i the origin's local-hukou residents (the pool migrants come from) and d_ij the great-circle distance
between region centres (at least MIN_DISTANCE_KM). Calibration: the column sums reproduce every D_j exactly;
α and γ are not identified by destination totals alone, so they are parameters (defaults α = 1, γ = 2, the
classic gravity form) and every origin total (out-migrants) derived from T is an estimate.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.data.census import Census2020
from changzhu.planning.geometry import haversine_km
from changzhu.planning.population import census_table

MIN_DISTANCE_KM = 50.0


def _centres(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon = frame["seat_lon"] if "seat_lon" in frame.columns else frame["centroid_lon"]
    lat = frame["seat_lat"] if "seat_lat" in frame.columns else frame["centroid_lat"]
    if "centroid_lon" in frame.columns:
        lon, lat = lon.fill_null(frame["centroid_lon"]), lat.fill_null(frame["centroid_lat"])
    return lon.to_numpy().astype(float), lat.to_numpy().astype(float)


def flow_matrix(
    level: str = "province", *, alpha: float = 1.0, gamma: float = 2.0, census: Census2020 | None = None
) -> tuple[pl.DataFrame, np.ndarray]:
    """Regions (code, name, province_code, resident, local_hukou, in_migrants) and the estimated stock T[i, j]."""
    table = census_table(level, census).filter(pl.col("pop_resident_2020").is_not_null())
    lon, lat = _centres(table)
    ok = np.isfinite(lon) & np.isfinite(lat)
    table = table.filter(pl.Series(ok))
    lon, lat = lon[ok], lat[ok]
    resident = table["pop_resident_2020"].to_numpy().astype(float)
    inflow = table["interprov_in_migrants_2020"].fill_null(0).to_numpy().astype(float)
    local = resident - inflow
    province = table["province_code"].to_numpy()
    dist = np.maximum(haversine_km(lon, lat, lon, lat), MIN_DISTANCE_KM)
    attraction = (np.maximum(local, 0.0) ** alpha)[:, None] * dist ** (-gamma)
    attraction[province[:, None] == province[None, :]] = 0.0  # inter-provincial flows only
    column = attraction.sum(axis=0)
    stock = np.divide(attraction * inflow[None, :], column[None, :], out=np.zeros_like(attraction), where=column > 0)
    regions = table.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        "province_code",
        pl.col("pop_resident_2020").cast(pl.Float64).alias("resident"),
    ).with_columns(pl.Series("local_hukou", local), pl.Series("in_migrants", inflow))
    return regions, stock


def migration_balance(
    level: str = "province", *, alpha: float = 1.0, gamma: float = 2.0, census: Census2020 | None = None
) -> pl.DataFrame:
    """Per region: in-migrant stock (census), estimated out-migrant stock, net, and the registered estimate."""
    regions, stock = flow_matrix(level, alpha=alpha, gamma=gamma, census=census)
    out = stock.sum(axis=1)
    return regions.with_columns(
        pl.Series("out_migrants_estimate", out),
        (pl.col("in_migrants") - pl.Series(out)).alias("net_migrants_estimate"),
        (pl.col("local_hukou") + pl.Series(out)).alias("registered_estimate"),
    )
