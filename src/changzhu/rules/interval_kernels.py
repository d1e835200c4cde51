"""Compiled interval trees: a chain's rules for a stage of services run as one kernel that writes their intervals.

The interval engine (changzhu.rules.engine.IntervalEvaluator) asks here for the intervals of a stage's services over
every row: the kernel of each chain group's rules (changzhu.rules.interval_codegen) writes the start, end, unknown and
decided of its rows straight into the services' arrays, with no leaf results, folds or gathering in between. Chain
groups whose kernels for a stage are the same (the same text and constants, no leaf the engine evaluates) run as one
call over their rows together. The kernels of a chain are one module in the kernel cache (changzhu.rules.kernel_cache,
under CHANGZHU_CACHE_DIR), compiled once per machine.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.arrays import Interval, small_pages_full, small_pages_zeros
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import read_only
from changzhu.rules.conditions import Condition
from changzhu.rules.dates import DAY_D0, DAY_YM, FOREVER, NEVER, YM_LEN, YM_START
from changzhu.rules.interval_codegen import IntervalSource, interval_kernel, module_text
from changzhu.rules.kernel_cache import compiling, load_module
from changzhu.rules.rows import everyone

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
# a clock's part that is one broadcast value until some row differs (the months residence_recognised recognises from
# prior places: 0 for every row until someone has some, Frame.recognition): always given per row, so the kernel reading
# it takes one layout whatever the table (a broadcast is numba's layout 'A', an array per row 'C': two compiles)
_PER_ROW = frozenset({"cc_residence_recognised"})


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
    function: Any  # compiled: (rows, *outputs of each tree, *inputs, kf, ki, *write_end and write_unknown of each)
    module_file: str


Stages = tuple[tuple[Service, ...], ...]  # services in the order they run, cut where one reads an earlier one
_chains: OrderedDict[int, tuple[ResolvedPolicy, date, Stages, dict[tuple[Service, ...], _Compiled]]] = OrderedDict()


@dataclass
class TreeKernels:
    """The compiled interval trees of one evaluation: each service's arrays once its kernels have run."""

    on: date
    stages: Stages
    done: dict[Service, _Arrays] = field(default_factory=dict)
    constants: dict[tuple[Any, type], np.ndarray] = field(default_factory=dict)
    unions: dict[tuple[int, ...], np.ndarray] = field(default_factory=dict)  # rows of chain groups run together
    kept_ends: frozenset[Service] | None = None  # the services whose end is kept (None: every one that may end)

    def stage(
        self, ev: Engine, services: tuple[Service, ...], groups: list[tuple[ResolvedPolicy, np.ndarray]], n: int
    ) -> dict[Service, Interval]:
        """The intervals of a stage's services (one of self.stages) for every row: each chain group's kernel for the
        stage, one pass over its rows (those of every group with the same kernel) writing every service its chain has
        a rule for (rows of no group, or whose chain has no rule for a service: never, known). The end is kept only
        where a kernel may end and the service is among kept_ends, unknown and decided only where one may be
        unknown."""
        ends: dict[Service, bool] = dict.fromkeys(services, False)
        unknowns: dict[Service, bool] = dict.fromkeys(services, False)
        covered = dict.fromkeys(services, 0)
        same: dict[tuple[Any, ...], list[tuple[int, ResolvedPolicy, np.ndarray, _Compiled]]] = {}
        for g, (policy, rows) in enumerate(groups):
            mine = tuple(s for s in services if s in policy.services)
            if not mine:
                continue
            compiled = _chain(policy, self.on, self.stages)[mine]
            for tree in compiled.source.trees:
                read = [self.done[s] for s in tree.services]
                ends[tree.service] |= tree.finite_end or any(got.end is not None for got in read)
                unknowns[tree.service] |= tree.maybe_unknown or any(got.unknown is not None for got in read)
                covered[tree.service] += rows.shape[0]
            source = compiled.source  # the same text and constants, no leaf of the engine's: the same kernel
            key = (source.source, *(c.tobytes() for c in source.constants)) if not source.leaves else (g,)
            same.setdefault(key, []).append((g, policy, rows, compiled))
        if self.kept_ends is not None:  # an end no one reads is not written (an array of 4 bytes a row less)
            ends = {s: kept and s in self.kept_ends for s, kept in ends.items()}
        calls = [(m[0][1], self._rows(m, n), m[0][3]) for m in same.values()]
        made = {s: _outputs(n, ends[s], unknowns[s]) for s in services}
        for service, (start, end, unknown, decided) in made.items():
            if covered[service] != n:  # rows of no group: never, known
                start.fill(NEVER)
                if end is not None:
                    end.fill(FOREVER)
                if unknown is not None and decided is not None:
                    unknown.fill(False)
                    decided.fill(True)
        for policy, rows, compiled in calls:
            outs: list[np.ndarray] = []
            flags = []  # a kernel writes an end (unknown, decided) wherever its service keeps one, for every row
            for tree in compiled.source.trees:
                flags += [ends[tree.service], unknowns[tree.service]]
                start, end, unknown, decided = made[tree.service]
                outs += [start, _NONE_INT if end is None else end]
                outs += [_NONE_BOOL, _NONE_BOOL] if unknown is None or decided is None else [unknown, decided]
            leaves = [_leaf_arrays(ev, policy, rows, leaf, s.value) for leaf, s in compiled.source.leaves]
            args = [_one_layout(self._input(ev, leaves, name)) for name in compiled.source.inputs]
            call = (rows, *outs, *args, *compiled.source.constants, *flags)
            if compiled.function.overloads:
                compiled.function(*call)
            else:
                with compiling(compiled.module_file):  # one process compiles a module, the others load it
                    compiled.function(*call)
        out = {}
        for service, (start, end, unknown, decided) in made.items():
            self.done[service] = _Arrays(start, end, unknown, decided)
            interval_end = np.broadcast_to(FOREVER, (n,)) if end is None else end
            if unknown is None or decided is None or not (unknown.any() or not decided.all()):
                out[service] = Interval(start, interval_end)
            else:
                out[service] = Interval(start, interval_end, unknown, decided)
        return out

    def _rows(self, members: list[tuple[int, ResolvedPolicy, np.ndarray, _Compiled]], n: int) -> np.ndarray:
        """The rows of the chain groups that run the same kernel, in order (made once per evaluation for the same
        groups): one pass over them all instead of one per group, so each line of memory is read once."""
        if len(members) == 1:
            return members[0][2]
        key = tuple(m[0] for m in members)
        rows = self.unions.get(key)
        if rows is None:
            inside = np.zeros(n, dtype=bool)
            for _, _, some, _ in members:
                inside[some] = True
            rows = everyone(n) if inside.all() else np.flatnonzero(inside)
            self.unions[key] = rows
        return rows

    def _constant(self, n: int, value: Any, dtype: type) -> np.ndarray:
        """A read-only array of one value for every row, made once per evaluation (a service read by a kernel that is
        known, or ends never, everywhere)."""
        key = (value, dtype)
        made = self.constants.get(key)
        if made is None:
            made = read_only(small_pages_full((n,), value, dtype))
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
            array = np.asarray(field_)
            return read_only(array.copy() if name in _PER_ROW and array.strides == (0,) else array)
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


