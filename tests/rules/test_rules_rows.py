"""An array of row indices names exactly those rows, whatever its length (changzhu.rules.rows): a permutation of every
row, as long as the table, is read in its order, not taken for every row in order. Before, the interval engine took
any array as long as the table for everyone, and a child read its own permit instead of its parent's."""

from __future__ import annotations

import numpy as np
import polars as pl
from rules_support import ON, random_people

from changzhu.domain.services import Service
from changzhu.rules.dated_lists import MATRIX, of_rows
from changzhu.rules.engine import IntervalEvaluator
from changzhu.rules.evaluate import prepare
from changzhu.rules.frame import Frame
from changzhu.rules.points_kernels import SchemeTotals
from changzhu.rules.rows import everyone, is_everyone

N = 400


def _engine() -> tuple[Frame, IntervalEvaluator]:
    people = random_people(N, 5).with_columns(pl.lit("310100").alias("residence_region"))  # one chain: everyone
    frame = prepare(people, ON)
    engine = IntervalEvaluator(frame, frame.policies, None, compiled=False)
    engine.run(list(Service))
    return frame, engine


def _shuffled() -> np.ndarray:
    return np.random.default_rng(3).permutation(N)


def test_everyone_is_one_array_and_no_other_is() -> None:
    assert everyone(N) is everyone(N)
    assert is_everyone(everyone(N))
    assert not is_everyone(np.arange(N))  # as many rows, in order, but not named as everyone


def test_a_permutation_of_every_row_reads_those_rows() -> None:
    frame, engine = _engine()
    assert is_everyone(engine.groups[0][1])
    rows = _shuffled()
    for service, interval in engine.services.items():
        assert np.array_equal(engine.service_interval(service, rows).start, interval.start[rows]), service
    engine.permit_unknown = np.random.default_rng(4).random(N) < 0.5
    known = engine.clock_known("permit", rows)
    assert known is not None and np.array_equal(known, ~engine.permit_unknown[rows])
    name = next(n for n, spec in frame.variables.items() if spec.kind == "dates")
    matrix, listed = of_rows(frame.statics, name, rows)
    assert np.array_equal(listed, frame.statics[name][rows])
    assert np.array_equal(matrix, frame.statics[name + MATRIX][rows])


def test_rule_trees_and_points_on_a_permutation_are_those_of_everyone_permuted() -> None:
    frame, engine = _engine()
    policy, whole = engine.groups[0]
    rows = _shuffled()
    for service, rule in policy.services.items():
        mine = rule.rule.interval(engine, policy, rows, service.value)
        assert np.array_equal(np.broadcast_to(mine.start, (N,)), engine.services[service].start[rows]), service
    for scheme in policy.schemes.values():
        totals = SchemeTotals(frame, frame.on_date)
        got, want = totals.totals(policy, scheme, rows), totals.totals(policy, scheme, whole)
        if got is not None and want is not None:
            for mine, theirs in zip(got, want, strict=True):
                assert np.array_equal(mine, theirs[rows], equal_nan=True), scheme.name
        lo, hi, _ = engine.points_at(policy, scheme, rows, frame.on + 400)
        lo_all, hi_all, _ = engine.points_at(policy, scheme, whole, frame.on + 400)
        assert np.array_equal(lo, lo_all[rows], equal_nan=True) and np.array_equal(hi, hi_all[rows], equal_nan=True)


def test_a_scheme_kernel_is_compiled_once_for_row_positions_of_either_width() -> None:
    """A parent's rows are int32, a chain's int64: the scheme's kernel over rows takes one type (each type numba
    sees compiles the kernel again, ≈10 s of CPU), with the same totals for the same rows."""
    frame, engine = _engine()
    policy = next(p for p, _ in engine.groups if p.schemes)
    scheme = next(iter(policy.schemes.values()))
    totals = SchemeTotals(frame, frame.on_date)
    rows = _shuffled()[: N // 2]
    wide, narrow = totals.totals(policy, scheme, rows), totals.totals(policy, scheme, rows.astype(np.int32))
    assert wide is not None and narrow is not None
    for a, b in zip(wide, narrow, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    kernel = totals._schemes[(id(policy), scheme.name)][1]
    assert kernel is not None and len(kernel.kernels.rows_function.signatures) == 1
