"""Full-population estimates with 90% intervals from replicate-group counts (delete-a-group jackknife).

With G random groups of households, group totals t_g, T = Σ t_g and weight w = 1 / sample fraction, the
estimate is w·T and its jackknife variance w²·G/(G−1)·(Σ t_g² − T²/G); the interval is the estimate ± the 95th
percentile of Student's t with G−1 degrees of freedom times the standard error. A difference (reform minus
baseline, or a payer's share) is formed per group first, so its interval accounts for the pairing.

A count or a cost (anything but a difference) cannot be below 0, while the symmetric interval of a small, noisy
count can reach below it (200,000 ± 345,827): its lower end is clipped at 0 (`CLIPPED_AT_ZERO`, said in the run's
summary and in docs/simulation.md); the upper end stays as computed.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from changzhu.simulation.breakdown import GROUP_KEYS, REPLICATES

LEVEL = 0.90
COST_MEASURES = (
    "cost_baseline_yuan",
    "cost_yuan",
    "migrant_cost_baseline_yuan",
    "migrant_cost_yuan",
    "delta_cost_yuan",
)
NO_UNIT_COST = "no unit cost (不计成本)"
NO_SHARING_RULE = "no cost-sharing rule for this service (无分担规则)"
DIFFERENCE = "^(delta|party)_"  # measures that can be negative: a change, a payer's part of a change
CLIPPED_AT_ZERO = "a count's or a cost's interval is clipped at 0 (its lower end never below 0)"


def t_quantile(replicates: int = REPLICATES, level: float = LEVEL) -> float:
    """The two-sided Student-t quantile of the interval."""
    from scipy.stats import t as student_t  # scipy.stats (≈1 s of CPU) when an interval is computed, not at import

    return float(student_t.ppf(0.5 + level / 2, replicates - 1))


def with_differences(counts: pl.DataFrame, shares: Mapping[str, Mapping[str, float]] | None = None) -> pl.DataFrame:
    """Counts with the reform-minus-baseline measures and, if `shares` (service -> party -> share) is given,
    each party's part of the change in cost (party_<name>_yuan), all per replicate group."""
    frame = counts.with_columns(
        (pl.col("eligible") - pl.col("eligible_baseline")).alias("delta_eligible"),
        (pl.col("cost_yuan") - pl.col("cost_baseline_yuan")).alias("delta_cost_yuan"),
    )
    if not shares:
        return frame
    delta = pl.col("delta_cost_yuan").cast(pl.Float64)
    delta_migrant = (pl.col("migrant_cost_yuan") - pl.col("migrant_cost_baseline_yuan")).cast(pl.Float64)
    parties = sorted({p for row in shares.values() for p in row})
    columns = []
    for party in parties:
        expr = pl.lit(None, dtype=pl.Float64)
        for service, row in shares.items():
            share = float(row.get(party, 0.0))
            if party == "outflow_city":
                part = share * delta_migrant
            elif party == "inflow_city":
                part = share * delta + float(row.get("outflow_city", 0.0)) * (delta - delta_migrant)
            else:
                part = share * delta
            expr = pl.when(pl.col("service") == service).then(part).otherwise(expr)
        columns.append(expr.alias(f"party_{party}_yuan"))
    return frame.with_columns(columns)


def interval_estimates(counts: pl.DataFrame, fraction: float, costed: set[str]) -> pl.DataFrame:
    """Long table: scenario, year, service, dimension, group, measure, estimate, low, high, sampled persons.

    Cost measures of a service without a unit cost have no estimate (null) and say so in `note`.
    """
    weight = 1.0 / fraction
    measures = [c for c in counts.columns if c not in GROUP_KEYS]
    keys = [k for k in GROUP_KEYS if k != "replicate"]
    long = counts.unpivot(index=GROUP_KEYS, on=measures, variable_name="measure", value_name="count").with_columns(
        pl.col("count").cast(pl.Float64)
    )
    sampled = counts.group_by(keys).agg(pl.col("residents").sum().alias("sampled_persons"))
    summed = long.group_by([*keys, "measure"]).agg(
        pl.col("count").sum().alias("total"),
        (pl.col("count") ** 2).sum().alias("squares"),
        pl.col("count").is_not_null().any().alias("known"),
    )
    g = REPLICATES
    half = (
        t_quantile()
        * weight
        * ((pl.col("squares") - pl.col("total") ** 2 / g).clip(lower_bound=0) * g / (g - 1)).sqrt()
    )
    uncosted = ~pl.col("service").is_in(sorted(costed)) & (
        pl.col("measure").is_in(COST_MEASURES) | pl.col("measure").str.starts_with("party_")
    )
    out = summed.with_columns(
        (pl.col("total") * weight).alias("estimate"),
        half.alias("_half"),
    ).with_columns(
        pl.when(pl.col("measure").str.contains(DIFFERENCE))
        .then(pl.col("estimate") - pl.col("_half"))
        .otherwise((pl.col("estimate") - pl.col("_half")).clip(lower_bound=0.0))
        .alias("low"),
        (pl.col("estimate") + pl.col("_half")).alias("high"),
    )
    unknown = uncosted | ~pl.col("known")
    out = out.with_columns(
        *[pl.when(unknown).then(None).otherwise(pl.col(c)).alias(c) for c in ("estimate", "low", "high")],
        pl.when(uncosted)
        .then(pl.lit(NO_UNIT_COST))
        .when(~pl.col("known"))
        .then(pl.lit(NO_SHARING_RULE))
        .otherwise(None)
        .alias("note"),
    )
    return (
        out.join(sampled, on=keys, how="left")
        .select(*keys, "measure", "estimate", "low", "high", "sampled_persons", "note")
        .sort([*keys, "measure"])
    )
