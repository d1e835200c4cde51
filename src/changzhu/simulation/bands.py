"""Households that gain and lose (PolicyEngine-style bands), in replicate groups, for estimates with intervals.

A household's benefit value is the yearly yuan of the places its members are eligible for, summed over the
services that have a unit cost (a service without one has no value and is left out, never counted as 0 yuan).
The reform's value against the baseline's puts the household in one of five bands: gains more than 5%, gains up
to 5%, no change, loses up to 5%, loses more than 5% (a household with no value in the baseline that gains any
is in "gains more than 5%"). A household with a member whose decision on a costed service is undetermined (a
needed fact unknown) in the baseline or the reform has no known value: it is in a sixth band, "undetermined",
never counted as a gain, a loss or no change. Households (parent and linked children) and their persons are
counted per band, nationally and by income decile, and the share of each band gets a delete-a-group jackknife
interval.

A household is a parent and the children the synthetic population links to them (`households.link_parents`): a
unit of two or more people. Everyone else (an adult with no linked child, a child with no parent found) is a
person not linked to a household: counted as a person, and on their own as `unlinked_persons`, never as a
household of one (the model does not form one-person households, couples or older people's households, so
counting each such person as a household read 1.1 billion households for a country of 494 million 家庭户).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from changzhu.simulation.aggregate import ELIGIBLE_PREFIX, decision
from changzhu.simulation.breakdown import GROUP_KEYS, REPLICATES, unit_cost
from changzhu.simulation.costs import ServiceCost
from changzhu.simulation.intervals import t_quantile

BANDS = ("gain_more_5", "gain_less_5", "no_change", "lose_less_5", "lose_more_5", "undetermined")
THRESHOLD = 0.05
ALL_SERVICES = "all_costed_services"
BAND_DIMENSIONS = ("national", "income_bin")
UNITS = ("households", "persons", "unlinked_persons")
LINKED_SIZE = 2  # a parent and at least one linked child
BAND_MEASURES = (
    "residents",
    "households",
    "unlinked_persons",
    *[f"{unit}_{band}" for unit in UNITS for band in BANDS],
)


def _value(frame: pl.DataFrame, services: list[str], costs: dict[str, ServiceCost]) -> pl.Series:
    """A person's yearly benefit value (whole yuan) from the decisions of `frame`; null (unknown) when a decision on a
    costed service is undetermined."""
    total = pl.lit(0, dtype=pl.Int64)
    unknown = pl.lit(False)
    columns = []
    for service in services:
        if service not in costs or ELIGIBLE_PREFIX + service not in frame.columns:
            continue
        eligible, undetermined = decision(frame, service)
        columns += [eligible.alias(f"_e_{service}"), undetermined.alias(f"_u_{service}")]
        cost = unit_cost(service, costs, pl.col("age_years"))
        total = total + pl.when(pl.col(f"_e_{service}")).then(cost).otherwise(0)
        unknown = unknown | pl.col(f"_u_{service}")
    value = pl.when(unknown).then(None).otherwise(total)
    return frame.select("age_years").with_columns(columns).select(value.alias("value")).to_series()


def band_of(baseline: pl.Expr, reform: pl.Expr) -> pl.Expr:
    """The band of a household from its baseline and reform values."""
    change = (reform - baseline).cast(pl.Float64)
    relative = change / baseline.cast(pl.Float64)
    return (
        pl.when(change.is_null())
        .then(pl.lit("undetermined"))
        .when(change == 0)
        .then(pl.lit("no_change"))
        .when((change > 0) & ((baseline == 0) | (relative > THRESHOLD)))
        .then(pl.lit("gain_more_5"))
        .when(change > 0)
        .then(pl.lit("gain_less_5"))
        .when(relative < -THRESHOLD)
        .then(pl.lit("lose_more_5"))
        .otherwise(pl.lit("lose_less_5"))
    )


def count_bands(
    groups: pl.DataFrame,
    scenario: str,
    on: date,
    baseline: pl.DataFrame,
    reform: pl.DataFrame,
    costs: dict[str, ServiceCost],
    base_costs: dict[str, ServiceCost],
) -> pl.DataFrame:
    """Households, persons and persons not linked to a household per band, by replicate group, nationally and by
    income bin (one scenario and date)."""
    services = sorted({*costs, *base_costs})
    before = baseline.with_columns(groups["age_years"])
    after = reform.with_columns(groups["age_years"])
    values = groups.select("household", "replicate", "age_years", "income_bin", "national").with_columns(
        _value(before, services, base_costs).alias("b"),
        _value(after, services, costs).alias("r"),
    )
    # a household's value is unknown when any member's is (a sum would silently read the unknown as 0)
    household_value = [
        pl.when(pl.col(c).is_null().any()).then(None).otherwise(pl.col(c).sum()).alias(c) for c in ("b", "r")
    ]
    households = (
        values.group_by("household", "replicate")
        .agg(pl.len().alias("size"), *household_value, pl.first("income_bin"), pl.first("national"))
        .with_columns(band_of(pl.col("b"), pl.col("r")).alias("band"))
    )
    linked = pl.col("size") >= LINKED_SIZE
    sums = [
        pl.col("size").sum().alias("residents"),
        linked.sum().alias("households"),
        (~linked).sum().alias("unlinked_persons"),
    ]
    for band in BANDS:
        in_band = pl.col("band") == band
        sums.append((in_band & linked).sum().alias(f"households_{band}"))
        sums.append(pl.when(in_band).then(pl.col("size")).otherwise(0).sum().alias(f"persons_{band}"))
        sums.append((in_band & ~linked).sum().alias(f"unlinked_persons_{band}"))
    parts = [
        households.group_by(dimension, "replicate")
        .agg(sums)
        .select(
            pl.lit(scenario).alias("scenario"),
            pl.lit(on.year).cast(pl.Int32).alias("year"),
            pl.lit(ALL_SERVICES).alias("service"),
            pl.lit(dimension).alias("dimension"),
            pl.col(dimension).alias("group"),
            pl.col("replicate").cast(pl.Int32),
            *[pl.col(m).cast(pl.Int64) for m in BAND_MEASURES],
        )
        for dimension in BAND_DIMENSIONS
    ]
    return pl.concat(parts)


def band_shares(counts: pl.DataFrame) -> pl.DataFrame:
    """Share of households and of persons in each band, with a delete-a-group jackknife 90% interval.

    The share is a ratio (band / all households of the group); its replicate r_(g) leaves group g out of both,
    and var = (G − 1)/G · Σ (r_(g) − r)².
    """
    keys = [k for k in GROUP_KEYS if k != "replicate"]
    g = REPLICATES
    parts = []
    for unit, total in (
        ("households", "households"),
        ("persons", "residents"),
        ("unlinked_persons", "unlinked_persons"),
    ):
        for band in BANDS:
            part = f"{unit}_{band}"
            frame = counts.with_columns(
                pl.col(part).sum().over(keys).alias("_t"), pl.col(total).sum().over(keys).alias("_d")
            ).with_columns(
                (pl.col("_t") / pl.col("_d")).alias("_r"),
                ((pl.col("_t") - pl.col(part)) / (pl.col("_d") - pl.col(total))).alias("_rg"),
            )
            summed = frame.group_by(keys).agg(
                pl.first("_r").alias("estimate"),
                # replicate groups with nobody of the group count as r_(g) = r
                ((pl.col("_rg").fill_nan(None).fill_null(pl.col("_r")) - pl.col("_r")) ** 2).sum().alias("_ss"),
                pl.col("residents").sum().alias("sampled_persons"),
            )
            half = t_quantile() * ((g - 1) / g * (pl.col("_ss"))).sqrt()
            parts.append(
                summed.select(
                    *keys,
                    pl.lit(f"share_{part}").alias("measure"),
                    "estimate",
                    (pl.col("estimate") - half).clip(lower_bound=0.0).alias("low"),
                    (pl.col("estimate") + half).clip(upper_bound=1.0).alias("high"),
                    "sampled_persons",
                    pl.lit(None, dtype=pl.String).alias("note"),
                )
            )
    return pl.concat(parts).sort([*keys, "measure"])
