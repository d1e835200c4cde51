"""An array of row indices names exactly those rows, whatever its length (changzhu.rules.rows): a permutation of every
row, as long as the table, is read in its order, not taken for every row in order. Before, the interval engine took
any array as long as the table for everyone, and a child read its own permit instead of its parent's."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people

from changzhu.domain.services import Service
from changzhu.rules import points_kernels
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.conditions import PointsCondition, ServiceCondition
from changzhu.rules.dated_lists import MATRIX, of_rows
from changzhu.rules.engine import IntervalEvaluator
from changzhu.rules.evaluate import NeedsFinder, prepare
from changzhu.rules.frame import Frame
from changzhu.rules.points_kernels import SchemeTotals
from changzhu.rules.rows import everyone, is_everyone, places, take

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
    # (each on its own totals: the same rows asked again are read from the first run, not run again)
    wide = totals.totals(policy, scheme, rows)
    narrow = SchemeTotals(frame, frame.on_date).totals(policy, scheme, rows.astype(np.int32))
    assert wide is not None and narrow is not None
    for a, b in zip(wide, narrow, strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    kernel = totals._schemes[(id(policy), scheme.name)][1]
    assert kernel is not None and len(kernel.kernels.rows_function.signatures) == 1


def test_scheme_totals_of_rows_among_rows_already_scored_are_read_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk naming needs_ asks a points condition on some rows of a chain the engine scored whole: the scheme's
    kernel does not run again, each row's totals are read from the first run (equal to a run on those rows alone);
    rows not all among those scored are run."""
    frame, engine = _engine()
    policy, whole = engine.groups[0]
    some = np.flatnonzero(np.random.default_rng(8).random(N) < 0.3)
    calls = []
    run_checked = points_kernels.run_checked
    monkeypatch.setattr(points_kernels, "run_checked", lambda *a: calls.append(1) or run_checked(*a))
    checked = 0
    for scheme in policy.schemes.values():
        totals = SchemeTotals(frame, frame.on_date)
        if totals.totals(policy, scheme, whole) is None:  # scored by the NumPy engine
            continue
        ran = len(calls)
        got = totals.totals(policy, scheme, some)
        assert got is not None and len(calls) == ran, scheme.name
        apart = SchemeTotals(frame, frame.on_date)
        alone = apart.totals(policy, scheme, some)
        assert alone is not None and len(calls) == ran + 1
        for mine, theirs in zip(got, alone, strict=True):
            assert np.array_equal(mine, theirs, equal_nan=True), scheme.name
        outside = int(np.setdiff1d(whole, some)[0])
        assert apart.totals(policy, scheme, np.array([some[0], outside])) is not None and len(calls) == ran + 2
        checked += 1
    assert checked


def _without_points(policy: ResolvedPolicy, service: Service) -> bool:
    """Whether a service's rule, through the services it uses, has no points condition."""
    rule = policy.services.get(service)
    nodes = [] if rule is None else rule.rule.walk()
    return not any(isinstance(node, PointsCondition) for node in nodes) and all(
        _without_points(policy, node.service) for node in nodes if isinstance(node, ServiceCondition)
    )


def test_the_needs_walk_computes_a_leaf_once_for_rows_all_undetermined(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where every row a part of an undetermined rule is asked on is undetermined there too, the walk naming needs_
    passes the same array on (Relevance), so a leaf the walk computed for those rows is read again, not computed
    again on a copy of them: no leaf of a rule without a points condition is computed twice on the same rows in the
    walk (a points condition's prerequisites are computed on the rows its cached result was first computed for)."""
    rng = np.random.default_rng(9)
    people = random_people(N, 9).with_columns(pl.lit("310100").alias("residence_region"))
    people = people.with_columns(
        pl.when(pl.Series(rng.random(N) < 0.3)).then(None).otherwise(pl.col(name)).alias(name)
        for name in ("professional_title", "si_base_ratio", "admin_detentions")
    )
    frame = prepare(people, ON)
    engine = IntervalEvaluator(frame, frame.policies, None, compiled=False)
    engine.run(list(Service))
    undetermined = {s: ~got.decided_mask() for s, got in engine.services.items() if got.decided_mask() is not None}
    policy = engine.groups[0][0]
    finder = NeedsFinder(frame, None)
    finder.focus(undetermined, np.zeros(N, dtype=bool), engine=engine)
    computed: list[tuple[object, bytes]] = []
    once = IntervalEvaluator.once

    def counted(ev: IntervalEvaluator, key: tuple[object, ...], rows: np.ndarray, anchor: object, compute: Any) -> Any:
        # (the comparison's key without its last item, the identity of the rows' array: their values stand for it)
        return once(ev, key, rows, anchor, lambda: computed.append((key[:-1], rows.tobytes())) or compute())

    monkeypatch.setattr(IntervalEvaluator, "once", counted)
    walked = {s: mask for s, mask in undetermined.items() if _without_points(policy, s)}
    assert len(walked) >= 2
    named = sum(len(finder.service_rows(service, mask)) for service, mask in walked.items())
    assert named and computed
    assert len(set(computed)) == len(computed)


def test_the_rows_asked_again_are_read_in_place_not_searched() -> None:
    """Rows equal to those asked (the same array or an equal one) are every one of them in order: their places are
    everyone(m), so what was computed for them is read in place; rows among them are searched for, as before."""
    asked = np.flatnonzero(np.random.default_rng(8).random(N) < 0.4)
    values = np.arange(asked.shape[0]) * 10
    for rows in (asked, asked.copy()):
        at = places(asked, rows)
        assert at is not None and is_everyone(at) and take(values, at) is values
    some = asked[::3]
    at = places(asked, some)
    assert at is not None and not is_everyone(at) and np.array_equal(values[at], np.arange(0, asked.shape[0], 3) * 10)
    missing = np.setdiff1d(np.arange(N), asked)[0]
    assert places(asked, np.array([asked[0], missing])) is None
    assert places(asked, np.append(asked[1:], missing)) is None  # as many rows, not those asked
