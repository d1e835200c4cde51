"""Province population bases for fiscal formulas: the one definition of changzhu.domain.population, computed by
changzhu.geography.population_bases (the same figures planning shows).

The census gives, for every province, its residents and how many of them have hukou in another province
(跨省流入), not which one. changzhu.geography's gravity model splits them by origin (an ESTIMATE, labelled so
everywhere it is shown); summing over destinations gives each province's estimated out-migrants, and

    registered_o = local-hukou resident_o + out_o = resident_o − in_o + out_o

so the national registered total equals the national resident total (as it must, ignoring people abroad).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.domain import population as pop
from changzhu.geography import ESTIMATE_LABEL, GravityModel, population_bases

__all__ = ["BASES_COLUMNS", "ESTIMATE_LABEL", "province_bases"]

BASES_COLUMNS = (
    "region_code",
    "region_name_zh",
    pop.RESIDENT,
    pop.IN_MIGRANTS,
    pop.LOCAL_HUKOU_RESIDENT,
    pop.OUT_MIGRANTS_EST,
    pop.REGISTERED_EST,
    "urbanisation_rate",
)


def province_bases(provinces: pl.DataFrame, model: GravityModel | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Bases by province and the estimated origin–destination table, from the census province table.

    Returns (bases with BASES_COLUMNS, od with destination_code, origin_code, migrants_est).
    """
    frame = provinces if "province_code" in provinces.columns else provinces.with_columns(province_code=pl.col("code"))
    bases, flows = population_bases(frame, model)
    rate = frame.select(
        pl.col("code").alias("region_code"),
        (pl.col("pop_urban_2020") / pl.col("pop_resident_2020")).alias("urbanisation_rate"),
    )
    bases = bases.join(rate, on="region_code", how="left").select(BASES_COLUMNS)
    codes = np.array(bases["region_code"].to_list())
    n = codes.size
    od = pl.DataFrame(
        {
            "destination_code": np.repeat(codes, n),
            "origin_code": np.tile(codes, n),
            "migrants_est": flows.ravel(),
        }
    ).filter(pl.col("destination_code") != pl.col("origin_code"))
    return bases, od
