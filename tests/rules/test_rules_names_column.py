"""The list-of-names columns (needs_, unassessed_) against a per-row reference, across the ways they are built."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.output import OutputFormat, export_table
from changzhu.rules.evaluate import NAMES, _names_column, evaluate


@pytest.mark.parametrize("count", [1, 3, 20, 21, 63, 70, 300])
@pytest.mark.parametrize("share", [0.0, 0.02, 0.5, 1.0])
@pytest.mark.parametrize("n", [0, 1, 3_000])
def test_names_column_lists_each_rows_names_in_order(count: int, share: float, n: int) -> None:
    rng = np.random.default_rng(count)
    masks = {f"input_{count - i}": rng.random(n) < share for i in range(count)}
    got = _names_column("needs_x", n, {k: rng.permutation(np.flatnonzero(m)) for k, m in masks.items()})
    expected = [[k for k, m in masks.items() if m[r]] or None for r in range(n)]
    assert got.name == "needs_x" and got.dtype == NAMES and got.len() == n
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
    assert all(result[c].dtype == NAMES for c in named)
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


def test_names_are_held_as_codes_and_read_as_their_texts() -> None:
    """A listed name is a code in the column (polars' four bytes; one given it up to 256 names), not a 16-byte string
    view: the names of a needs_ or unassessed_ column come from the rules' small vocabulary and are listed millions
    of times. Read back, each is its text."""
    n = 200_000
    rows = np.arange(0, n, 2)
    got = _names_column("needs_x", n, {"hukou_years": rows, "si_months_local": rows})
    assert got.dtype == pl.List(pl.Categorical)
    assert got.estimated_size() < n * 8 + rows.size * 2 * 5  # offsets, then ≈4 bytes a name; List(String): 16 + 8
    assert got.to_list()[:2] == [["hukou_years", "si_months_local"], None]
    many = _names_column("needs_x", 3, {f"input_{k}": np.array([k % 3]) for k in range(300)})
    assert many[0][:2].to_list() == ["input_0", "input_3"] and many.list.len().to_list() == [100, 100, 100]


def test_the_files_written_hold_the_names(tmp_path: Path) -> None:
    names = _names_column("needs_x", 3, {"hukou_years": np.array([0, 2]), "degree": np.array([2])})
    got = pl.DataFrame([pl.Series("person_id", [1, 2, 3]), names])
    export_table(got, tmp_path / "out.csv", OutputFormat.CSV)
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["person_id,needs_x", "1,hukou_years", "2,", "3,hukou_years; degree"]
    export_table(got, tmp_path / "out.parquet", OutputFormat.PARQUET)
    back = pl.read_parquet(tmp_path / "out.parquet")["needs_x"]
    assert back.to_list() == [["hukou_years"], None, ["hukou_years", "degree"]]
    assert got.to_dicts()[2] == {"person_id": 3, "needs_x": ["hukou_years", "degree"]}
