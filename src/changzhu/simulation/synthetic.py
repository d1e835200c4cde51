"""Synthetic population (合成人口) fitted to the 2020 census: the fitted model and the per-city generator.

A city's people depend only on (seed, city, block size), never on how they are grouped into chunks, so the
local and the Dask engines, and any chunk size, produce the same persons. A city larger than the block size
is generated in blocks (households whole within a block), so no city needs to be in memory at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

import numpy as np
import polars as pl

from changzhu.data.census import census_2020
from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, PERSON_COLUMNS, SEXES, TITLE_LEVELS
from changzhu.parameters import Scenario, parameter_tree
from changzhu.rules.catalog import policies_in_use
from changzhu.simulation import attributes as attr
from changzhu.simulation.attribute_parameters import CENSUS_DATE, AttributeParameters, attribute_parameters
from changzhu.simulation.counties import CountyModel, county_model
from changzhu.simulation.declared import InputDefault, input_defaults, with_input_defaults
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
MIGRANT_STATUS = np.isin(np.arange(len(HUKOU_STATUSES)), (OTHER_COUNTY, OTHER_PROVINCE))
EPOCH = date(1970, 1, 1)
ID_SHIFT = 32  # person_id = city index << 32 | running number
DEFAULT_BLOCK_PERSONS = 500_000  # a city of more sampled persons is generated in blocks of at most this many


class CityBlock(NamedTuple):
    """One block of a city's residents: the unit the chunk planner groups (households are never split)."""

    city: int
    block: int


@dataclass(frozen=True)
class PopulationModel:
    """The IPF-fitted cell totals per city (full-country scale), the origin model for migrants, the county draw,
    and the attribute parameters (with a scenario's overrides, if the model was built under one)."""

    codes: tuple[str, ...]
    province_of: tuple[str, ...]
    cells: FloatArray  # city × age band × urban × sex × status, persons at full scale
    origins: OriginModel
    fit: IpfResult
    targets: CensusTargets
    attributes: AttributeParameters
    non_agricultural: FloatArray  # P(non-agricultural hukou): urban/rural × local/migrant
    counties: CountyModel
    declared: tuple[InputDefault, ...] = ()  # declared inputs with a default (the others are unknown)

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
def _fitted() -> tuple[IpfResult, CensusTargets, OriginModel]:
    """The IPF fit to the shipped census and the origin model (computed once per process, about half a second)."""
    census = census_2020()
    targets = census_targets(census.prefectures, census.provinces)
    fit = fit_census(targets)
    pref = targets.prefectures
    origins = origin_model(
        pref["centroid_lon"].to_numpy(),
        pref["centroid_lat"].to_numpy(),
        pref["pop_rural_2020"].fill_null(0).to_numpy().astype(np.float64),
        targets.province_index,
    )
    return fit, targets, origins


