"""Cohort-component population projection (人口预测) by region, with sex, broad age bands and gravity migration.

State per region: men and women in the census's age bands 0–4, 5–14, 15–64 and 65+. Each year: deaths at band
rates; a fraction 1/width of each band's survivors ages into the next band (even ages inside a band); births
from women 15–64 at each region's own fertility level (its 2020 child-woman ratio) scaled to the national
births of that year; net migration from the gravity model (changzhu.planning.migration) at the annual rate
the inter-provincial migrant stock grew between the 2010 and 2020 censuses, spread over ages by a fixed profile.
All assumptions are parameters of the tree (`projection.*`, changzhu.parameters) with their sources, read into
ProjectionAssumptions; a scenario overrides them like any parameter. None is fitted to the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020
from changzhu.geography import GravityModel
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.migration import flow_matrix
from changzhu.planning.population import census_table

BANDS = ("0_4", "5_14", "15_64", "65plus")
BAND_WIDTHS = np.array([5.0, 10.0, 50.0, np.inf])
SEXES = ("male", "female")
BASE_YEAR = 2020


@dataclass(frozen=True)
class ProjectionAssumptions:
    """The projection's assumptions, read from the parameter tree (`projection.*`, each with its source)."""

    births_by_year: dict[int, float]
    death_rates_under_65: tuple[float, float, float]
    national_deaths_base_year: float
    sex_ratio_total: float
    sex_ratio_at_birth: float
    migration_rate: float
    migrant_age_profile: tuple[float, float, float, float]
    gravity: GravityModel

    @classmethod
    def from_tree(cls, scenario: Scenario | None = None, last_year: int = BASE_YEAR + 30) -> ProjectionAssumptions:
        """Every assumption in force at the base date (births: each year's), a scenario's overrides applied."""
        tree = parameter_tree()

        def num(key: str, on: date = CENSUS_DAY) -> float:
            return tree.number(f"projection.{key}", on, scenario=scenario)

        first = min(v.since.year for v in tree.resolve(None, scenario)["projection.national_births"].values)
        stock_2010, stock_2020 = num("interprovincial_migrants_2010"), num("interprovincial_migrants_2020")
        return cls(
            births_by_year={y: num("national_births", date(y, 7, 1)) for y in range(first, last_year + 1)},
            death_rates_under_65=(num("death_rate.age_0_4"), num("death_rate.age_5_14"), num("death_rate.age_15_64")),
            national_deaths_base_year=num("national_deaths"),
            sex_ratio_total=num("sex_ratio_total"),
            sex_ratio_at_birth=num("sex_ratio_at_birth"),
            migration_rate=(stock_2020 - stock_2010) / 10 / stock_2020,
            migrant_age_profile=tuple(  # type: ignore[arg-type]
                num(f"migrant_age_profile.age_{band}") for band in BANDS
            ),
            gravity=GravityModel.from_tree(CENSUS_DAY, scenario),
        )

    def births(self, year: int) -> float:
        """National births in `year` (the last known year's value after the series ends)."""
        if year not in self.births_by_year:
            raise PlanningInputError(f"no national births for {year}")
        return self.births_by_year[year]


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
    a = assumptions or ProjectionAssumptions.from_tree()
    regions, stock = flow_matrix(level, model=a.gravity, census=census)
    table = census_table(level, census).join(regions.select(pl.col("region_code").alias("code")), on="code")
    table = table.sort(pl.col("code").replace_strict(regions["region_code"], range(regions.height)))
    pop = _initial(table, a.sex_ratio_total)
    net_share = (stock.sum(axis=0) - stock.sum(axis=1)) * a.migration_rate  # per year, by region
    under = np.array(a.death_rates_under_65)
    totals = pop.sum(axis=(0, 1))
    rate_65 = (a.national_deaths_base_year - float(under @ totals[:3])) / totals[3]
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
