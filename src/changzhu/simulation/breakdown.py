"""Counts of a reform's effect by group, in replicate groups of households, for estimates with intervals.

Every sampled person falls in one of `REPLICATES` random groups (by household, so a household stays whole);
counts are kept per group, and `changzhu.simulation.intervals` turns them into estimates with a delete-a-group
jackknife interval. The groups: province, prefecture and county (where people live), age band, urban/rural
residence, local vs migrant hukou, agricultural vs non-agricultural hukou, and a fine income bin that becomes an
income decile once the whole population has been counted. A population without the county or hukou-type column
(one stored before they were drawn) counts everyone there as "unknown". Undetermined decisions (a declared input
without a default, docs/simulation.md) are counted as `undetermined`, never as eligible or as a change.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl

from changzhu.simulation.aggregate import ELIGIBLE_PREFIX, decision, services_of
from changzhu.simulation.costs import ServiceCost
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.hukou_place import AWAY_STATUSES

REPLICATES = 20
AGE_BANDS = ((0, 5), (6, 11), (12, 14), (15, 17), (18, 29), (30, 44), (45, 59), (60, 200))
INCOME_BINS_PER_E = 40  # income bins are 1/40 of a natural-log unit wide (about 2.5%)
DIMENSIONS = (
    "national",
    "province",
    "prefecture",
    "county",
    "age_band",
    "urban_rural",
    "residence",
    "hukou_type",
    "income_bin",
)
MEASURES = (
    "residents",
    "eligible_baseline",
    "eligible",
    "undetermined_baseline",
    "undetermined",
    "newly_eligible",
    "no_longer_eligible",
    "cost_baseline_yuan",
    "cost_yuan",
    "migrant_cost_baseline_yuan",
    "migrant_cost_yuan",
)
GROUP_KEYS = ["scenario", "year", "service", "dimension", "group", "replicate"]


def age_band_label(low: int, high: int) -> str:
    """'6-11', or '60+' for the open top band."""
    return f"{low}+" if high >= 200 else f"{low}-{high}"


def _age_band(age: pl.Expr) -> pl.Expr:
    band = pl.lit(None, dtype=pl.String)
    for low, high in reversed(AGE_BANDS):
        band = pl.when((age >= low) & (age <= high)).then(pl.lit(age_band_label(low, high))).otherwise(band)
    return band


def _string_or_unknown(people: pl.DataFrame, column: str) -> pl.Expr:
    """A column as text, or "unknown" for everyone when the population does not have it."""
    if column not in people.columns:
        return pl.lit("unknown")
    return pl.col(column).cast(pl.String).fill_null("unknown")


def grouped_people(people: pl.DataFrame, on: date, province_of: dict[str, str]) -> pl.DataFrame:
    """One row per person: household, replicate group and the group of each dimension (strings), in the input's
    order."""
    household = pl.when(pl.col("parent_id") > 0).then(pl.col("parent_id")).otherwise(pl.col("person_id"))
    age = ((pl.lit(on) - pl.col("birth_date")).dt.total_days() // 365.25).cast(pl.Int32)
    migrant = pl.col("hukou_status").cast(pl.String).is_in(AWAY_STATUSES)
    income = pl.col("income_per_capita_month").cast(pl.Float64)
    income_bin = (
        pl.when(income.is_null())
        .then(pl.lit("unknown"))
        .otherwise((income.clip(lower_bound=1.0).log() * INCOME_BINS_PER_E).floor().cast(pl.Int64).cast(pl.String))
    )
    return people.select(
        household.alias("household"),
        (household.hash(seed=7) % REPLICATES).cast(pl.Int32).alias("replicate"),
        age.alias("age_years"),
        pl.lit("national").alias("national"),  # a code, as every group's (labels.RESULT_GROUPS names it)
        pl.col("residence_region").replace_strict(province_of, default="unknown").alias("province"),
        pl.col("residence_region").alias("prefecture"),
        _string_or_unknown(people, "residence_county").alias("county"),
        _age_band(age).alias("age_band"),
        pl.when(pl.col("urban")).then(pl.lit("urban")).otherwise(pl.lit("rural")).alias("urban_rural"),
        pl.when(migrant).then(pl.lit("migrant")).otherwise(pl.lit("local")).alias("residence"),
        _string_or_unknown(people, "hukou_type").alias("hukou_type"),
        income_bin.alias("income_bin"),
    )


def unit_cost(service: str, costs: dict[str, ServiceCost], age: pl.Expr) -> pl.Expr:
    """Yearly cost of the place an eligible person of this age needs (0: needs none)."""
    cost = pl.lit(0, dtype=pl.Int64)
    entry = costs.get(service)
    if entry is None:
        return cost
    for place in reversed(entry.places):
        inside = (age >= place.age_min) & (age <= place.age_max)
        cost = pl.when(inside).then(pl.lit(place.yuan_per_year, dtype=pl.Int64)).otherwise(cost)
    return cost


def count_groups(
    groups: pl.DataFrame,
    scenario: str,
    on: date,
    baseline: pl.DataFrame,
    reform: pl.DataFrame,
    costs: dict[str, ServiceCost],
    base_costs: dict[str, ServiceCost],
) -> pl.DataFrame:
    """Long counts (sample persons, whole yuan) by scenario, year, service, dimension, group and replicate."""
    services = services_of(baseline)
    missing = [s for s in services if ELIGIBLE_PREFIX + s not in reform.columns]
    if missing:
        raise SimulationError(f"scenario {scenario!r}: evaluator result lacks eligible_{missing[0]}")
    age = pl.col("age_years")
    migrant = pl.col("residence") == "migrant"
    parts = []
    for service in services:
        base, base_unknown = decision(baseline, service)
        now, unknown = decision(reform, service)
        frame = groups.with_columns(b=base, e=now, bu=base_unknown, u=unknown).with_columns(
            ub=unit_cost(service, base_costs, age), ue=unit_cost(service, costs, age)
        )
        known_both = ~pl.col("u") & ~pl.col("bu")  # a change is counted only between two definite decisions
        sums = [
            pl.len().alias("residents"),
            pl.col("b").sum().alias("eligible_baseline"),
            pl.col("e").sum().alias("eligible"),
            pl.col("bu").sum().alias("undetermined_baseline"),
            pl.col("u").sum().alias("undetermined"),
            (pl.col("e") & ~pl.col("b") & known_both).sum().alias("newly_eligible"),
            (pl.col("b") & ~pl.col("e") & known_both).sum().alias("no_longer_eligible"),
            pl.when(pl.col("b")).then(pl.col("ub")).otherwise(0).sum().alias("cost_baseline_yuan"),
            pl.when(pl.col("e")).then(pl.col("ue")).otherwise(0).sum().alias("cost_yuan"),
            pl.when(pl.col("b") & migrant).then(pl.col("ub")).otherwise(0).sum().alias("migrant_cost_baseline_yuan"),
            pl.when(pl.col("e") & migrant).then(pl.col("ue")).otherwise(0).sum().alias("migrant_cost_yuan"),
        ]
        for dimension in DIMENSIONS:
            parts.append(
                frame.group_by(dimension, "replicate")
                .agg(sums)
                .select(
                    pl.lit(service).alias("service"),
                    pl.lit(dimension).alias("dimension"),
                    pl.col(dimension).alias("group"),
                    "replicate",
                    *[pl.col(m).cast(pl.Int64) for m in MEASURES],
                )
            )
    if not parts:
        return empty_group_counts()
    counts = pl.concat(parts).with_columns(pl.lit(scenario).alias("scenario"), pl.lit(on.year).alias("year"))
    return counts.select(*GROUP_KEYS, *MEASURES).with_columns(pl.col("year").cast(pl.Int32))


def empty_group_counts() -> pl.DataFrame:
    """A group-counts table with no rows."""
    schema: dict[str, pl.DataType] = {
        "scenario": pl.String(),
        "year": pl.Int32(),
        "service": pl.String(),
        "dimension": pl.String(),
        "group": pl.String(),
        "replicate": pl.Int32(),
    }
    schema.update({m: pl.Int64() for m in MEASURES})
    return pl.DataFrame(schema=schema)


def combine_groups(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Sum partial group counts over chunks (every column but the keys is a count)."""
    if not parts:
        return empty_group_counts()
    measures = [c for c in parts[0].columns if c not in GROUP_KEYS]
    return pl.concat(parts).group_by(GROUP_KEYS).agg(pl.col(m).sum() for m in measures).sort(GROUP_KEYS)


