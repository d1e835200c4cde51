"""Province population bases for fiscal formulas: residents (常住), in-migrants, and an estimate of 户籍人口.

The census gives, for every province, its residents and how many of them have hukou in another province
(跨省流入). It does not say which province: no origin–destination table ships. changzhu estimates the
origins with a gravity model (an ESTIMATE, labelled so everywhere it is shown):

    migrants(d ← o) = in_d · G_do / Σ_o' G_do',   G_do = rural_o / max(dist_do, 50 km),  o ≠ d

where rural_o is the origin's rural resident population (the pool most inter-provincial migrants come
from) and dist the great-circle distance between province centroids. Each province's in-migrant total is
the census's; only the split by origin is modelled. Summing over destinations gives each province's
estimated out-migrants, and the registered population (户籍人口) is estimated as

    registered_o = resident_o − in_o + out_o

so the national registered total equals the national resident total (as it must, ignoring people abroad).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.fiscal.apportion import FloatArray
from changzhu.fiscal.errors import FiscalError

EARTH_RADIUS_KM = 6371.0
DISTANCE_EXPONENT = 1.0
MIN_DISTANCE_KM = 50.0
ESTIMATE_LABEL = "estimate: gravity model of migrant origins (no origin–destination table ships)"

BASES_COLUMNS = (
    "region_code",
    "region_name_zh",
    "resident",
    "interprov_in_migrants",
    "out_migrants_est",
    "registered_est",
    "urbanisation_rate",
)


def great_circle_km(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Pairwise haversine distances in km between points given in degrees."""
    lam, phi = np.radians(lon), np.radians(lat)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def origin_matrix(in_migrants: FloatArray, origin_mass: FloatArray, distance_km: FloatArray) -> FloatArray:
    """Estimated migrants by destination row and origin column; each row sums to that destination's in-migrants."""
    weights = origin_mass[None, :] / np.maximum(distance_km, MIN_DISTANCE_KM) ** DISTANCE_EXPONENT
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1)
    bad = np.flatnonzero((row_sums <= 0) & (in_migrants > 0))
    if bad.size:
        raise FiscalError(f"row {int(bad[0])} has in-migrants but no possible origin (every other origin mass is 0)")
    safe = np.where(row_sums > 0, row_sums, 1.0)
    return weights / safe[:, None] * in_migrants[:, None]


def province_bases(provinces: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Bases by province and the estimated origin–destination table, from the census province table.

    Returns (bases with BASES_COLUMNS, od with destination_code, origin_code, migrants_est).
    """
    codes = provinces["code"].to_list()
    lon = provinces["centroid_lon"].to_numpy().astype(np.float64)
    lat = provinces["centroid_lat"].to_numpy().astype(np.float64)
    inflow = provinces["interprov_in_migrants_2020"].to_numpy().astype(np.float64)
    rural = provinces["pop_rural_2020"].to_numpy().astype(np.float64)
    od = origin_matrix(inflow, rural, great_circle_km(lon, lat))
    out = od.sum(axis=0)
    resident = provinces["pop_resident_2020"].to_numpy().astype(np.float64)
    bases = pl.DataFrame(
        {
            "region_code": codes,
            "region_name_zh": provinces["name_zh"],
            "resident": provinces["pop_resident_2020"].cast(pl.Float64),
            "interprov_in_migrants": inflow,
            "out_migrants_est": out,
            "registered_est": resident - inflow + out,
            "urbanisation_rate": provinces["pop_urban_2020"] / provinces["pop_resident_2020"],
        }
    )
    n = len(codes)
    od_frame = pl.DataFrame(
        {
            "destination_code": np.repeat(np.array(codes), n),
            "origin_code": np.tile(np.array(codes), n),
            "migrants_est": od.ravel(),
        }
    ).filter(pl.col("destination_code") != pl.col("origin_code"))
    return bases, od_frame