@cache
def population_model(scenario: Scenario | None = None) -> PopulationModel:
    """The model fitted to the shipped census, its attributes drawn with the tree's parameters (a scenario's
    overrides of `simulation.*` applied)."""
    fit, targets, origins = _fitted()
    pref = targets.prefectures
    codes = tuple(pref["code"].to_list())
    attributes = attribute_parameters(scenario)
    by_area_status = fit.table.sum(axis=(0, 1, 3))  # urban/rural × hukou status
    by_area_and_migrancy = np.stack(
        [by_area_status[:, ~MIGRANT_STATUS].sum(axis=1), by_area_status[:, MIGRANT_STATUS].sum(axis=1)], axis=1
    )
    return PopulationModel(
        codes=codes,
        province_of=tuple(pref["province_code"].to_list()),
        cells=fit.table,
        origins=origins,
        fit=fit,
        targets=targets,
        attributes=attributes,
        non_agricultural=attr.non_agricultural_shares(by_area_and_migrancy, attributes),
        counties=county_model(codes),
        declared=input_defaults(parameter_tree(), policies_in_use().declared_inputs(), CENSUS_DATE, scenario),
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


def city_counts(model: PopulationModel, city: int, fraction: float, seed: int) -> tuple[IntArray, np.random.Generator]:
    """A city's sampled persons per cell (whole numbers), and the city's random generator after drawing them."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(city,)))
    return integerize(model.cells[city].ravel() * fraction, rng), rng


def split_counts(counts: IntArray, block_persons: int) -> IntArray:
    """Cell counts dealt into blocks (rows) of at most `block_persons` persons, sizes differing by at most one.

    Every cell is spread evenly over the blocks and the leftover units dealt round-robin across cells, so each
    block has the city's mix of children and adults of every hukou status (households can form in it).
    """
    if block_persons <= 0:
        raise SimulationError("block size must be positive")
    blocks = max(1, -(-int(counts.sum()) // block_persons))
    base, rest = np.divmod(counts, blocks)
    out = np.repeat(base[np.newaxis, :], blocks, axis=0)
    start = np.concatenate(([0], np.cumsum(rest)[:-1]))
    for cell in np.flatnonzero(rest):
        out[(start[cell] + np.arange(rest[cell])) % blocks, cell] += 1
    return out


def block_sizes(model: PopulationModel, city: int, fraction: float, seed: int, block_persons: int) -> list[int]:
    """Persons in each block of a city, in block order."""
    counts, _ = city_counts(model, city, fraction, seed)
    return [int(n) for n in split_counts(counts, block_persons).sum(axis=1)]


def generate_city(
    model: PopulationModel,
    city: int,
    fraction: float,
    seed: int,
    as_of: date,
    block: int = 0,
    block_persons: int = DEFAULT_BLOCK_PERSONS,
) -> pl.DataFrame:
    """The synthetic residents of one block of a city (prefecture-level), as a person table plus model columns.

    A city of one block continues the city's generator; each block of a larger city has its own
    (`SeedSequence(seed, spawn_key=(city, block))`), so a block is generated without the rest of the city.
    """
    counts, rng = city_counts(model, city, fraction, seed)
    blocks = split_counts(counts, block_persons)
    if not 0 <= block < blocks.shape[0]:
        raise SimulationError(f"city {model.codes[city]} has {blocks.shape[0]} blocks, not block {block}")
    first = int(blocks[:block].sum())
    if blocks.shape[0] > 1:
        counts = blocks[block]
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(city, block)))
    cell = np.repeat(np.arange(counts.size), counts)
    band, urban, sex, status = (a.astype(np.int64) for a in np.unravel_index(cell, CELL_SHAPE))
    n = cell.size
    today = _days(as_of)
    p = model.attributes
    age = attr.age_years(band, rng, p)
    birth = today - np.floor(age * attr.DAYS_PER_YEAR).astype(np.int64)

    hukou = np.full(n, city, dtype=np.int64)
    for status_code, cdf in (
        (OTHER_COUNTY, model.origins.intraprovincial_cdf),
        (OTHER_PROVINCE, model.origins.interprovincial_cdf),
    ):
        sel = np.flatnonzero(status == status_code)
        hukou[sel] = model.origins.draw(cdf, city, rng.random(sel.size))
    migrant = attr.is_migrant(status)
    since = np.maximum(today - np.floor(attr.years_here(age, status, rng, p) * attr.DAYS_PER_YEAR), birth)
    since = since.astype(np.int64)

    parent, linked = link_parents(age, status, urban, rng)
    kids = np.flatnonzero(linked)
    hukou[kids] = hukou[parent[kids]]
    since[kids] = np.maximum(birth[kids], np.where(migrant[kids], since[parent[kids]], birth[kids]))

    months_here = ((today - since) / attr.DAYS_PER_YEAR * 12).astype(np.int64)
    employed, insured = attr.employment(age, sex == 1, status, urban, rng, p)
    si_total, si_local, medical = attr.insurance_months(age, months_here, status, insured, rng, p)
    permit_holder = migrant & (age >= p.residence_permit_min_age) & (rng.random(n) < p.residence_permit)
    permit = since + np.floor(rng.random(n) * (today - since)).astype(np.int64)

    prior = np.full(n, -1, dtype=np.int64)
    had_prior = np.flatnonzero(migrant & (rng.random(n) < p.prior_city))
    prior[had_prior] = model.origins.draw(model.origins.interprovincial_cdf, city, rng.random(had_prior.size))
    prior_months = np.where(prior >= 0, rng.integers(6, 121, n), 0)
    prior_si = np.where((prior >= 0) & insured, np.floor(prior_months * rng.random(n)), 0).astype(np.int64)

    inc = attr.income(urban, rng, p)
    tenure = attr.housing(status, urban, rng, p)
    inc[kids] = inc[parent[kids]]
    tenure[kids] = tenure[parent[kids]]
    criminal = (age >= p.criminal_record_min_age) & (rng.random(n) < p.criminal_record)
    schooling = attr.education(age, urban, rng, p)

    codes = pl.Series(model.codes, dtype=pl.String)
    ids = (np.int64(city) << ID_SHIFT) + first + np.arange(n, dtype=np.int64)
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
            "professional_title": _enum(TITLE_LEVELS, attr.professional_title(employed, schooling, rng, p)),
            "admin_detentions": attr.admin_detentions(age, rng, p).astype(np.int32),
            "si_base_ratio": pl.Series(attr.si_base_ratio(insured, rng, p), nan_to_null=True),
            # the model's only parents living here are the linked ones: someone unlinked has none here (known)
            "parent_lives_here": linked,
            "hukou_status": _enum(HUKOU_STATUSES, status),
            "urban": urban == 0,
            "income_band": _enum(attr.INCOME_BANDS, attr.income_band(inc)),
        }
    )
    # Drawn last, so adding them left every earlier attribute of the same seed unchanged; children take the parent's.
    kind = attr.hukou_type(status, urban, model.non_agricultural, rng)
    county = model.counties.draw(city, urban, rng.random(n))
    kind[kids] = kind[parent[kids]]
    county[kids] = county[parent[kids]]
    frame = frame.with_columns(
        _enum(attr.HUKOU_TYPES, kind).alias("hukou_type"),
        pl.Series("residence_county", model.counties.codes, dtype=pl.String).gather(county),
    )
    # Declared inputs with a default come after (and draw nothing when none has one); the rest stay unknown.
    frame = with_input_defaults(frame, model.declared, rng)
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


def generate_blocks(
    model: PopulationModel,
    blocks: list[CityBlock],
    fraction: float,
    seed: int,
    as_of: date,
    block_persons: int = DEFAULT_BLOCK_PERSONS,
) -> pl.DataFrame:
    """The residents of several city blocks, one table."""
    check_fraction(fraction)
    frames = [generate_city(model, b.city, fraction, seed, as_of, b.block, block_persons) for b in blocks]
    if not frames:
        raise SimulationError("no cities to generate")
    return with_schema_defaults(pl.concat(frames, how="vertical"))


def generate_cities(
    model: PopulationModel,
    cities: list[int],
    fraction: float,
    seed: int,
    as_of: date,
    block_persons: int = DEFAULT_BLOCK_PERSONS,
) -> pl.DataFrame:
    """The residents of several whole cities (every block), one table."""
    check_fraction(fraction)
    blocks = [CityBlock(c, b) for c in cities for b in range(len(block_sizes(model, c, fraction, seed, block_persons)))]
    return generate_blocks(model, blocks, fraction, seed, as_of, block_persons)