def _one_layout(array: np.ndarray) -> np.ndarray:
    """A kernel input as numba types it on any number of rows: a broadcast input (one value for every row, stride 0)
    is non-contiguous (numba's layout 'A') from two rows on, but NumPy flags it contiguous ('C') on one row or none,
    so a one-person evaluation compiled the kernel a second time (seconds of CPU); it is given as a broadcast over two
    rows then (the kernel reads only the rows it is given)."""
    if array.ndim != 1 or array.shape[0] > 1 or array.strides != (0,):
        return array
    return np.broadcast_to(array[:1] if array.size else np.zeros(1, dtype=array.dtype), (2,))


def _outputs(
    n: int, ends: bool, unknowns: bool
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """A service's start and, if asked, end, unknown and decided. The start is an array of its own (evaluate() reads
    it in place as the earliest dates, which then hold no more memory than those dates); the others are views of one
    block of memory. Both in small pages (arrays.small_pages_zeros: every byte is written once, by the kernels)."""
    start = small_pages_zeros(n, np.int32)
    block = small_pages_zeros(4 * n * ends + 2 * n * unknowns, np.uint8)
    end = block[: 4 * n].view(np.int32) if ends else None
    at = 4 * n * ends
    unknown = block[at : at + n].view(np.bool_) if unknowns else None
    decided = block[at + n : at + 2 * n].view(np.bool_) if unknowns else None
    return start, end, unknown, decided


def _chain(policy: ResolvedPolicy, on: date, stages: Stages) -> dict[tuple[Service, ...], _Compiled]:
    """The chain's kernels on the date, one per stage (its services the chain has a rule for): written once per
    process for the same resolved policy and stages (kept with it, so its id is not reused while it is cached)."""
    kept = _chains.get(id(policy))
    if kept is not None and kept[0] is policy and kept[1] == on and kept[2] == stages:
        _chains.move_to_end(id(policy))
        return kept[3]
    wanted = [mine for stage in stages if (mine := tuple(s for s in stage if s in policy.services))]
    sources = [interval_kernel(policy, on, mine) for mine in wanted]
    module = load_module(module_text(sources))
    path = str(module.__file__)
    found = {mine: _Compiled(src, getattr(module, src.name), path) for mine, src in zip(wanted, sources, strict=True)}
    _chains[id(policy)] = (policy, on, stages, found)
    while len(_chains) > CHAINS_KEPT:
        _chains.popitem(last=False)
    return found


def _leaf_arrays(ev: Engine, policy: ResolvedPolicy, rows: np.ndarray, leaf: Condition, path: str) -> list[np.ndarray]:
    """The engine's interval of a leaf for the rows (by position): start, end, unknown, decided, each one array. Days
    as int32 (every day, NEVER and FOREVER fit), as the engine gives most of them: no copy to a wider type."""
    got = leaf.interval(ev, policy, rows, path)
    m = rows.shape[0]
    decided = got.decided_mask()
    return [
        read_only(np.ascontiguousarray(got.start, dtype=np.int32)),
        read_only(np.ascontiguousarray(np.broadcast_to(got.end, (m,)), dtype=np.int32)),
        read_only(np.zeros(m, dtype=bool) if got.unknown is None else np.ascontiguousarray(got.unknown)),
        read_only(np.ones(m, dtype=bool) if decided is None else np.ascontiguousarray(decided)),
    ]
