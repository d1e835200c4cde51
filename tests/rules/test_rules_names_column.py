"""The list-of-names columns (needs_, unassessed_) against a per-row reference, across the ways they are built."""

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules.evaluate import _names_column, evaluate


@pytest.mark.parametrize("count", [1, 3, 20, 21, 63, 70])
@pytest.mark.parametrize("share", [0.0, 0.02, 0.5, 1.0])
@pytest.mark.parametrize("n", [0, 1, 3_000])
def test_names_column_lists_each_rows_names_in_order(count: int, share: float, n: int) -> None:
    rng = np.random.default_rng(count)
    masks = {f"input_{count - i}": rng.random(n) < share for i in range(count)}
    got = _names_column("needs_x", n, {k: rng.permutation(np.flatnonzero(m)) for k, m in masks.items()})
    expected = [[k for k, m in masks.items() if m[r]] or None for r in range(n)]
    assert got.name == "needs_x" and got.dtype == pl.List(pl.String) and got.len() == n
    assert got.to_list() == expected


def test_names_column_without_names_is_all_null() -> None:
    got = _names_column("unassessed_x", 5, {})
    assert got.null_count() == 5


def test_names_columns_naming_nobody_in_one_evaluation_are_one_column() -> None:
    """evaluate(): every needs_ and unassessed_ column that names nobody reads one all-null column (its 8 bytes a row
    of offsets written once, not once per column), each under its own name; a column naming someone has its own."""
    people = random_people(300, 12)
    result = evaluate(people, ON)
    named = [c for c in result.columns if c.startswith(("needs_", "unassessed_"))]
    empty = [c for c in named if result[c].null_count() == result.height]
    assert len(empty) >= 2 and len(empty) < len(named)
    offsets = {result[c].to_arrow().buffers()[1].address for c in empty}
    assert len(offsets) == 1
    assert all(result[c].dtype == pl.List(pl.String) for c in named)
    some = next(c for c in named if c not in empty)
    assert result[some].to_arrow().buffers()[1].address not in offsets


def test_a_column_of_few_names_is_listed_in_row_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to MARKED names, each name's bit is marked at its rows and every row's names are then listed in row order:
    no count and no placing name after name (names_kernels.place: one scattered pass over the offsets per name)."""
    import changzhu.rules.names_kernels as kernels

    def refused(*args: object) -> None:
        raise AssertionError("counted or placed name after name")

    monkeypatch.setattr(kernels, "count_rows", refused)
    monkeypatch.setattr(kernels, "place", refused)
    got = _names_column("needs_x", 6, {"b_input": np.array([4, 0, 2]), "a_name_longer_than_twelve": np.array([2, 3])})
    assert got.to_list() == [["b_input"], None, ["b_input", "a_name_longer_than_twelve"],
                             ["a_name_longer_than_twelve"], ["b_input"], None]  # fmt: skip
    assert kernels.MARKED == 63  # a bit each of an int64, not its sign
