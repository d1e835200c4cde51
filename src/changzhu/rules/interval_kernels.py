"""Compiled interval trees: each chain's rule for a service run as one kernel that writes the service's interval.

The interval engine (changzhu.rules.engine.IntervalEvaluator) asks here for a service's interval over every row: the
kernel of each chain group's rule (changzhu.rules.interval_codegen) writes the start, end, unknown and decided of its
rows straight into the service's arrays, with no leaf results, folds or gathering in between. The kernels of a chain
are one module in the kernel cache (changzhu.rules.kernel_cache, under CHANGZHU_CACHE_DIR), compiled once per machine.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.arrays import Interval
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import read_only
from changzhu.rules.conditions import Condition
from changzhu.rules.dates import DAY_D0, DAY_YM, FOREVER, NEVER, YM_LEN, YM_START
from changzhu.rules.interval_codegen import IntervalSource, interval_kernel, module_text
from changzhu.rules.kernel_cache import compiling, load_module

if TYPE_CHECKING:
    from changzhu.rules.protocols import EngineView as Engine

_TABLES = {
    "t_ym_start": read_only(YM_START),
    "t_ym_len": read_only(YM_LEN),
    "t_day_ym": read_only(DAY_YM),
    "t_day_d0": read_only(DAY_D0),
}
CHAINS_KEPT = 64  # chains whose kernels are kept per process (a long-lived process running many reforms)
_NONE_INT = np.zeros(0, dtype=np.int32)  # an output the kernel is told not to write
_NONE_BOOL = np.zeros(0, dtype=bool)


@dataclass(frozen=True)
class _Arrays:
    """A service's interval as its kernels wrote it: no end where every end is FOREVER, no unknown and decided where
    every row is known and decided."""

    start: np.ndarray
    end: np.ndarray | None
    unknown: np.ndarray | None
    decided: np.ndarray | None


@dataclass(frozen=True)
class _Compiled:
    source: IntervalSource
    function: Any  # compiled: (rows, o_start, o_end, o_unknown, o_decided, *inputs, kf, ki, write_end, write_unknown)
    module_file: str


_chains: OrderedDict[int, tuple[ResolvedPolicy, date, dict[Service, _Compiled]]] = OrderedDict()


@dataclass
class TreeKernels:
    """The compiled interval trees of one evaluation: each service's arrays once its kernels have run."""

    on: date
    done: dict[Service, _Arrays] = field(default_factory=dict)
    constants: dict[tuple[Any, type], np.ndarray] = field(default_factory=dict)

    def service(
        self, ev: Engine, service: Service, rules: list[tuple[ResolvedPolicy, np.ndarray, Any]], n: int
    ) -> Interval:
        """The service's interval for every row: each chain group's kernel over its rows (rows of no group: never,
        known). The end is kept only where a kernel may end, unknown and decided only where one may be unknown."""
        parts = []
        for policy, rows, rule in rules:
            if rule is not None:
                compiled = _chain(policy, self.on)[service]
                read = [self.done[s] for s in compiled.source.services]
                ends = compiled.source.finite_end or any(got.end is not None for got in read)
                unknowns = compiled.source.maybe_unknown or any(got.unknown is not None for got in read)
                parts.append((policy, rows, compiled, ends, unknowns))
        everyone = len(parts) == 1 and parts[0][1].shape[0] == n  # the kernel writes every row
        any_end, any_unknown = any(p[3] for p in parts), any(p[4] for p in parts)
        start, end, unknown, decided = _outputs(n, any_end, any_unknown)
        if not everyone:  # rows of no group: never, known
            start.fill(NEVER)
            if end is not None:
                end.fill(FOREVER)
            if unknown is not None and decided is not None:
                unknown.fill(False)
                decided.fill(True)
        outs = [start, _NONE_INT if end is None else end, _NONE_BOOL, _NONE_BOOL]
        if unknown is not None and decided is not None:
            outs[2:] = [unknown, decided]
        for policy, rows, compiled, ends, unknowns in parts:
            leaves = [_leaf_arrays(ev, policy, rows, leaf, service.value) for leaf in compiled.source.leaves]
            args = [self._input(ev, leaves, name) for name in compiled.source.inputs]
            call = (rows, *outs, *args, *compiled.source.constants, ends, unknowns)
            if compiled.function.overloads:
                compiled.function(*call)
            else:
                with compiling(compiled.module_file):  # one process compiles a module, the others load it
                    compiled.function(*call)
        got = _Arrays(start, end, unknown, decided)
        self.done[service] = got
        interval_end = np.broadcast_to(FOREVER, (n,)) if end is None else end
        if unknown is None or decided is None or not (unknown.any() or not decided.all()):
            return Interval(start, interval_end)
        return Interval(start, interval_end, unknown, decided)

    def _constant(self, n: int, value: Any, dtype: type) -> np.ndarray:
        """A read-only array of one value for every row, made once per evaluation (a service read by a kernel that is
        known, or ends never, everywhere)."""
        key = (value, dtype)
        made = self.constants.get(key)
        if made is None:
            made = read_only(np.full(n, value, dtype=dtype))
            self.constants[key] = made
        return made

    def _input(self, ev: Engine, leaves: list[list[np.ndarray]], name: str) -> np.ndarray:
        """One kernel input (every input is passed read-only, so each kernel has one signature)."""
        frame = ev.frame
        if name in _TABLES:
            return _TABLES[name]
        if name == "parent":
            return read_only(frame.parent_idx)
        if name == "pu":
            unknown = ev.permit_unknown
            return read_only(np.zeros(frame.n, dtype=bool) if unknown is None else unknown)
        prefix, _, rest = name.partition("_")
        if prefix in ("cb", "cc", "cg", "cx"):
            clock = frame.clocks[rest]
            field_ = {"cb": clock.base, "cc": clock.const, "cg": clock.grows, "cx": clock.before}[prefix]
            return read_only(np.asarray(field_))
        if prefix == "s":
            return read_only(np.asarray(frame.statics[rest]))
        if prefix in ("ss", "se", "su", "sd"):
            got = self.done[Service(rest)]
            if prefix == "ss":
                return read_only(got.start)
            if prefix == "se":
                return read_only(got.end) if got.end is not None else self._constant(frame.n, int(FOREVER), np.int32)
            if got.unknown is None or got.decided is None:
                return self._constant(frame.n, prefix == "sd", np.bool_)
            return read_only(got.unknown if prefix == "su" else got.decided)
        return leaves[int(name[1:-1])]["seud".index(name[-1])]  # l<k><s|e|u|d>: a leaf the engine evaluates


