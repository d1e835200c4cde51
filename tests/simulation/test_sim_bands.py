"""Gain/loss bands: a household's band from its benefit values, and the jackknife interval of a band's share."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from changzhu.simulation.bands import ALL_SERVICES, BAND_MEASURES, BANDS, band_of, band_shares, count_bands
from changzhu.simulation.breakdown import REPLICATES
from changzhu.simulation.costs import PlaceCost, ServiceCost
from changzhu.simulation.intervals import t_quantile


def test_bands_of_household_values() -> None:
    frame = pl.DataFrame({"b": [0, 0, 1000, 1000, 1000, 1000, 1000, 1000], "r": [0, 10, 1100, 1040, 1000, 990, 900, 0]})
    bands = frame.select(band_of(pl.col("b"), pl.col("r"))).to_series().to_list()
    assert bands == [
        "no_change",
        "gain_more_5",  # nothing before, something after
        "gain_more_5",
        "gain_less_5",
        "no_change",
        "lose_less_5",
        "lose_more_5",
        "lose_more_5",
    ]


def test_people_without_a_household_link_are_not_households() -> None:
    # a synthetic population's links: 9 adults alone and one parent with two children (12 people, one household).
    # Each person alone was counted as a household, so the country read 1.1 billion households for 1.41 billion
    # people (the 2020 census counted 494 million 家庭户).
    groups = pl.DataFrame(
        {
            "household": [*range(100, 109), 7, 7, 7],
            "replicate": [*range(9), 9, 9, 9],
            "age_years": [30] * 9 + [35, 5, 8],
            "income_bin": ["300"] * 12,
            "national": ["all"] * 12,
        }
    ).with_columns(pl.col("replicate").cast(pl.Int32), pl.col("age_years").cast(pl.Int32))
    costs = {"school": ServiceCost("school", (PlaceCost(6, 15, 1000, "test"),))}
    same = pl.DataFrame({"eligible_school": [False] * 12})
    counts = count_bands(groups, "r", date(2027, 9, 1), same, same, costs, costs)
    national = counts.filter(pl.col("dimension") == "national").select(pl.all().exclude(pl.String).sum())
    assert national["households"][0] == 1 and national["unlinked_persons"][0] == 9
    assert national["residents"][0] == 12
    shares = band_shares(counts.filter(pl.col("dimension") == "national"))
    unlinked = shares.filter(pl.col("measure") == "share_unlinked_persons_no_change")
    assert unlinked["estimate"][0] == pytest.approx(1.0)


def test_share_interval_is_the_delete_a_group_jackknife_of_the_ratio() -> None:
    rng = np.random.default_rng(7)
    households = rng.integers(20, 40, REPLICATES)
    gaining = rng.integers(0, 10, REPLICATES)
    rows = []
    for g in range(REPLICATES):
        row = {m: 0 for m in BAND_MEASURES}
        row |= {"residents": int(households[g] * 3), "households": int(households[g])}
        row |= {"households_gain_more_5": int(gaining[g]), "households_no_change": int(households[g] - gaining[g])}
        row |= {"persons_gain_more_5": int(gaining[g] * 3), "persons_no_change": int((households[g] - gaining[g]) * 3)}
        row |= {"unlinked_persons": 1, "unlinked_persons_no_change": 1}
        rows.append(
            {
                "scenario": "r",
                "year": 2027,
                "service": "all",
                "dimension": "national",
                "group": "all",
                "replicate": g,
                **row,
            }
        )
    counts = pl.DataFrame(rows).with_columns(pl.col("year").cast(pl.Int32), pl.col("replicate").cast(pl.Int32))
    out = band_shares(counts)
    assert set(out["measure"]) == {
        f"share_{u}_{b}" for u in ("households", "persons", "unlinked_persons") for b in BANDS
    }
    row = out.filter(pl.col("measure") == "share_households_gain_more_5").row(0, named=True)
    ratio = gaining.sum() / households.sum()
    dropped = (gaining.sum() - gaining) / (households.sum() - households)
    half = t_quantile() * np.sqrt((REPLICATES - 1) / REPLICATES * ((dropped - ratio) ** 2).sum())
    assert row["estimate"] == pytest.approx(ratio)
    assert row["high"] - row["estimate"] == pytest.approx(half)
    shares = out.filter(pl.col("measure").str.starts_with("share_households_"))
    assert shares["estimate"].sum() == pytest.approx(1.0)  # the five bands cover every household


def test_households_are_counted_in_their_band_with_their_members() -> None:
    # household 1: a parent (40) and a child (10) newly eligible for a costed service; household 2: one adult
    # whose uncosted service changes (no value either way): no change.
    groups = pl.DataFrame(
        {
            "household": [1, 1, 2],
            "replicate": [3, 3, 5],
            "age_years": [40, 10, 30],
            "income_bin": ["300", "300", "330"],
            "national": ["all"] * 3,
        }
    ).with_columns(pl.col("replicate").cast(pl.Int32), pl.col("age_years").cast(pl.Int32))
    school = {"school": ServiceCost("school", (PlaceCost(6, 15, 1000, "test"),))}
    baseline = pl.DataFrame({"eligible_school": [False, False, False], "eligible_exam": [False, False, False]})
    reform = pl.DataFrame({"eligible_school": [True, True, False], "eligible_exam": [False, False, True]})
    counts = count_bands(groups, "r", date(2027, 9, 1), baseline, reform, school, school)
    national = counts.filter(pl.col("dimension") == "national").sum()
    # the adult alone is a person not linked to a household, not a household of one
    assert national["households"].item() == 1 and national["residents"].item() == 3
    assert national["unlinked_persons"].item() == 1
    assert national["households_gain_more_5"].item() == 1 and national["persons_gain_more_5"].item() == 2
    assert national["households_no_change"].item() == 0 and national["persons_no_change"].item() == 1
    assert national["unlinked_persons_no_change"].item() == 1 and national["unlinked_persons_gain_more_5"].item() == 0
    assert set(counts["service"]) == {ALL_SERVICES} and set(counts["group"]) >= {"300", "330", "all"}


def test_a_household_with_an_undetermined_costed_decision_is_undetermined_not_unchanged() -> None:
    # household 1: the child's school decision is undetermined in the reform (a needed fact unknown); household 2:
    # undetermined for an uncosted service only, so its value is known (no change); household 3: unchanged
    groups = pl.DataFrame(
        {
            "household": [1, 1, 2, 3],
            "replicate": [0, 0, 1, 2],
            "age_years": [40, 10, 10, 10],
            "income_bin": ["300"] * 4,
            "national": ["all"] * 4,
        }
    ).with_columns(pl.col("replicate").cast(pl.Int32), pl.col("age_years").cast(pl.Int32))
    school = {"school": ServiceCost("school", (PlaceCost(6, 15, 1000, "test"),))}
    baseline = pl.DataFrame(
        {
            "eligible_school": [False, True, True, True],
            "undetermined_school": [False, False, False, False],
            "eligible_exam": [False, False, False, False],
            "undetermined_exam": [False, False, True, False],
        }
    )
    reform = baseline.with_columns(
        pl.Series("eligible_school", [False, None, True, True], dtype=pl.Boolean),
        pl.Series("undetermined_school", [False, True, False, False]),
    )
    counts = count_bands(groups, "r", date(2027, 1, 1), baseline, reform, school, school)
    national = counts.filter(pl.col("dimension") == "national").select(pl.all().exclude(pl.String).sum())
    assert national["households_undetermined"][0] == 1 and national["persons_undetermined"][0] == 2
    assert national["unlinked_persons_no_change"][0] == 2  # never undetermined; the two children alone
    assert sum(national[f"households_{b}"][0] for b in BANDS) == 1 == national["households"][0]
