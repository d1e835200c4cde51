"""Cohort-component population projection (人口预测) by region, with sex, broad age bands and gravity migration.

State per region: men and women in the census's age bands 0–4, 5–14, 15–64 and 65+. Each year: deaths at band
rates; a fraction 1/width of each band's survivors ages into the next band (even ages inside a band); births
from women 15–64 at each region's own fertility level (its 2020 child-woman ratio) scaled to the national
births of that year; net migration from the gravity model (changzhu.planning.migration) at the annual rate
the inter-provincial migrant stock grew between the 2010 and 2020 censuses, spread over ages by a fixed profile.
All assumptions are fields of ProjectionAssumptions with their sources; none is fitted to the future.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from changzhu.data.census import Census2020
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.migration import flow_matrix
from changzhu.planning.population import census_table

BANDS = ("0_4", "5_14", "15_64", "65plus")
BAND_WIDTHS = np.array([5.0, 10.0, 50.0, np.inf])
SEXES = ("male", "female")
BASE_YEAR = 2020


@dataclass(frozen=True)
class ProjectionAssumptions:
    """Parameters of the projection; `verified: false` in docs/planning.md marks figures not re-read in a source."""

    # National births (出生人口) by year, NBS statistical communiqués 2020–2024; held at the last value after.
    national_births: dict[int, float] = field(
        default_factory=lambda: {2020: 12.02e6, 2021: 10.62e6, 2022: 9.56e6, 2023: 9.02e6, 2024: 9.54e6}
    )
    # Annual death rates by band. Under 65 from published infant/child and adult mortality levels (rounded);
    # the 65+ rate is solved each run so that 2020 deaths equal NBS's 9.98 million (2020 communiqué).
    death_rates_under_65: tuple[float, float, float] = (0.0015, 0.0002, 0.0022)
    national_deaths_2020: float = 9.98e6
    sex_ratio_total: float = 105.07  # men per 100 women, 2020 census communiqué No. 4
    sex_ratio_at_birth: float = 111.3  # 2020 census communiqué No. 4
    # Inter-provincial migrant stock grew from 85.88 million (2010 census) to 124.84 million (2020): 3.12 % a year
    # of the 2020 stock moves on net, in the pattern of the gravity model.
    migration_rate: float = (124.84e6 - 85.88e6) / 10 / 124.84e6
    migrant_age_profile: tuple[float, float, float, float] = (0.04, 0.08, 0.85, 0.03)
    gravity_alpha: float = 1.0
    gravity_gamma: float = 2.0

    def births(self, year: int) -> float:
        """National births in `year` (the last known year's value after the series ends)."""
        known = max(y for y in self.national_births if y <= year) if year >= min(self.national_births) else None
        if known is None:
            raise PlanningInputError(f"no national births for {year}")
        return self.national_births[known]


def _initial(table: pl.DataFrame, sex_ratio: float) -> np.ndarray:
    total = table["pop_resident_2020"].to_numpy().astype(float)
    b04 = table["pop_age_0_4_2020"].fill_null(0).to_numpy().astype(float)
    b514 = table["pop_age_5_14_2020"].fill_null(0).to_numpy().astype(float)
    b65 = table["pop_age_65plus_2020"].fill_null(0).to_numpy().astype(float)
    bands = np.stack([b04, b514, np.maximum(total - b04 - b514 - b65, 0.0), b65], axis=1)
    male = sex_ratio / (100.0 + sex_ratio)
    return np.stack([bands * male, bands * (1 - male)], axis=1)  # (region, sex, band)


def project(
    level: str = "province",
    years: int = 10,
    assumptions: ProjectionAssumptions | None = None,
    census: Census2020 | None = None,
) -> pl.DataFrame:
    """Population by region, year, sex and age band from 2020 to 2020 + `years` (long table)."""
    if not 1 <= years <= 30:
        raise PlanningInputError(f"years = {years}: project between 1 and 30 years ahead")
    a = assumptions or ProjectionAssumptions()
    regions, stock = flow_matrix(level, alpha=a.gravity_alpha, gamma=a.gravity_gamma, census=census)
    table = census_table(level, census).join(regions.select(pl.col("region_code").alias("code")), on="code")
    table = table.sort(pl.col("code").replace_strict(regions["region_code"], range(regions.height)))
    pop = _initial(table, a.sex_ratio_total)
    net_share = (stock.sum(axis=0) - stock.sum(axis=1)) * a.migration_rate  # per year, by region
    under = np.array(a.death_rates_under_65)
    totals = pop.sum(axis=(0, 1))
    rate_65 = (a.national_deaths_2020 - float(under @ totals[:3])) / totals[3]
    death = np.append(under, rate_65)
    women_1564 = pop[:, 1, 2]
    fertility = pop[:, :, 0].sum(axis=1) / 5.0 / np.maximum(women_1564, 1.0)  # births per woman, relative level
    boy = a.sex_ratio_at_birth / (100.0 + a.sex_ratio_at_birth)
    profile = np.asarray(a.migrant_age_profile) / sum(a.migrant_age_profile)
    frames = [pop.copy()]
    for step in range(1, years + 1):
        survivors = pop * (1.0 - death)[None, None, :]
        ageing = survivors / BAND_WIDTHS[None, None, :]
        nxt = survivors - ageing
        nxt[:, :, 1:] += ageing[:, :, :-1]
        weight = fertility * pop[:, 1, 2]
        births = a.births(BASE_YEAR + step) * weight / weight.sum()
        nxt[:, 0, 0] += births * boy
        nxt[:, 1, 0] += births * (1 - boy)
        nxt += net_share[:, None, None] * 0.5 * profile[None, None, :]
        pop = np.maximum(nxt, 0.0)
        frames.append(pop.copy())
    cube = np.stack(frames)  # (year, region, sex, band)
    y, r, s, b = np.indices(cube.shape)
    return pl.DataFrame(
        {
            "region_code": regions["region_code"].to_numpy()[r.ravel()],
            "region_name_zh": regions["region_name_zh"].to_numpy()[r.ravel()],
            "year": (BASE_YEAR + y.ravel()).astype(np.int64),
            "sex": np.array(SEXES)[s.ravel()],
            "age_band": np.array(BANDS)[b.ravel()],
            "population": cube.ravel(),
        }
    )


def growth_summary(projection: pl.DataFrame) -> pl.DataFrame:
    """Per region: population in the first and last year, change and whether it grows or shrinks."""
    totals = projection.group_by("region_code", "region_name_zh", "year").agg(pl.col("population").sum())
    first, last = totals["year"].min(), totals["year"].max()
    start = totals.filter(pl.col("year") == first).select(
        "region_code", "region_name_zh", pl.col("population").alias("pop_start")
    )
    end = totals.filter(pl.col("year") == last).select("region_code", pl.col("population").alias("pop_end"))
    return (
        start.join(end, on="region_code")
        .with_columns(
            (pl.col("pop_end") - pl.col("pop_start")).alias("change"),
            ((pl.col("pop_end") / pl.col("pop_start") - 1.0) * 100).alias("change_pct"),
            pl.lit(int(first)).alias("year_start"),  # type: ignore[arg-type]
            pl.lit(int(last)).alias("year_end"),  # type: ignore[arg-type]
        )
        .with_columns(pl.when(pl.col("change") >= 0).then(pl.lit("grows")).otherwise(pl.lit("shrinks")).alias("trend"))
        .sort("change_pct", descending=True)
    )
