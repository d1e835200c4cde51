"""The points schemes' totals on the evaluation date for the interval engine, from the one-date scheme kernels.

The kernel is changzhu.rules.codegen's (scheme_kernel: the assessed total and the lowest and highest total, as
the compiled rules give them, held equal to the engine's by tests/rules/test_rules_kernels.py), here run on the
engine's frame: whole months on the date from its clocks, permit months from the permit clock the engine set from
the permit decision (so the kernel's own correction for someone without a permit adds nothing). A scheme whose
kernel reads a decision other than the permit, an undetermined permit, or a parent, or that has a floor (`min:`),
is left to the engine's NumPy scoring (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import KernelSource, Shared, module_source, read_only, scheme_kernel
from changzhu.rules.frame import static_dtype
from changzhu.rules.kernel_cache import compiling, load_module
from changzhu.rules.model import PointsScheme

if TYPE_CHECKING:
    from changzhu.rules.protocols import FrameView

_PERMIT = "v_residence_permit"
Totals = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class _Scheme:
    """One scheme's kernel and its totals so far: arrays over every row, NaN where not computed."""

    source: KernelSource
    function: Any  # the kernel over given rows: (rows, out, low, high, *inputs, *constants)
    module_file: str
    totals: Totals
    rows: np.ndarray  # the rows of the first request (a later request for the same array is computed already)
    covered: np.ndarray | None = None  # every row computed, once a second set of rows is asked for
    handed_out: bool = False  # the arrays are a result's own: computing more rows copies them first


@dataclass
class SchemeTotals:
    """The schemes' totals on the date for one evaluation: each row of a scheme computed once however often it is
    asked for (a points condition on the parents' rows, then the scheme's points on its chain's rows), each kernel
    input converted once."""

    frame: FrameView
    on: date
    _schemes: dict[tuple[int, str], tuple[ResolvedPolicy, _Scheme | None]] = field(default_factory=dict)
    _inputs: dict[str, tuple[object, np.ndarray]] = field(default_factory=dict)

    def totals(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> Totals | None:
        """(assessed, low, high) over every row of the frame, computed at least on `rows` (NaN where no row asked
        was); None where the engine scores the scheme itself."""
        key = (id(policy), scheme.name)  # the policy is kept with it, so its id is not reused
        kept = self._schemes.get(key)
        if kept is None:
            got = self._start(policy, scheme, rows)
            self._schemes[key] = (policy, got)
        else:
            got = kept[1]
            if got is not None and rows is not got.rows:
                self._cover(got, rows)
        return None if got is None else got.totals

    def result(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> Totals | None:
        """The totals as a result's own arrays: computed on `rows` (a chain's rows, distinct), NaN on every other row
        (rows computed for another request, such as parents in another chain, are set back to NaN); None where the
        engine scores the scheme itself."""
        if self.totals(policy, scheme, rows) is None:
            return None
        kept = self._schemes[(id(policy), scheme.name)][1]
        assert kept is not None
        if kept.covered is not None and int(np.count_nonzero(kept.covered)) != rows.shape[0]:
            others = kept.covered.copy()
            others[rows] = False
            extra = np.flatnonzero(others)
            for array in kept.totals:
                array[extra] = np.nan
            kept.covered[extra] = False
        kept.handed_out = True
        return kept.totals

    def _start(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> _Scheme | None:
        """The scheme's kernel run on the first rows asked; None where it does not fit."""
        if scheme.floor is not None:
            return None
        source = scheme_kernel(Shared(policy, self.on), scheme)
        reads = source.inputs
        if any(name.startswith(("u_", "parent")) or (name.startswith("v_") and name != _PERMIT) for name in reads):
            return None
        module = load_module(module_source([source]))
        n = self.frame.n
        everyone = rows.shape[0] == n
        totals = (np.empty(n), np.empty(n), np.empty(n)) if everyone else _nan_totals(n)
        got = _Scheme(source, getattr(module, source.name), str(module.__file__), totals, rows)
        if everyone:  # the span kernel computes every row, whichever rows were asked
            got.covered = np.ones(n, dtype=bool)
            self._run(got, getattr(module, f"{source.name}_span"), (0, n))
        else:
            self._run(got, got.function, (rows,))
        return got

    def _cover(self, got: _Scheme, rows: np.ndarray) -> None:
        """Compute the rows not computed yet."""
        if got.covered is None:
            got.covered = np.zeros(self.frame.n, dtype=bool)
            got.covered[got.rows] = True
        missing = rows[~got.covered[rows]]
        if missing.size == 0:
            return
        if got.handed_out:
            got.totals = (got.totals[0].copy(), got.totals[1].copy(), got.totals[2].copy())
            got.handed_out = False
        self._run(got, got.function, (missing,))
        got.covered[missing] = True

    def _run(self, got: _Scheme, function: Any, rows: tuple[Any, ...]) -> None:
        """Run the scheme's kernel on the rows (given as (rows,) or (start, stop)) into its totals."""
        call = (*rows, *got.totals, *(self._input(name) for name in got.source.inputs), *got.source.constants)
        if function.overloads:
            function(*call)
        else:
            with compiling(got.module_file):  # one process compiles a module, the others load it
                function(*call)

    def _input(self, name: str) -> np.ndarray:
        """One kernel input from the engine's frame (read-only, of the type the kernel is compiled for), converted
        once per evaluation (a clock again once the engine replaced it: the permit's)."""
        frame = self.frame
        if name == _PERMIT:  # the permit clock already counts from the day a permit can be had
            origin: object = None
        elif name.startswith("c_"):
            origin = frame.clocks[name[2:]]
        else:
            origin = frame.statics[name[2:]]
        kept = self._inputs.get(name)
        if kept is not None and kept[0] is origin:
            return kept[1]
        if name == _PERMIT:
            made = np.zeros(frame.n, dtype=bool)
        elif name.startswith("c_"):
            made = np.ascontiguousarray(frame.clocks[name[2:]].now(frame.on), dtype=np.int32)
        else:
            made = np.ascontiguousarray(frame.statics[name[2:]], dtype=static_dtype(name[2:], frame))  # type: ignore[arg-type]
        array = read_only(made)
        self._inputs[name] = (origin, array)
        return array


def _nan_totals(n: int) -> Totals:
    return np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
