"""The leaves a chain's interval kernel reads from the engine (changzhu.rules.interval_kernels._leaf_arrays): each
leaf's start, end, unknown and decided for the chain's rows, equal to the engine's interval of the leaf, with the
days as int32, the width of the kernels' outputs and of most of the engine's results (not copied to int64 over the
chain's rows)."""

from __future__ import annotations

import numpy as np
import pytest
from rules_support import ON, random_people

from changzhu.domain.services import Service
from changzhu.rules import engine
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
