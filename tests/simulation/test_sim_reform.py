"""Reform analysis pieces: years that cover a reform's effective date, jackknife intervals, income deciles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from changzhu.simulation import load_rules_scenario, load_spec
from changzhu.simulation.breakdown import GROUP_KEYS, MEASURES, REPLICATES, income_deciles
from changzhu.simulation.intervals import interval_estimates, t_quantile, with_differences


def _spec(tmp_path: Path, since: str, years: str = "") -> tuple[int, ...]:
    path = tmp_path / "reform.yaml"
    block = f"simulation:\n  years: {years}\n" if years else ""
    path.write_text(
        f"name: later\noverrides:\n  entrance_exam.child_residence_months: {{value: 12, since: {since}}}\n{block}",
        encoding="utf-8",
    )
    return load_spec([path], load_rules_scenario).years


def test_default_years_cover_the_effective_date(tmp_path: Path) -> None:
    assert _spec(tmp_path, "2027-01-01") == (2025, 2027)
    assert _spec(tmp_path, "2027-10-01") == (2025, 2028)  # evaluated on 1 September: first in force in 2028
    assert _spec(tmp_path, "2027-01-01", "[2025, 2026]") == (2025, 2026)  # years the file names are kept


def _counts(values: list[int]) -> pl.DataFrame:
    rows = []
    for replicate, value in enumerate(values):
        row = {"scenario": "r", "year": 2025, "service": "s", "dimension": "national", "group": "all"}
        row |= {"replicate": replicate, **{m: 0 for m in MEASURES}, "residents": 10, "newly_eligible": value}
        rows.append(row)
    return pl.DataFrame(rows).with_columns(pl.col("year").cast(pl.Int32), pl.col("replicate").cast(pl.Int32))


def test_jackknife_interval_matches_the_delete_a_group_formula() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 50, REPLICATES).tolist()
    fraction = 0.01
    out = interval_estimates(with_differences(_counts(values)), fraction, costed={"s"})
    row = out.filter(pl.col("measure") == "newly_eligible").row(0, named=True)
    total = sum(values) / fraction
    g = REPLICATES
    dropped = [(sum(values) - v) / fraction * g / (g - 1) for v in values]
    variance = (g - 1) / g * sum((d - total) ** 2 for d in dropped)
    assert row["estimate"] == pytest.approx(total)
    assert row["high"] - row["estimate"] == pytest.approx(t_quantile() * variance**0.5)
    assert row["sampled_persons"] == 10 * REPLICATES
    uncosted = interval_estimates(with_differences(_counts(values)), fraction, costed=set())
    cost = uncosted.filter(pl.col("measure") == "delta_cost_yuan").row(0, named=True)
    assert cost["estimate"] is None and "no unit cost" in cost["note"]


def test_income_bins_become_deciles_of_persons() -> None:
    rng = np.random.default_rng(5)
    incomes = np.exp(rng.normal(7.5, 0.7, 20_000))
    bins = np.floor(np.log(incomes) * 40).astype(int).astype(str)
    frame = pl.DataFrame({"group": bins}).group_by("group").agg(pl.len().alias("residents"))
    counts = frame.with_columns(
        pl.lit("r").alias("scenario"),
        pl.lit(2025).cast(pl.Int32).alias("year"),
        pl.lit("s").alias("service"),
        pl.lit("income_bin").alias("dimension"),
        pl.lit(0).cast(pl.Int32).alias("replicate"),
        *[pl.lit(0).cast(pl.Int64).alias(m) for m in MEASURES if m != "residents"],
    ).select(*GROUP_KEYS, *[pl.col(m).cast(pl.Int64) for m in MEASURES])
    deciles = income_deciles(counts)
    assert set(deciles["dimension"]) == {"income_decile"}
    shares = deciles.sort("group")["residents"].to_numpy() / 20_000
    assert len(shares) == 10 and np.all(np.abs(shares - 0.1) < 0.02)


def test_payers_split_the_change_in_cost_and_a_service_without_rules_is_unknown() -> None:
    counts = _counts([0] * REPLICATES).with_columns(
        pl.lit(1000).cast(pl.Int64).alias("cost_yuan"), pl.lit(400).cast(pl.Int64).alias("migrant_cost_yuan")
    )
    shares = {"s": {"central": 0.5, "inflow_city": 0.3, "outflow_city": 0.2}}
    out = interval_estimates(with_differences(counts, shares), 0.5, costed={"s"})
    parts = {r["measure"]: r["estimate"] for r in out.iter_rows(named=True) if r["measure"].startswith("party_")}
    total = 1000 * REPLICATES / 0.5
    migrant = 400 * REPLICATES / 0.5
    assert parts["party_central_yuan"] == pytest.approx(0.5 * total)
    assert parts["party_outflow_city_yuan"] == pytest.approx(0.2 * migrant)
    assert parts["party_inflow_city_yuan"] == pytest.approx(0.3 * total + 0.2 * (total - migrant))
    assert sum(parts.values()) == pytest.approx(total)
    other = interval_estimates(with_differences(counts, {"t": shares["s"]}), 0.5, costed={"s"})
    central = other.filter(pl.col("measure") == "party_central_yuan").row(0, named=True)
    assert central["estimate"] is None and "no cost-sharing rule" in central["note"]


def test_a_count_interval_never_reaches_below_zero_and_a_difference_keeps_its_sign() -> None:
    # one replicate group holds every newly eligible person: the symmetric interval reaches far below 0
    values = [20] + [0] * (REPLICATES - 1)
    counts = _counts(values).with_columns(pl.col("newly_eligible").alias("eligible"))
    out = interval_estimates(with_differences(counts), 0.01, costed={"s"})
    rows = {r["measure"]: r for r in out.iter_rows(named=True)}
    count = rows["newly_eligible"]
    half = count["high"] - count["estimate"]
    assert half > count["estimate"]  # the jackknife's half-width exceeds the estimate
    assert count["low"] == 0.0 and count["high"] == pytest.approx(count["estimate"] + half)
    change = rows["delta_eligible"]  # a difference (reform minus baseline) may be negative: not clipped
    assert change["low"] == pytest.approx(change["estimate"] - (change["high"] - change["estimate"]))
    assert change["low"] < 0