def _outputs(
    n: int, ends: bool, unknowns: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """A service's start and, if asked, end, unknown and decided: views of one block of memory. NumPy asks the system
    for huge pages only for a block of at least 4 MiB (1M int32 starts are 3.8 MiB), so one block of all four is
    touched in 2 MiB pages instead of ≈2,400 faults of 4 KiB for 1M rows."""
    size = 4 * n * (1 + ends) + 2 * n * unknowns
    block = np.empty(size, dtype=np.uint8)
    start = block[: 4 * n].view(np.int32)
    end = block[4 * n : 8 * n].view(np.int32) if ends else None
    at = 4 * n * (1 + ends)
    unknown = block[at : at + n].view(np.bool_) if unknowns else None
    decided = block[at + n : at + 2 * n].view(np.bool_) if unknowns else None
    return start, end, unknown, decided


def _chain(policy: ResolvedPolicy, on: date) -> dict[Service, _Compiled]:
    """The chain's kernels on the date: written once per process for the same resolved policy (kept with it, so its
    id is not reused while it is cached)."""
    kept = _chains.get(id(policy))
    if kept is not None and kept[0] is policy and kept[1] == on:
        _chains.move_to_end(id(policy))
        return kept[2]
    sources = {s: interval_kernel(policy, on, s) for s in policy.services}
    module = load_module(module_text(list(sources.values())))
    path = str(module.__file__)
    found = {s: _Compiled(src, getattr(module, src.name), path) for s, src in sources.items()}
    _chains[id(policy)] = (policy, on, found)
    while len(_chains) > CHAINS_KEPT:
        _chains.popitem(last=False)
    return found


def _leaf_arrays(ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, leaf: Condition, path: str) -> list[np.ndarray]:
    """The engine's interval of a leaf for the rows (by position): start, end, unknown, decided, each one array."""
    got = leaf.interval(ev, policy, rows, path)
    m = rows.shape[0]
    decided = got.decided_mask()
    return [
        read_only(np.ascontiguousarray(got.start, dtype=np.int64)),
        read_only(np.ascontiguousarray(np.broadcast_to(got.end, (m,)), dtype=np.int64)),
        read_only(np.zeros(m, dtype=bool) if got.unknown is None else np.ascontiguousarray(got.unknown)),
        read_only(np.ones(m, dtype=bool) if decided is None else np.ascontiguousarray(decided)),
    ]
