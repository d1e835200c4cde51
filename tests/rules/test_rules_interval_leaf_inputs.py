"""The chain kernels' inputs and lines (changzhu.rules.interval_kernels, interval_codegen). The leaves a kernel reads
from the engine (_leaf_arrays): each leaf's start, end, unknown and decided for the chain's rows, equal to the
engine's interval of the leaf, with the days as int32, the width of the kernels' outputs and of most of the engine's
results (not copied to int64 over the chain's rows). A clock's line of fractional months, compared in whole months in
the kernels, gives the NumPy engine's intervals."""

from __future__ import annotations

import numpy as np
import pytest
from rules_support import ON, random_people

from changzhu.domain.services import Service
from changzhu.parameters.scenario import Scenario
from changzhu.rules import engine
from changzhu.rules.arrays import Interval
from changzhu.rules.dates import NEVER
from changzhu.rules.engine import IntervalEvaluator
from changzhu.rules.evaluate import prepare
from changzhu.rules.interval_codegen import interval_kernel
from changzhu.rules.interval_kernels import _leaf_arrays


@pytest.fixture(autouse=True)
def _compiled_on_small_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COMPILED_MIN_ROWS", 0)


@pytest.mark.parametrize("seed", [3, 11])
def test_leaf_inputs_are_the_engines_intervals_as_int32(seed: int) -> None:
    frame = prepare(random_people(400, seed), ON)
    ev = IntervalEvaluator(frame, frame.policies, None)
    ev.run(list(Service))
    seen = 0
    for policy, rows in ev.groups:
        for service in policy.services:
            for leaf, owner in interval_kernel(policy, ON, (service,)).leaves:
                got = leaf.interval(ev, policy, rows, owner.value)
                start, end, unknown, decided = _leaf_arrays(ev, policy, rows, leaf, owner.value)
                assert start.dtype == np.int32 and end.dtype == np.int32
                assert start.flags.c_contiguous and end.flags.c_contiguous
                np.testing.assert_array_equal(start, got.start)
                np.testing.assert_array_equal(end, np.broadcast_to(got.end, rows.shape))
                want_unknown = np.zeros(rows.shape, dtype=bool) if got.unknown is None else got.unknown
                mask = got.decided_mask()
                np.testing.assert_array_equal(unknown, want_unknown)
                np.testing.assert_array_equal(decided, np.ones(rows.shape, dtype=bool) if mask is None else mask)
                seen += 1
    assert seen > 0  # the shipped chains' points lines are leaves the engine evaluates


def test_fractional_month_lines_give_the_numpy_engines_intervals() -> None:
    """A clock's line of fractional months (a reform's 6.5 months, 15.3 years) is reached where the whole count
    reaches its ceiling: the kernels' integer lines give the NumPy engine's start, end, unknown and decided."""
    reform = Scenario.from_overrides(
        {
            "entrance_exam.min_age_years": 15.3,
            "entrance_exam.end_age_years": 18.7,
            "entrance_exam.child_residence_months": 6.5,
            "entrance_exam.parent_si_months": 12.25,
            "residence_permit.min_residence_months": 5.5,
            "social_integration.min_residence_months": 0.4,
        },
        "fractional-lines",
    )
    people = random_people(1500, 29)
    frame = prepare(people, ON, scenario=reform)
    n = people.height
    numpy_engine = IntervalEvaluator(frame, frame.policies, reform, compiled=False)
    numpy_engine.run(list(Service), points=False)
    frame = prepare(people, ON, scenario=reform)
    kernels = IntervalEvaluator(frame, frame.policies, reform)
    kernels.run(list(Service), points=False)
    for service in Service:
        a, b = numpy_engine.services[service], kernels.services[service]
        np.testing.assert_array_equal(a.start, b.start, err_msg=service.value)
        for want, got in zip(_masks(a, n), _masks(b, n), strict=True):
            np.testing.assert_array_equal(want, got, err_msg=service.value)
        starts = a.start < NEVER
        np.testing.assert_array_equal(
            np.broadcast_to(a.end, (n,))[starts], np.broadcast_to(b.end, (n,))[starts], err_msg=service.value
        )


def _masks(interval: Interval, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the interval is unknown and where its value on the date is decided (None stands for every row)."""
    decided = interval.decided_mask()
    unknown = np.zeros(n, dtype=bool) if interval.unknown is None else interval.unknown
    return unknown, np.ones(n, dtype=bool) if decided is None else decided
