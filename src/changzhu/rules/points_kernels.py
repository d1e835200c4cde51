"""A points scheme's totals on the evaluation date for the interval engine, from the one-date scheme kernel.

The kernel is changzhu.rules.codegen's (scheme_kernel: the assessed total and the lowest and highest total, as
the compiled rules give them, held equal to the engine's by tests/rules/test_rules_kernels.py), here run on the
engine's frame: whole months on the date from its clocks, permit months from the permit clock the engine set from
the permit decision (so the kernel's own correction for someone without a permit adds nothing). A scheme whose
kernel reads a decision other than the permit, an undetermined permit, or a parent, or that has a floor (`min:`),
is left to the engine's NumPy scoring (None).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import Shared, module_source, read_only, scheme_kernel
from changzhu.rules.frame import static_dtype
from changzhu.rules.kernel_cache import compiling, load_module
from changzhu.rules.model import PointsScheme

if TYPE_CHECKING:
    from changzhu.rules.protocols import FrameView

_PERMIT = "v_residence_permit"


def totals_on_date(
    frame: FrameView, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray, on: date
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(assessed, low, high) totals on the date over every row of the frame (NaN outside `rows`); None where the
    engine scores the scheme itself."""
    if scheme.floor is not None:
        return None
    source = scheme_kernel(Shared(policy, on), scheme)
    if any(name.startswith(("u_", "parent")) or (name.startswith("v_") and name != _PERMIT) for name in source.inputs):
        return None
    module = load_module(module_source([source]))
    n = frame.n
    everyone = rows.shape[0] == n
    outs = [np.empty(n) if everyone else np.full(n, np.nan) for _ in range(3)]
    args = [*(_input(frame, name) for name in source.inputs), *source.constants]
    function = getattr(module, f"{source.name}_span" if everyone else source.name)
    call: tuple[Any, ...] = (0, n, *outs, *args) if everyone else (rows, *outs, *args)
    if function.overloads:
        function(*call)
    else:
        with compiling(str(module.__file__)):  # one process compiles a module, the others load it
            function(*call)
    return outs[0], outs[1], outs[2]


def _input(frame: FrameView, name: str) -> np.ndarray:
    """One kernel input from the engine's frame (read-only, of the type the kernel is compiled for)."""
    if name == _PERMIT:  # the permit clock already counts from the day a permit can be had
        return read_only(np.zeros(frame.n, dtype=bool))
    if name.startswith("c_"):
        return read_only(np.ascontiguousarray(frame.clocks[name[2:]].now(frame.on), dtype=np.int32))
    return read_only(np.ascontiguousarray(frame.statics[name[2:]], dtype=static_dtype(name[2:], frame)))  # type: ignore[arg-type]
