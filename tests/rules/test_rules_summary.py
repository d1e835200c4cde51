"""The evaluate summary counts an open points total as open, never as a final total scored 0 on what is unknown."""

from __future__ import annotations

import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules import evaluate
from changzhu.rules.summary import eligibility_summary


def _points_row(result: pl.DataFrame, scheme: str) -> dict[str, object]:
    rows = eligibility_summary(result).filter(pl.col("output") == f"points_{scheme}").to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_a_total_with_unassessed_items_is_open_and_left_out_of_the_mean() -> None:
    result = pl.DataFrame(
        {
            "person_id": [1, 2, 3, 4],
            "points_x": [50.0, 60.0, None, 40.0],
            "points_low_x": [50.0, 60.0, None, 30.0],
            "points_high_x": [50.0, 60.0, None, 95.0],  # person 4: 40 assessed, 30–95 with the rest unknown
        }
    )
    row = _points_row(result, "x")
    assert row["people"] == 3
    assert row["undetermined"] == 1
    assert row["mean_points"] == pytest.approx(55.0)
    assert row["max_points"] == pytest.approx(60.0)


def test_a_scheme_where_every_total_is_open_has_no_mean() -> None:
    result = pl.DataFrame({"person_id": [1], "points_x": [40.0], "points_low_x": [30.0], "points_high_x": [95.0]})
    row = _points_row(result, "x")
    assert (row["people"], row["undetermined"], row["mean_points"], row["max_points"]) == (1, 1, None, None)


def test_the_summary_of_an_evaluation_reads_its_ranges() -> None:
    result = evaluate(random_people(400, 17), ON, earliest=False)
    scheme = "shanghai_residence_points"
    low, high = result[f"points_low_{scheme}"], result[f"points_high_{scheme}"]
    scored = result[f"points_{scheme}"].is_not_null()
    final = scored & (low == high).fill_null(False)
    assert int((scored & ~final).sum()) > 0  # the table has open totals: the test means something
    row = _points_row(result, scheme)
    assert row["people"] == int(scored.sum())
    assert row["undetermined"] == int((scored & ~final).sum())
    assert row["mean_points"] == pytest.approx(result[f"points_{scheme}"].filter(final).mean())
