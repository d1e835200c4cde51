"""Arrays of every row an evaluation no longer makes (docs/performance-history.md, fifteenth pass): the needs finder's
whole-frame rows named by None, the chain groups' regions counted a block at a time, and the recognised months read
at their rows only. Each gives what the array it replaces gave."""

import sys

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.rules.evaluate import NeedsFinder, evaluate, prepare


def test_evaluate_with_earliest_dates_asks_no_array_of_every_row_for_its_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NeedsFinder reading the engine that ran on every row names them by None, not by everyone(n), an array of
    8 bytes a row asked for only to be recognised (and made then, at 1M rows, where nothing else held it) (fails on
    79cb079: everyone(n) asked for the focus)."""
    asked: list[int] = []

    def counting(n: int) -> np.ndarray:
        asked.append(n)
        return np.arange(n)

    evaluate_module = sys.modules["changzhu.rules.evaluate"]
    monkeypatch.setattr(evaluate_module, "everyone", counting, raising=False)  # (79cb079 called it from there)
    focused: list[NeedsFinder] = []
    original = NeedsFinder.focus

    def focus(self: NeedsFinder, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        focused.append(self)

    monkeypatch.setattr(NeedsFinder, "focus", focus)
    got = evaluate(random_people(2000, 11), ON)
    assert got.height == 2000 and asked == [] and focused
    assert focused[0]._decisions is not None and focused[0]._decisions.index is None


def test_the_regions_held_are_counted_a_block_at_a_time() -> None:
    """chain_groups' distinct region indices (-1: none), in order, as np.bincount over every row gave them, across
    blocks (fails on 79cb079: no _distinct_regions; the bincount cast every row to int64 at once)."""
    from changzhu.rules.arrays import ROWS_BLOCK
    from changzhu.rules.engine import _distinct_regions

    frame = prepare(random_people(500, 3), ON)
    size = len(frame.regions.codes)
    rng = np.random.default_rng(5)
    for n, chosen in ((0, [0]), (7, [-1, 3]), (2 * ROWS_BLOCK + 3, [-1, 0, 5, size - 1]), (ROWS_BLOCK, [size - 1])):
        frame.region_idx = rng.choice(np.array(chosen, dtype=np.int32), n)
        frame.n = n
        want = np.flatnonzero(np.bincount(frame.region_idx + 1, minlength=1)) - 1 if n else np.array([], dtype=np.int64)
        assert _distinct_regions(frame).tolist() == want.tolist()


def test_recognised_months_read_the_column_at_their_rows() -> None:
    """The months a recognition agreement adds are read at its rows only (polars' gather), the same values as the
    whole column copied out: NaN where null, the integers as they are (fails on 79cb079: no _gathered)."""
    from changzhu.rules.frame import _gathered

    column = pl.concat([pl.Series([5, None, 7], dtype=pl.Int64), pl.Series([9, 11], dtype=pl.Int64)], rechunk=False)
    for rows in (np.array([0, 1, 4]), np.array([0, 3]), np.array([], dtype=np.int64)):
        got, want = _gathered(column, rows), column.to_numpy()[rows]
        assert np.array_equal(got.astype(np.float64), want, equal_nan=True)
        part = np.full(rows.shape, 0.75)  # the months as Frame.recognition counts them from either
        assert np.array_equal(np.floor(part * got), np.floor(part * want), equal_nan=True)
