"""The list-of-names columns (needs_, unassessed_) against a per-row reference, across the ways they are built."""

import numpy as np
import pytest

from changzhu.rules.evaluate import _names_column


@pytest.mark.parametrize("count", [1, 3, 20, 21, 63, 70])
@pytest.mark.parametrize("share", [0.0, 0.02, 0.5])
def test_names_column_lists_each_rows_names_in_order(count: int, share: float) -> None:
    rng = np.random.default_rng(count)
    n = 3_000
    masks = {f"input_{count - i}": rng.random(n) < share for i in range(count)}
    got = _names_column("needs_x", n, masks)
    expected = [[k for k, m in masks.items() if m[r]] or None for r in range(n)]
    assert got.name == "needs_x"
    assert got.to_list() == expected


def test_names_column_without_names_is_all_null() -> None:
    got = _names_column("unassessed_x", 5, {})
    assert got.null_count() == 5
