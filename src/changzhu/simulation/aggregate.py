"""Counting a chunk's people by city and service, and turning summed counts into full-country estimates.

Counts are integers (sample persons, whole yuan), so partial results add up exactly in any order: the
chunked and the Dask engines give identical tables. Demand for 低保 is its eligible people who take it up
(`changzhu.simulation.means_test`, a draw fixed by the household): recipients, not everyone entitled.

A decision is undetermined where the evaluator says so (`undetermined_<service>`) or gives no answer (a null
`eligible_<service>`): such a person is counted in `undetermined`, never as eligible, and never as a change
(newly or no longer eligible) from or to an undetermined decision.

A service named after migrants' children (随迁子女, `changzhu.simulation.hukou_place`) has two rows: under its name
the eligible children registered in another county or province, and under `<service>_any_hukou` every eligible
child, local hukou included, as the rules decide.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from changzhu.simulation.costs import ServiceCost
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.hukou_place import MIGRANT_CHILD_SERVICES, migrant_children, migrant_expr
from changzhu.simulation.means_test import dibao_model, takes_up

ELIGIBLE_PREFIX = "eligible_"
UNDETERMINED_PREFIX = "undetermined_"
KEYS = ["scenario", "year", "region_code", "service"]
COUNT_COLUMNS = [
    "persons",
    "eligible",
    "undetermined",
    "newly_eligible",
    "no_longer_eligible",
    "demand",
    "new_demand",
    "cost_yuan",
]
BASELINE = "baseline"
TAKEUP_SERVICES = ("minimum_living_allowance",)  # demand is eligible × take-up (means_test.takes_up)


def services_of(result: pl.DataFrame) -> list[str]:
    """Service names in an evaluator result (its `eligible_<service>` columns)."""
    return [c.removeprefix(ELIGIBLE_PREFIX) for c in result.columns if c.startswith(ELIGIBLE_PREFIX)]


def decision(result: pl.DataFrame, service: str) -> tuple[pl.Series, pl.Series]:
    """(eligible for certain, undetermined) of one service: a null eligible or a true undetermined_<service> is
    undetermined, and an undetermined person is not counted as eligible."""
    eligible = result[ELIGIBLE_PREFIX + service]
    unknown = eligible.is_null()
    if UNDETERMINED_PREFIX + service in result.columns:
        unknown = unknown | result[UNDETERMINED_PREFIX + service].fill_null(True)
    return (eligible.fill_null(False) & ~unknown).alias("eligible"), unknown.alias("undetermined")


def aligned(people: pl.DataFrame, result: pl.DataFrame) -> pl.DataFrame:
    """The evaluator result in the row order of `people`; it must have exactly one row per person."""
    if "person_id" not in result.columns:
        raise SimulationError("evaluator result has no person_id column")
    if result.height != people.height:
        raise SimulationError(f"evaluator returned {result.height} rows for {people.height} persons")
    if result["person_id"].equals(people["person_id"]):
        return result
    if not result["person_id"].sort().equals(people["person_id"].sort()):
        raise SimulationError("evaluator result does not have one row per person_id of the input")
    return people.select("person_id").join(result, on="person_id", how="left", maintain_order="left")


def _need(service: str, costs: dict[str, ServiceCost], age: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(needs a place, yearly cost of that place) for one service, from the person's age."""
    entry = costs.get(service)
    if entry is None:
        return pl.lit(True), pl.lit(0, dtype=pl.Int64)
    in_any = pl.lit(False)
    cost = pl.lit(0, dtype=pl.Int64)
    for place in reversed(entry.places):
        inside = (age >= place.age_min) & (age <= place.age_max)
        in_any = in_any | inside
        cost = pl.when(inside).then(pl.lit(place.yuan_per_year, dtype=pl.Int64)).otherwise(cost)
    return in_any, cost


Decision = tuple[pl.Series, pl.Series]  # (eligible for certain, undetermined)


def _rows(
    services: list[str], baseline: pl.DataFrame, reform: pl.DataFrame, away: pl.Series, hukou_unknown: pl.Series
) -> list[tuple[str, str, Decision, Decision]]:
    """(service, row, baseline decision, reform decision) of each row counted: one per service, and for a service
    named after migrants' children its row of children away from their hukou place and its row of every child."""
    rows = []
    for service in services:
        base, now = decision(baseline, service), decision(reform, service)
        any_hukou = MIGRANT_CHILD_SERVICES.get(service)
        if any_hukou is None:
            rows.append((service, service, base, now))
            continue
        migrant_base, migrant_now = (migrant_children(*d, away, hukou_unknown) for d in (base, now))
        rows.append((service, service, migrant_base, migrant_now))
        rows.append((service, any_hukou, base, now))
    return rows


