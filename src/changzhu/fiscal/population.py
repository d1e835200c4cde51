"""Province population bases for fiscal formulas: the one definition of changzhu.domain.population, computed by
changzhu.geography.population_bases (the same figures planning shows).

The census gives, for every province, its residents and how many of them have hukou in another province
(跨省流入), not which one. changzhu.geography's gravity model splits them by origin (an ESTIMATE, labelled so
everywhere it is shown), fitted to the census's out-migrants of the provinces whose figure ships
(census_out_migrants_2020.csv: 河南 and 安徽 exactly, 四川 at least its lower bound); summing over destinations
gives each province's out-migrants, and

    registered_o = local-hukou resident_o + out_o = resident_o − in_o + out_o

so the national registered total equals the national resident total (as it must, ignoring people abroad).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from changzhu.data.census import census_2020
from changzhu.domain import population as pop
from changzhu.geography import ESTIMATE_LABEL, GravityModel, population_bases

__all__ = ["BASES_COLUMNS", "ESTIMATE_LABEL", "OUT_MIGRANTS_BASIS", "province_bases"]

# where each province's out-migrants come from (the column `out_migrants_basis`, a code for scripts):
OUT_MIGRANTS_BASIS = {
    # the code keeps its name: 安徽's exact figure is its own 2020 table's, not read in the census (docs/data.md)
    "census_2020": "the 2020 figure in census_out_migrants_2020.csv (bound exact; its source says whose)",
    "census_2020_lower_bound": "the census's lower bound: the model fell short of it and was raised to it",
    "gravity_model": "the gravity model, fitted so that all provinces' out-migrants sum to the census's in-migrants",
}

BASES_COLUMNS = (
    "region_code",
    "region_name_zh",
    pop.RESIDENT,
    pop.IN_MIGRANTS,
    pop.LOCAL_HUKOU_RESIDENT,
    pop.OUT_MIGRANTS_EST,
    pop.REGISTERED_EST,
    "out_migrants_basis",
    "urbanisation_rate",
)


def _basis(known: tuple[int, str] | None, out: float) -> str:
    if known is None:
        return "gravity_model"
    value, bound = known
    if bound == "exact":
        return "census_2020"
    return "census_2020_lower_bound" if abs(out - value) <= 1e-6 * value else "gravity_model"


def province_bases(
    provinces: pl.DataFrame, model: GravityModel | None = None, out_migrants: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Bases by province and the estimated origin–destination table, from the census province table.

    `out_migrants`: the census out-migrant figures the origins are fitted to; the shipped ones
    (Census2020.out_migrants) unless given (an empty table: the gravity model alone).
    Returns (bases with BASES_COLUMNS, od with destination_code, origin_code, migrants_est).
    """
    frame = provinces if "province_code" in provinces.columns else provinces.with_columns(province_code=pl.col("code"))
    known = census_2020().out_migrants if out_migrants is None else out_migrants
    bases, flows = population_bases(frame, model, known)
    rate = frame.select(
        pl.col("code").alias("region_code"),
        (pl.col("pop_urban_2020") / pl.col("pop_resident_2020")).alias("urbanisation_rate"),
    )
    figures = known.select("code", "out_migrants_2020", "bound").iter_rows()
    bounds = {code: (value, bound) for code, value, bound in figures}
    basis = [
        _basis(bounds.get(code), out)
        for code, out in zip(bases["region_code"].to_list(), bases[pop.OUT_MIGRANTS_EST].to_list(), strict=True)
    ]
    bases = (
        bases.join(rate, on="region_code", how="left")
        .with_columns(pl.Series("out_migrants_basis", basis, dtype=pl.String))
        .select(BASES_COLUMNS)
    )
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
