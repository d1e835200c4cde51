"""Synthetic population (合成人口) fitted to the 2020 census: the fitted model and the per-city generator.

A city's people depend only on (seed, city), never on how cities are grouped into chunks, so the local
and the Dask engines, and any chunk size, produce the same persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
import polars as pl

from changzhu.data.census import census_2020
from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, PERSON_COLUMNS, SEXES, TITLE_LEVELS
from changzhu.simulation import attributes as attr
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.gravity import OriginModel, origin_model
from changzhu.simulation.households import link_parents
from changzhu.simulation.ipf import FloatArray, IntArray, IpfResult
from changzhu.simulation.marginals import (
    HUKOU_STATUSES,
    OTHER_COUNTY,
    OTHER_PROVINCE,
    CensusTargets,
    census_targets,
    fit_census,
    fit_error_table,
)

CELL_SHAPE = (4, 2, 2, 4)  # age band × urban/rural × sex × hukou status
EPOCH = date(1970, 1, 1)
ID_SHIFT = 32  # person_id = city index << 32 | running number


@dataclass(frozen=True)
class PopulationModel:
    """The IPF-fitted cell totals per city (full-country scale) and the origin model for migrants."""

    codes: tuple[str, ...]
    province_of: tuple[str, ...]
    cells: FloatArray  # city × age band × urban × sex × status, persons at full scale
    origins: OriginModel
    fit: IpfResult
    targets: CensusTargets

    @property
    def total(self) -> float:
        """Resident population of the country (the 31 provinces)."""
        return float(self.cells.sum())

    def expected_persons(self, fraction: float) -> FloatArray:
        """Expected sample size per city."""
        return np.asarray(self.cells.reshape(len(self.codes), -1).sum(axis=1) * fraction)

    def fit_errors(self) -> pl.DataFrame:
        """Fit error of the IPF table against every census margin it was fitted to."""
        return fit_error_table(self.fit.table, self.targets)


@cache
def population_model() -> PopulationModel:
    """The model fitted to the shipped census (computed once per process, about half a second)."""
    census = census_2020()
    targets = census_targets(census.prefectures, census.provinces)
    fit = fit_census(targets)
    pref = targets.prefectures
    origins = origin_model(
        pref["centroid_lon"].to_numpy(),
        pref["centroid_lat"].to_numpy(),
        pref["pop_resident_2020"].to_numpy().astype(np.float64),
        targets.province_index,
    )
    return PopulationModel(
        codes=tuple(pref["code"].to_list()),
        province_of=tuple(pref["province_code"].to_list()),
        cells=fit.table,
        origins=origins,
        fit=fit,
        targets=targets,
    )


def check_fraction(fraction: float) -> None:
    """A sample fraction must be in (0, 1]."""
    if not 0 < fraction <= 1:
        raise SimulationError(f"sample fraction must be in (0, 1], got {fraction}")


def integerize(expected: FloatArray, rng: np.random.Generator) -> IntArray:
    """Truncate, replicate, sample (Lovelace & Ballas 2013): floor each cell, then add the remainder units."""
    base = np.floor(expected).astype(np.int64)
    remainder = expected - base
    extra = round(float(remainder.sum()))
    if extra > 0:
        picked = rng.choice(expected.size, size=extra, replace=False, p=remainder / remainder.sum())
        base[picked] += 1
    return base


def _days(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: IntArray) -> pl.Series:
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _enum(categories: tuple[str, ...] | list[str], index: IntArray) -> pl.Series:
    return pl.Series(list(categories), dtype=pl.String).gather(index).cast(pl.Enum(list(categories)))


def generate_city(model: PopulationModel, city: int, fraction: float, seed: int, as_of: date) -> pl.DataFrame:
    """The synthetic residents of one city (prefecture-level), as a person table plus model columns."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(city,)))
    counts = integerize(model.cells[city].ravel() * fraction, rng)
    cell = np.repeat(np.arange(counts.size), counts)
    band, urban, sex, status = (a.astype(np.int64) for a in np.unravel_index(cell, CELL_SHAPE))
    n = cell.size
    today = _days(as_of)
    age = attr.age_years(band, rng)
    birth = today - np.floor(age * attr.DAYS_PER_YEAR).astype(np.int64)

    hukou = np.full(n, city, dtype=np.int64)
    for status_code, cdf in (
        (OTHER_COUNTY, model.origins.intraprovincial_cdf),
        (OTHER_PROVINCE, model.origins.interprovincial_cdf),
    ):
        sel = np.flatnonzero(status == status_code)
        hukou[sel] = model.origins.draw(cdf, city, rng.random(sel.size))
    migrant = attr.is_migrant(status)
    since = np.maximum(today - np.floor(attr.years_here(age, status, rng) * attr.DAYS_PER_YEAR), birth)
    since = since.astype(np.int64)

    parent, linked = link_parents(age, status, urban, rng)
    kids = np.flatnonzero(linked)
    hukou[kids] = hukou[parent[kids]]
    since[kids] = np.maximum(birth[kids], np.where(migrant[kids], since[parent[kids]], birth[kids]))

    months_here = ((today - since) / attr.DAYS_PER_YEAR * 12).astype(np.int64)
    employed, insured = attr.employment(age, sex == 1, status, urban, rng)
    si_total, si_local, medical = attr.insurance_months(age, months_here, status, insured, rng)
    permit_holder = migrant & (age >= 16) & (rng.random(n) < attr.RESIDENCE_PERMIT)
    permit = since + np.floor(rng.random(n) * (today - since)).astype(np.int64)

    prior = np.full(n, -1, dtype=np.int64)
    had_prior = np.flatnonzero(migrant & (rng.random(n) < attr.PRIOR_CITY))
    prior[had_prior] = model.origins.draw(model.origins.interprovincial_cdf, city, rng.random(had_prior.size))
    prior_months = np.where(prior >= 0, rng.integers(6, 121, n), 0)
    prior_si = np.where((prior >= 0) & insured, np.floor(prior_months * rng.random(n)), 0).astype(np.int64)

    inc = attr.income(urban, rng)
    tenure = attr.housing(status, urban, rng)
    inc[kids] = inc[parent[kids]]
    tenure[kids] = tenure[parent[kids]]
    criminal = (age >= 18) & (rng.random(n) < attr.CRIMINAL_RECORD)
    schooling = attr.education(age, urban, rng)

    codes = pl.Series(model.codes, dtype=pl.String)
    ids = (np.int64(city) << ID_SHIFT) + np.arange(n, dtype=np.int64)
    parent_ids = np.where(linked, ids[np.maximum(parent, 0)], 0)
    frame = pl.DataFrame(
        {
            "person_id": ids,
            "sex": _enum(SEXES, sex),
            "birth_date": _dates(birth),
            "hukou_region": codes.gather(hukou),
            "residence_region": codes.gather(np.full(n, city)),
            "residence_since": _dates(since),
            "residence_permit_since": _dates(permit),
            "si_months_local": si_local.astype(np.int32),
            "si_months_total": si_total.astype(np.int32),
            "medical_months_local": medical.astype(np.int32),
            "prior_region": codes.gather(np.maximum(prior, 0)),
            "prior_residence_months": prior_months.astype(np.int32),
            "prior_si_months": prior_si.astype(np.int32),
            "employed": employed,
            "education": _enum(EDUCATION_LEVELS, schooling),
            "housing": _enum(HOUSING_TENURES, tenure),
            "income_per_capita_month": inc,
            "parent_id": parent_ids,
            "criminal_record": criminal,
            "professional_title": _enum(TITLE_LEVELS, attr.professional_title(employed, schooling, rng)),
            "admin_detentions": attr.admin_detentions(age, rng).astype(np.int32),
            "si_base_ratio": pl.Series(attr.si_base_ratio(insured, rng), nan_to_null=True),
            "hukou_status": _enum(HUKOU_STATUSES, status),
            "urban": urban == 0,
            "income_band": _enum(attr.INCOME_BANDS, attr.income_band(inc)),
        }
    )
    return frame.with_columns(
        pl.when(pl.Series(permit_holder)).then(pl.col("residence_permit_since")),
        pl.when(pl.Series(prior >= 0)).then(pl.col("prior_region")),
        pl.when(pl.Series(linked)).then(pl.col("parent_id")),
    )


def with_schema_defaults(frame: pl.DataFrame) -> pl.DataFrame:
    """Add any optional person column the generator does not model, filled with the schema's default."""
    absent = [c for c in PERSON_COLUMNS if c.name not in frame.columns and getattr(c, "optional", False)]
    return frame.with_columns(pl.lit(getattr(c, "default", None), dtype=c.dtype).alias(c.name) for c in absent)


def missing_person_columns(frame: pl.DataFrame) -> list[str]:
    """Columns of the person schema the generator does not produce (empty when up to date)."""
    return [c.name for c in PERSON_COLUMNS if c.name not in frame.columns]


def generate_cities(model: PopulationModel, cities: list[int], fraction: float, seed: int, as_of: date) -> pl.DataFrame:
    """The residents of several cities, one table."""
    check_fraction(fraction)
    frames = [generate_city(model, c, fraction, seed, as_of) for c in cities]
    if not frames:
        raise SimulationError("no cities to generate")
    return with_schema_defaults(pl.concat(frames, how="vertical"))
