"""The generated rule kernels (numba_start.kernel_without_runtime): loaded from the cache without numba's runtime or
typing, each call running the overload numba would pick for its arguments."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

_RULE_MODULE = """
from changzhu.rules.numba_start import kernel_without_runtime as kernel


@kernel
def scaled(x, by, out):
    for i in range(x.shape[0]):
        out[i] = x[i] * by[0]
    return x.shape[0] > 3
"""

_LOAD_A_RULE_KERNEL = """
import sys
import numpy as np
from numba.core import entrypoints
from numba.core.runtime import rtsys
from rule_module import scaled
by = np.array([2.0])
by.flags.writeable = False
x = np.arange(4.0)
x.flags.writeable = False
out = np.zeros(4)
more = bool(scaled(x, by, out)) and bool(scaled(x, by, out))
print(repr({
    "out": out.tolist(),
    "more": more,
    "misses": sum(scaled.stats.cache_misses.values()),
    "signatures": len(scaled.signatures),
    "runtime": rtsys._init,
    "typing": "numpy.ma" in sys.modules,
    "extensions": entrypoints._already_initialized,
}))
"""


def test_a_rule_kernel_loads_and_runs_without_numbas_runtime_or_typing(tmp_path: Path) -> None:
    """A rule kernel compiled in one process loads from the cache in the next and runs (twice) without starting numba's
    runtime (its machine code makes no array), typing its arguments (numba's typeof imports numpy.ma) or loading
    numba's extensions: the same outputs and return value, one overload."""
    (tmp_path / "rule_module.py").write_text(_RULE_MODULE)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", _LOAD_A_RULE_KERNEL], capture_output=True, text=True, check=False, env=env
        )
        assert done.returncode == 0, done.stderr
        runs.append(ast.literal_eval(done.stdout.strip()))
    compiled, loaded = runs
    assert compiled["misses"] == 1 and loaded["misses"] == 0
    assert compiled["out"] == loaded["out"] == [0.0, 2.0, 4.0, 6.0] and compiled["more"] and loaded["more"]
    assert loaded["signatures"] == 1
    assert not loaded["runtime"] and not loaded["typing"] and not loaded["extensions"]


def test_a_rule_kernel_runs_the_overload_numba_types_its_arguments_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of call (read-only or writable, contiguous or strided, aligned or not: numba.typeof does not read
    alignment; int32 or float64 arrays, an int) compiles or loads the overload of the signature numba.typeof gives
    its arguments, runs it with the same results as Python, and a call of a kind already seen adds none; an argument
    of another kind (a float) goes through numba's dispatcher."""
    (tmp_path / "rule_module_calls.py").write_text(_RULE_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    from rule_module_calls import scaled

    read_only = np.arange(6.0)
    read_only.flags.writeable = False
    by = np.array([3.0])
    unaligned = np.frombuffer(np.arange(7.0).tobytes()[:-7], dtype=np.float64, offset=1, count=6)
    calls = [
        (read_only, by, np.zeros(6)),
        (np.arange(6.0), by, np.zeros(6)),
        (read_only[::2], by, np.zeros(3)),
        (np.arange(5, dtype=np.int32), by, np.zeros(5)),
        (np.arange(6.0), by, np.zeros(6)),  # a kind already seen
        (unaligned, by, np.zeros(6)),
    ]
    for x, factor, out in calls:
        assert bool(scaled(x, factor, out)) == (x.shape[0] > 3)
        assert out.tolist() == [float(v) * 3.0 for v in x]
    wanted = list(dict.fromkeys(tuple(numba.typeof(a) for a in call) for call in calls))
    assert scaled.signatures == wanted
    with pytest.raises(numba.core.errors.TypingError):
        scaled(1.5, by, np.zeros(1))  # typed by numba's dispatcher: a float has no shape