def count_chunk(
    people: pl.DataFrame,
    on: date,
    scenario: str,
    baseline: pl.DataFrame,
    reform: pl.DataFrame,
    costs: dict[str, ServiceCost],
) -> pl.DataFrame:
    """Counts by city and service for one scenario and date (sample persons, whole yuan)."""
    services = services_of(baseline)
    missing = [s for s in services if ELIGIBLE_PREFIX + s not in reform.columns]
    if missing:
        raise SimulationError(f"scenario {scenario!r}: evaluator result lacks eligible_{missing[0]}")
    age = ((pl.lit(on) - pl.col("birth_date")).dt.total_days() // 365.25).cast(pl.Int32)
    frame = pl.DataFrame(
        {"region_code": people["residence_region"], "age": people.select(age.alias("age")).to_series()}
    )
    away, hukou_unknown = (people.select(e).to_series() for e in migrant_expr(people.columns))
    parts = []
    for service, row, (base, base_unknown), (now, unknown) in _rows(services, baseline, reform, away, hukou_unknown):
        needs, cost = _need(service, costs, pl.col("age"))
        if service in TAKEUP_SERVICES:
            needs = needs & pl.lit(pl.Series(takes_up(people, dibao_model(on))))
        known_both = ~pl.col("u") & ~pl.col("bu")  # a change is counted only between two definite decisions
        parts.append(
            frame.with_columns(b=base, e=now, u=unknown, bu=base_unknown)
            .with_columns(needs=needs, unit=cost)
            .group_by("region_code")
            .agg(
                pl.len().alias("persons"),
                pl.col("e").sum().alias("eligible"),
                pl.col("u").sum().alias("undetermined"),
                (pl.col("e") & ~pl.col("b") & known_both).sum().alias("newly_eligible"),
                (pl.col("b") & ~pl.col("e") & known_both).sum().alias("no_longer_eligible"),
                (pl.col("e") & pl.col("needs")).sum().alias("demand"),
                (pl.col("e") & ~pl.col("b") & known_both & pl.col("needs")).sum().alias("new_demand"),
                pl.when(pl.col("e") & pl.col("needs")).then(pl.col("unit")).otherwise(0).sum().alias("cost_yuan"),
            )
            .with_columns(pl.lit(row).alias("service"))
        )
    if not parts:
        return empty_counts()
    counts = pl.concat(parts).with_columns(pl.lit(scenario).alias("scenario"), pl.lit(on.year).alias("year"))
    return counts.select(*KEYS, *[pl.col(c).cast(pl.Int64) for c in COUNT_COLUMNS])


def empty_counts() -> pl.DataFrame:
    """A counts table with no rows."""
    schema: dict[str, pl.DataType] = {
        "scenario": pl.String(),
        "year": pl.Int32(),
        "region_code": pl.String(),
        "service": pl.String(),
    }
    schema.update({c: pl.Int64() for c in COUNT_COLUMNS})
    return pl.DataFrame(schema=schema)


def combine(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Sum partial counts by (scenario, year, city, service), sorted."""
    if not parts:
        return empty_counts()
    stacked = pl.concat([p.with_columns(pl.col("year").cast(pl.Int32)) for p in parts])
    return stacked.group_by(KEYS).agg(pl.col(c).sum() for c in COUNT_COLUMNS).sort(KEYS)


def estimates(counts: pl.DataFrame, fraction: float, province_of: dict[str, str], costed: set[str]) -> pl.DataFrame:
    """Full-population estimates (counts ÷ sample fraction) with the difference from the baseline.

    Costs are null for services without a unit cost (`costed` names those with one).
    """
    weight = 1.0 / fraction
    costed = costed | {MIGRANT_CHILD_SERVICES[s] for s in costed if s in MIGRANT_CHILD_SERVICES}
    scaled = counts.with_columns(pl.when(pl.col("service").is_in(sorted(costed))).then(pl.col("cost_yuan")))
    scaled = scaled.with_columns(
        pl.col("region_code").replace_strict(province_of, default=None).alias("province_code"),
        pl.col("persons").alias("persons_sampled"),
        *[(pl.col(c) * weight).alias(c) for c in COUNT_COLUMNS if c != "persons"],
        (pl.col("persons") * weight).alias("residents"),
    )
    base = scaled.filter(pl.col("scenario") == BASELINE).select(
        "year",
        "region_code",
        "service",
        pl.col("eligible").alias("_b_eligible"),
        pl.col("demand").alias("_b_demand"),
        pl.col("undetermined").alias("_b_undetermined"),
        pl.col("cost_yuan").alias("_b_cost"),
    )
    joined = scaled.join(base, on=["year", "region_code", "service"], how="left")
    return joined.select(
        "scenario",
        "year",
        "province_code",
        "region_code",
        "service",
        "persons_sampled",
        "residents",
        *COUNT_COLUMNS[1:],
        (pl.col("eligible") - pl.col("_b_eligible")).alias("delta_eligible"),
        (pl.col("undetermined") - pl.col("_b_undetermined")).alias("delta_undetermined"),
        (pl.col("demand") - pl.col("_b_demand")).alias("delta_demand"),
        (pl.col("cost_yuan") - pl.col("_b_cost")).alias("delta_cost_yuan"),
    )


def by_province(estimated: pl.DataFrame) -> pl.DataFrame:
    """City estimates summed to provinces."""
    measures = [
        "persons_sampled",
        "residents",
        *COUNT_COLUMNS[1:],
        "delta_eligible",
        "delta_undetermined",
        "delta_demand",
        "delta_cost_yuan",
    ]
    return (
        estimated.group_by(["scenario", "year", "province_code", "service"])
        .agg(pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c) for c in measures)
        .sort(["scenario", "year", "province_code", "service"])
    )
