"""A reform against the baseline by group, with intervals, on a sample that meets a target precision.

`run_reform` evaluates the synthetic population chunk by chunk (like `simulate`), keeps counts by province,
age band, urban/rural, local/migrant and income decile in replicate groups, and returns estimates with 90%
intervals. With a precision target it runs a pilot at the given sample, and if the headline estimate's
relative half-width misses the target, runs once more at the sample the pilot says is needed (sampling error
falls with the square root of the sample), up to `max_sample`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.parameters import cited
from changzhu.simulation.aggregate import aligned
from changzhu.simulation.bands import band_shares, count_bands
from changzhu.simulation.breakdown import combine_groups, count_groups, decile_of_bins, grouped_people, income_deciles
from changzhu.simulation.engine import Evaluator, SimulationPlan, advance, chunk_people, plan_chunks, release_memory
from changzhu.simulation.intervals import interval_estimates, with_differences
from changzhu.simulation.spec import SimulationSpec
from changzhu.simulation.synthetic import population_model

ReformProgress = Callable[[float, int], None]  # the share done, the year being estimated
HEADLINE_MEASURES = ("newly_eligible", "no_longer_eligible")
# Counties are many (about 2,900): their rows keep only the measures the map and the exports show.
COUNTY_MEASURES = (
    "residents",
    "eligible",
    "undetermined",
    "newly_eligible",
    "no_longer_eligible",
    "delta_eligible",
    "delta_cost_yuan",
)
SAFETY = 1.2  # the second run's sample is this much above the pilot's estimate of what is needed


@dataclass(frozen=True)
class ReformResult:
    """Estimates with intervals, the sample they come from, and the precision reached on the headline."""

    estimates: pl.DataFrame
    fraction: float
    seed: int
    years: tuple[int, ...]
    sampled_persons: int
    headline: dict[str, Any]
    pilot: dict[str, Any] | None
    unit_costs: list[dict[str, Any]]
    uncosted: list[str]


def headline(estimates: pl.DataFrame) -> dict[str, Any]:
    """The largest national change (newly or no longer eligible, any service, reform, year) and its precision."""
    national = estimates.filter(
        pl.col("dimension") == "national", pl.col("measure").is_in(HEADLINE_MEASURES), pl.col("estimate") > 0
    ).sort("estimate", descending=True)
    if national.is_empty():
        return {"measure": None, "relative_half_width": None, "note": "the reform changes no one's eligibility"}
    row = national.row(0, named=True)
    half = row["high"] - row["estimate"]  # the upper half: a count's lower end may be clipped at 0 (intervals)
    return {
        "scenario": row["scenario"],
        "year": row["year"],
        "service": row["service"],
        "measure": row["measure"],
        "estimate": row["estimate"],
        "low": row["low"],
        "high": row["high"],
        "relative_half_width": half / row["estimate"],
    }


def _unit_costs(plan: SimulationPlan) -> list[dict[str, Any]]:
    return [
        {
            "scenario": name,
            "service": service,
            "age_min": place.age_min,
            "age_max": place.age_max,
            "yuan_per_year": place.yuan_per_year,
            "source": place.source,
            "source_en": cited(place.source, place.source_en, Lang.EN),  # the office shows the one of its language
        }
        for name, _ in plan.scenarios
        for service, cost in sorted(plan.costs_of(name).items())
        for place in cost.places
    ]


def count_reform(
    plan: SimulationPlan,
    evaluator: Evaluator,
    progress: ReformProgress | None = None,
    share: tuple[float, float] = (0.0, 1.0),
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Group counts and gain/loss band counts of every reform of the plan against the baseline, summed over the
    chunks (income still in fine bins)."""
    model = population_model(plan.population)
    province_of = dict(zip(model.codes, model.province_of, strict=True))
    chunks = plan_chunks(model, plan)
    steps = max(1, len(chunks) * len(plan.dates))
    done = 0
    parts = []
    bands = []
    for chunk in chunks:
        people = chunk_people(chunk, plan)
        for on in plan.dates:
            current = advance(people, plan.as_of, on)
            groups = grouped_people(current, on, province_of)
            baseline = aligned(current, evaluator(current, on, None))
            for name, scenario in plan.scenarios[1:]:
                reform = aligned(current, evaluator(current, on, scenario))
                parts.append(count_groups(groups, name, on, baseline, reform, plan.costs_of(name), plan.costs))
                bands.append(count_bands(groups, name, on, baseline, reform, plan.costs_of(name), plan.costs))
            done += 1
            if progress is not None:
                progress(share[0] + (share[1] - share[0]) * done / steps, on.year)
        del people
        release_memory()
    return combine_groups(parts), combine_groups(bands)


