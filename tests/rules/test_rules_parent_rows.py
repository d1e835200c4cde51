"""Each person's parent row (Frame.parent_idx): where every id is its own row it is read from parent_id itself,
without copying person_id out (the whole evaluate at 1M rows wrote ≈17 MB for that check); any other ids are
searched. Both give the same rows."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules.evaluate import prepare
from changzhu.rules.parents import NO_PARENT


def _parents(people: pl.DataFrame) -> np.ndarray:
    return prepare(people, ON).parent_idx


def test_ids_that_are_the_rows_are_not_copied_out(monkeypatch: pytest.MonkeyPatch) -> None:
    people = random_people(300, 5).with_columns(pl.lit(False).alias("parent_lives_here"))
    frame = prepare(people, ON)
    converted: list[str] = []
    to_numpy = pl.Series.to_numpy

    def recording(self: pl.Series, *args: object, **kwargs: object) -> np.ndarray:
        converted.append(self.name)
        return to_numpy(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pl.Series, "to_numpy", recording)
    rows = frame.parent_idx
    assert "person_id" not in converted
    given = people["parent_id"].to_numpy()
    assert rows.tolist() == [NO_PARENT if np.isnan(p) else int(p) for p in given]


@pytest.mark.parametrize("shuffle", [False, True])
def test_other_ids_give_the_same_parent_rows(shuffle: bool) -> None:
    people = random_people(300, 6).with_columns(pl.lit(False).alias("parent_lives_here"))
    expected = _parents(people)
    assert (expected >= 0).any()
    # ids that are not the rows (from 1000, a gap in them), the parents' ids with them; then the rows in another order
    moved = people.with_columns(
        (pl.col("person_id") * 2 + 1000).alias("person_id"), (pl.col("parent_id") * 2 + 1000).alias("parent_id")
    )
    if not shuffle:
        assert _parents(moved).tolist() == expected.tolist()
        return
    order = np.random.default_rng(3).permutation(people.height)
    got = _parents(moved[order])
    where = np.empty_like(order)
    where[order] = np.arange(order.size)  # each original row's place in the shuffled table
    assert got.tolist() == [where[expected[r]] if expected[r] >= 0 else expected[r] for r in order]