def decile_of_bins(counts: pl.DataFrame) -> dict[str, str]:
    """Income bin -> decile of persons ("D01" = poorest tenth), from the counted population.

    A bin is assigned whole to the decile its middle person falls in; bins are 2.5% of income wide, so a
    decile's edge is placed to within one bin.
    """
    bins = counts.filter(pl.col("dimension") == "income_bin")
    decile: dict[str, str] = {"unknown": "unknown"}
    if bins.is_empty():
        return decile
    first = bins.select(pl.first("scenario"), pl.first("year"), pl.first("service")).row(0)
    people = (
        bins.filter(pl.col("scenario") == first[0], pl.col("year") == first[1], pl.col("service") == first[2])
        .group_by("group")
        .agg(pl.col("residents").sum())
        .filter(pl.col("group") != "unknown")
        .with_columns(pl.col("group").cast(pl.Int64).alias("_bin"))
        .sort("_bin")
    )
    total = float(people["residents"].sum() or 0)
    before = 0.0
    for group, residents in people.select("group", "residents").iter_rows():
        middle = (before + residents / 2) / total if total else 0.0
        decile[group] = f"D{min(10, math.floor(middle * 10) + 1):02d}"
        before += residents
    return decile


def income_deciles(counts: pl.DataFrame, decile: dict[str, str] | None = None) -> pl.DataFrame:
    """Fine income bins regrouped into deciles of persons (`decile_of_bins` of these counts unless given)."""
    bins = counts.filter(pl.col("dimension") == "income_bin")
    if bins.is_empty():
        return counts
    decile = decile if decile is not None else decile_of_bins(counts)
    regrouped = bins.with_columns(
        pl.lit("income_decile").alias("dimension"), pl.col("group").replace_strict(decile, default="unknown")
    )
    return combine_groups([counts.filter(pl.col("dimension") != "income_bin"), regrouped])