def estimate_reform(
    plan: SimulationPlan,
    evaluator: Evaluator,
    shares: Mapping[str, Mapping[str, float]] | None,
    progress: ReformProgress | None = None,
    share: tuple[float, float] = (0.0, 1.0),
) -> pl.DataFrame:
    """Estimates with intervals for one plan (see `changzhu.simulation.intervals`), the gain/loss bands (service
    `all_costed_services`: households and persons per band, and each band's share) included."""
    groups, bands = count_reform(plan, evaluator, progress, share)
    decile = decile_of_bins(groups)
    counts = with_differences(income_deciles(groups, decile), shares)
    estimates = interval_estimates(counts, plan.fraction, plan.costed_services).filter(
        (pl.col("dimension") != "county") | pl.col("measure").is_in(COUNTY_MEASURES)
    )
    if bands.is_empty():
        return estimates
    band_counts = income_deciles(bands, decile)
    return pl.concat([estimates, interval_estimates(band_counts, plan.fraction, set()), band_shares(band_counts)])


def needed_sample(fraction: float, relative_half_width: float, target: float, max_sample: float) -> float:
    """The sample at which the half-width should shrink to `target` (it falls with √sample), capped."""
    wanted = fraction * (relative_half_width / target) ** 2 * SAFETY
    return float(min(max_sample, max(fraction, wanted)))


def _sampled(estimates: pl.DataFrame) -> int:
    national = estimates.filter(pl.col("dimension") == "national", pl.col("measure") == "residents")
    if national.is_empty():
        return 0
    first = national.row(0, named=True)
    one = national.filter(
        pl.col("scenario") == first["scenario"], pl.col("year") == first["year"], pl.col("service") == first["service"]
    )
    return int(one["sampled_persons"].sum() or 0)


def run_reform(
    spec: SimulationSpec,
    evaluator: Evaluator,
    *,
    sample: float,
    seed: int,
    years: tuple[int, ...],
    shares: Mapping[str, Mapping[str, float]] | None = None,
    target: float | None = None,
    max_sample: float = 1.0,
    progress: ReformProgress | None = None,
) -> ReformResult:
    """Run every reform of `spec` against the baseline; with `target`, resample once if the pilot misses it."""
    plan = spec.plan(sample=sample, seed=seed, years=years)
    first_share = (0.0, 0.3) if target is not None else (0.0, 1.0)
    estimates = estimate_reform(plan, evaluator, shares, progress, first_share)
    reached = headline(estimates)
    pilot = None
    precision = reached.get("relative_half_width")
    if target is not None and precision is not None and precision > target and sample < max_sample:
        bigger = needed_sample(sample, float(precision), target, max_sample)
        pilot = {**reached, "sample": sample, "sampled_persons": _sampled(estimates)}
        plan = spec.plan(sample=bigger, seed=seed, years=years)
        estimates = estimate_reform(plan, evaluator, shares, progress, (0.3, 1.0))
        reached = headline(estimates)
    services = set(estimates["service"].unique().to_list())
    return ReformResult(
        estimates=estimates,
        fraction=plan.fraction,
        seed=plan.seed,
        years=tuple(d.year for d in plan.dates),
        sampled_persons=_sampled(estimates),
        headline={**reached, "target": target},
        pilot=pilot,
        unit_costs=_unit_costs(plan),
        uncosted=sorted(services - plan.costed_services),
    )
