"""The points schemes' totals on the evaluation date for the interval engine, from the one-date scheme kernels.

The kernel is changzhu.rules.codegen's (scheme_kernel: the assessed total and the lowest and highest total, as the
compiled rules give them, held equal to the engine's by tests/rules/test_rules_kernels.py, and which indicators,
top-level ones and their parts, are a range, which the walk naming needs_ and unassessed_ reads:
changzhu.rules.relevance), here run on the engine's frame: whole months on the date from its clocks, permit months
from the permit clock the engine set from the permit decision (so the kernel's own correction for someone without a
permit adds nothing). The kernel's fast functions divide without fmod; a call where one met a number they do not
divide as Python does (beyond 2**52: never in real data) is run again by the exact twin (codegen.KernelSource),
compiled only then. A scheme whose kernel reads a decision other than the permit, an undetermined permit, or a parent,
or that has a floor (`min:`), is left to the engine's NumPy scoring (None).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from changzhu.rules.arrays import small_pages_zeros
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import KernelSource, Shared, module_source, read_only, scheme_kernel
from changzhu.rules.frame import static_dtype
from changzhu.rules.kernel_cache import kernel_functions, load_module, run_checked
from changzhu.rules.model import PointsScheme
from changzhu.rules.rows import is_everyone, places, take

if TYPE_CHECKING:
    from changzhu.rules.protocols import FrameView

_PERMIT = "v_residence_permit"
SCHEMES_KEPT = 256  # schemes whose kernels are kept per process (a long-lived process running many reforms)
Totals = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass(frozen=True)
class _Kernels:
    """One scheme's kernels on a date (each returns whether its exact twin must run the call again)."""

    source: KernelSource
    rows_function: Any  # over listed rows, written by position: (rows, out, low, high, opn, *inputs, *constants)
    span_function: Any  # over a run of rows, written at the row: (start, stop, out, low, high, opn, *inputs, ...)
    exact_rows: Any  # the exact twins (None: the kernel has none, every row's fast answer is exact)
    exact_span: Any
    module_file: str


_kept: OrderedDict[tuple[int, str, date], tuple[ResolvedPolicy, _Kernels | None]] = OrderedDict()


@dataclass
class _Scheme:
    """One scheme's kernels and the totals computed so far, per array of rows asked for (kept with it, so that the
    same array asked again is recognised by identity)."""

    kernels: _Kernels
    # rows, totals, open flags, the inputs read (each the array it was: a clock replaced since is read anew)
    done: list[tuple[np.ndarray, Totals, np.ndarray, tuple[Any, ...]]] = field(default_factory=list)


@dataclass
class SchemeTotals:
    """The schemes' totals on the date for one evaluation, by position in the rows asked for (a chain's rows, or
    the parents of some of them): each array of rows computed once however often it is asked for (a points
    condition, then the scheme's points), each kernel input converted once per evaluation."""

    frame: FrameView
    on: date
    _schemes: dict[tuple[int, str], tuple[ResolvedPolicy, _Scheme | None]] = field(default_factory=dict)
    _inputs: dict[str, tuple[object, np.ndarray]] = field(default_factory=dict)

    def totals(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray) -> Totals | None:
        """(assessed, low, high) of each of `rows`, in their order (shared arrays: read them, do not write); rows that
        are everyone(n) are every row in order, read in place (changzhu.rules.rows). None where the engine scores the
        scheme itself."""
        key = (id(policy), scheme.name)  # the policy is kept with it, so its id is not reused
        kept = self._schemes.get(key)
        if kept is None:
            found = _kernels(policy, scheme, self.on)
            kept = (policy, None if found is None else _Scheme(found))
            self._schemes[key] = kept
        got = kept[1]
        if got is None:
            return None
        for asked, totals, _, _ in got.done:
            if asked is rows:
                return totals
        kernels = got.kernels
        inputs = (*(self._input(name) for name in kernels.source.inputs), *kernels.source.constants)
        # rows among those of a run on the same inputs: each row's totals are its own, read there, not computed again
        # (the walk naming needs_ asks a points condition on the undetermined rows of a chain the engine scored whole)
        for asked, totals, _, read in got.done:
            at = places(asked, rows) if all(a is b for a, b in zip(read, inputs, strict=True)) else None
            if at is not None:
                return take(totals[0], at), take(totals[1], at), take(totals[2], at)
        m = rows.shape[0]
        totals = (small_pages_zeros(m, np.float64), small_pages_zeros(m, np.float64), small_pages_zeros(m, np.float64))
        flags = small_pages_zeros(m, np.int64)
        if is_everyone(rows):
            function, exact, call = kernels.span_function, kernels.exact_span, (0, m, *totals, flags, *inputs)
        else:
            # one type of row positions (a parent's rows are int32): a kernel compiled for each type would compile twice
            positions = rows.astype(np.int64, copy=False)
            function, exact, call = kernels.rows_function, kernels.exact_rows, (positions, *totals, flags, *inputs)
        run_checked(function, exact, [call], kernels.module_file)
        got.done.append((rows, totals, flags, inputs))
        return totals

    def open_flags(self, policy: ResolvedPolicy, scheme: PointsScheme) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per array of rows the scheme's kernel ran on, those rows and which of its indicators are a range for each
        (bit i: the i-th of codegen.open_bits(scheme)): read them, do not write."""
        kept = self._schemes.get((id(policy), scheme.name))
        if kept is None or kept[0] is not policy or kept[1] is None:
            return []
        return [(rows, flags) for rows, _, flags, _ in kept[1].done]

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


def _kernels(policy: ResolvedPolicy, scheme: PointsScheme, on: date) -> _Kernels | None:
    """The scheme's kernels on the date, None where they do not fit: written once per process for the same resolved
    policy (kept with it, so its id is not reused while it is kept)."""
    key = (id(policy), scheme.name, on)
    kept = _kept.get(key)
    if kept is not None and kept[0] is policy:
        _kept.move_to_end(key)
        return kept[1]
    found = None
    source = scheme_kernel(Shared(policy, on), scheme) if scheme.floor is None else None
    reads = () if source is None else source.inputs
    fits = not any(name.startswith(("u_", "parent")) or (name.startswith("v_") and name != _PERMIT) for name in reads)
    if source is not None and fits:
        module = load_module(module_source([source]))
        rows, span, exact_rows, exact_span = kernel_functions(module, source.name, source.exact)
        found = _Kernels(source, rows, span, exact_rows, exact_span, str(module.__file__))
    _kept[key] = (policy, found)
    while len(_kept) > SCHEMES_KEPT:
        _kept.popitem(last=False)
    return found
