"""Compiled rules: every decision and points total on one date, each chain's rules one kernel, each rule tree one
fused pass over the rows.

The source of each chain's kernel (changzhu.rules.codegen.chain_kernel: every service rule and points scheme of the
chain as the stages of one numba function, so a process loads one compiled library per chain, not one per rule) is
written once to the cache directory (private to the user, 0700) under a name taken from its text and checked against
that text before every import, and numba keeps the machine code beside it, so a chain is compiled once per machine
(about 6 CPU seconds a chain) and later runs load it. The text holds the rules' structure and tables, not the scalar
values in force: those are passed at every call (ChainSource.constants), so other dates and reforms of the same
chain reuse the module. Rows are split over threads; the kernels release the GIL.
Services run in dependency order, one pass each, so a rule can read a service already decided for the person or
for the parent (CompiledRules: the stages run in waves).
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from changzhu.config import threads
from changzhu.domain.services import Service
from changzhu.rules.catalog import ResolvedPolicy
from changzhu.rules.codegen import (
    CHAIN_KERNEL,
    ChainSource,
    Shared,
    Stage,
    chain_kernel,
    chain_module_source,
    read_only,
)
from changzhu.rules.engine import chain_groups, service_order
from changzhu.rules.frame import Frame, static_dtype
from changzhu.rules.kernel_cache import compiling, kernel_functions, load_module, run_checked
from changzhu.rules.rows import is_everyone
from changzhu.rules.scenario import Scenario

PARALLEL_MIN_ROWS = 200_000  # below this, one thread: starting threads costs more than it saves
_threads: tuple[int, ThreadPoolExecutor] | None = None  # (workers, pool) shared by every kernel call


@dataclass
class Decisions:
    """Each service's decision on one date (eligible for certain; undetermined) and each points scheme's assessed
    total and possible range (NaN where a scheme does not apply)."""

    on: date
    eligible: dict[Service, np.ndarray]
    undetermined: dict[Service, np.ndarray]
    points: dict[str, np.ndarray]
    points_low: dict[str, np.ndarray]
    points_high: dict[str, np.ndarray]


@dataclass(frozen=True)
class _Chain:
    """A chain's kernel loaded: its source (stages, inputs, constants), the compiled function over given rows and
    over a run of rows, their exact twins (ChainSource: compiled when first needed), and where each stage is."""

    source: ChainSource
    rows: Any  # compiled: (todo, rows, *outs, *inputs, kf, ki) -> whether the exact twin must run the call again
    span: Any  # compiled: (todo, start, stop, *outs, *inputs, kf, ki) -> the same
    exact_rows: Any  # the exact twins (None: the chain has none, every row's fast answer is exact)
    exact_span: Any
    module_file: str  # the module's file in the kernel cache (its lock file is beside it)
    index: dict[Service | str, int]  # stage of each service and scheme


# A call: per chain group, the stages it runs in that order (empty: the group does not run)
_Wave = list[list[int]]


class CompiledRules:
    """The rules in force on the frame's date (with a scenario) for its people, compiled to one kernel per chain.

    compile() compiles (or loads from the cache) the kernels that will run; load() builds every input they read
    (whole months on the date, category codes); run() does both if not yet done, then evaluates.
    evaluate(..., earliest=False) is prepare → CompiledRules → run.

    Each chain's kernel holds all its services and schemes (one compiled library to load, not one per rule) and
    runs the stages a call lists: a run of a few services lists only those and what they read, in dependency
    order, then the chain's schemes. The stages run in waves: a stage reading a decision at another person's row (a
    parent's, maybe in another chain) starts a new wave, so that decision is complete on every row first; each
    wave is one call per chain, its rows split over threads.
    """

    def __init__(self, frame: Frame, services: list[Service] | None = None, scenario: Scenario | None = None) -> None:
        if scenario is not None:
            frame.policies.check_scenario(scenario)
        self.frame = frame
        self.groups = chain_groups(frame, frame.policies, scenario)
        self.order = service_order([p for p, _ in self.groups], list(services) if services else list(Service))
        self._kernels = [_chain_kernel(policy, frame.on_date) for policy, _ in self.groups]
        self._waves = self._plan()
        self._inputs: dict[str, np.ndarray] = {}
        self._dummies: dict[tuple[type, bool], np.ndarray] = {}

    def _plan(self) -> list[_Wave]:
        """The calls: every requested service (and those it reads) of each chain in dependency order, then every
        scheme, cut into waves before a stage that reads a decision at another person's row."""
        steps: list[list[Service | str]] = [[s] for s in self.order]
        steps.append(sorted({name for policy, _ in self.groups for name in policy.schemes}))
        waves: list[_Wave] = []
        current: _Wave = [[] for _ in self.groups]
        for keys in steps:
            found = [[chain.index[k] for k in keys if k in chain.index] for chain in self._kernels]
            if any(
                chain.source.stages[i].other_rows for chain, got in zip(self._kernels, found, strict=True) for i in got
            ):
                if any(current):
                    waves.append(current)
                current = [[] for _ in self.groups]
            for stages, got in zip(current, found, strict=True):
                stages.extend(got)
        if any(current):
            waves.append(current)
        return waves

    def _running(self) -> list[set[int]]:
        """Per group, the stages that run."""
        return [{i for wave in self._waves for i in wave[g]} for g in range(len(self.groups))]

    def compile(self) -> None:
        """Compile (or load from the cache) every chain kernel that will run: a call running no stage on no rows.
        One process at a time per module: another process that needs the same module waits, then loads what this
        one compiled."""
        for (_, rows), chain, running in zip(self.groups, self._kernels, self._running(), strict=True):
            if not running:
                continue
            outs = [self._dummy(dtype, True) for dtype in _output_dtypes(chain)]
            args = [self._dummy(_dtype(name, self.frame), False) for name in chain.source.inputs]
            todo = np.zeros(0, dtype=np.int64)
            with compiling(chain.module_file):
                if is_everyone(rows):
                    chain.span(todo, 0, 0, *outs, *args, *chain.source.constants)
                else:
                    chain.rows(todo, rows[:0], *outs, *args, *chain.source.constants)

    def _dummy(self, dtype: type, writable: bool) -> np.ndarray:
        """An empty array standing for an argument a call does not read or write (a stage not run)."""
        key = (dtype, writable)
        if key not in self._dummies:
            empty: np.ndarray = np.zeros(0, dtype=dtype)
            self._dummies[key] = empty if writable else read_only(empty)
        return self._dummies[key]

    def _read(self) -> list[str]:
        """Every input the running stages read that comes from the frame."""
        names: list[str] = []
        for chain, running in zip(self._kernels, self._running(), strict=True):
            for i in sorted(running):
                names += [n for n in chain.source.stages[i].inputs if not n.startswith(("v_", "u_")) and n not in names]
        return names

    def load(self) -> None:
        """Build every input the kernels read: whole months on the date, category codes, numbers, parents."""
        names = [name for name in self._read() if name not in self._inputs]
        self.frame.prefetch(
            (name[2:] for name in names if name != "parent" and not name.startswith("c_")),
            (name[2:] for name in names if name.startswith("c_")),
        )
        for name in names:
            self._inputs[name] = read_only(
                np.ascontiguousarray(_input(self.frame, name), dtype=_dtype(name, self.frame))
            )

    def run(self) -> Decisions:
        """Every requested service (and those they depend on) and every scheme of the chains present."""
        self.compile()
        self.load()
        n = self.frame.n
        eligible = {s: self._output(s, np.bool_, False) for s in self.order}
        undetermined = {s: self._output(s, np.bool_, False) for s in self.order}
        schemes = sorted({name for policy, _ in self.groups for name in policy.schemes})
        points = {name: self._output(name, np.float64, np.nan) for name in schemes}
        low = {name: self._output(name, np.float64, np.nan) for name in schemes}
        high = {name: self._output(name, np.float64, np.nan) for name in schemes}
        decided = dict(self._inputs)
        for service in self.order:
            decided[f"v_{service.value}"] = read_only(eligible[service])
            decided[f"u_{service.value}"] = read_only(undetermined[service])
        # permit months without a permit stay -1 unless the permit service was decided (as in IntervalEvaluator)
        for prefix in ("v_", "u_"):
            decided.setdefault(f"{prefix}{Service.RESIDENCE_PERMIT.value}", read_only(np.zeros(n, dtype=bool)))
        for wave in self._waves:
            for (_, rows), chain, todo in zip(self.groups, self._kernels, wave, strict=True):
                if not todo:
                    continue
                running = set(todo)
                outs: list[np.ndarray] = []
                for i, stage in enumerate(chain.source.stages):
                    if i not in running:
                        outs += [self._dummy(_stage_dtype(stage), True) for _ in stage.outputs]
                    elif isinstance(stage.key, Service):
                        outs += [eligible[stage.key], undetermined[stage.key]]
                    else:
                        outs += [points[stage.key], low[stage.key], high[stage.key]]
                reads = {name for i in running for name in chain.source.stages[i].inputs}
                args = [
                    decided[name] if name in reads else self._dummy(_dtype(name, self.frame), False)
                    for name in chain.source.inputs
                ]
                self._call(chain, np.array(todo, dtype=np.int64), rows, [*outs, *args, *chain.source.constants])
        return Decisions(self.frame.on_date, eligible, undetermined, points, low, high)

    def _output(self, key: Service | str, dtype: type, fill: bool | float) -> np.ndarray:
        """An output array; left unfilled when one chain covers everyone and has the rule (the kernel writes every
        row), else filled with what rows without the rule get."""
        if len(self.groups) == 1:
            policy = self.groups[0][0]
            if key in policy.services or key in policy.schemes:
                return np.empty(self.frame.n, dtype=dtype)
        return np.full(self.frame.n, fill, dtype=dtype)

    def _call(self, chain: _Chain, todo: np.ndarray, rows: np.ndarray, args: list[np.ndarray]) -> None:
        """The chain's kernel running the stages `todo` over the rows, split over threads; a contiguous loop when
        the rows are everyone. A part where the fast kernel met a row it does not divide exactly (a number beyond
        2**52 or infinite: never in real data) is run again by the exact kernel (kernel_cache.run_checked)."""
        everyone = is_everyone(rows)
        workers = threads() if rows.shape[0] >= PARALLEL_MIN_ROWS else 1
        cuts = np.linspace(0, rows.shape[0], workers + 1).astype(np.int64)
        parts = [(int(a), int(b)) for a, b in itertools.pairwise(cuts)]
        if everyone:
            fast, exact, calls = chain.span, chain.exact_span, [(todo, a, b, *args) for a, b in parts]
        else:
            fast, exact, calls = chain.rows, chain.exact_rows, [(todo, rows[a:b], *args) for a, b in parts]
        run_checked(fast, exact, calls, chain.module_file, map if workers == 1 else _pool(workers).map)


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's thread pool for kernel calls, created once (per thread count) rather than per call."""
    global _threads
    if _threads is None or _threads[0] != workers:
        if _threads is not None:
            _threads[1].shutdown(wait=False)
        _threads = (workers, ThreadPoolExecutor(workers, thread_name_prefix="changzhu-rules"))
    return _threads[1]


def _chain_kernel(policy: ResolvedPolicy, on: date) -> _Chain:
    """The chain's kernel: every service rule and scheme of the chain, one function in one module (with its exact
    twin when it has one)."""
    source = chain_kernel(Shared(policy, on), list(policy.services), list(policy.schemes.values()))
    module = load_module(chain_module_source(source))
    index = {stage.key: i for i, stage in enumerate(source.stages)}
    kernel, span, exact_rows, exact_span = kernel_functions(module, CHAIN_KERNEL, source.exact)
    return _Chain(source, kernel, span, exact_rows, exact_span, str(module.__file__), index)


def _stage_dtype(stage: Stage) -> type:
    """The element type of a stage's outputs: a service's decisions, a scheme's totals."""
    return np.bool_ if isinstance(stage.key, Service) else np.float64


def _output_dtypes(chain: _Chain) -> list[type]:
    """The element type of each output argument of the chain's kernel."""
    return [_stage_dtype(stage) for stage in chain.source.stages for _ in stage.outputs]


def _dtype(name: str, frame: Frame | None = None) -> type:
    """The element type a kernel input is compiled for (a static variable: the frame's array type)."""
    if name == "parent" or name.startswith("c_"):
        return np.int32
    if name.startswith(("v_", "u_")):
        return np.bool_
    return static_dtype(name[2:], frame)


def _input(frame: Frame, name: str) -> np.ndarray:
    """One kernel input, from the frame."""
    if name == "parent":
        return frame.parent_idx
    if name.startswith("c_"):
        return frame.clocks[name[2:]].now(frame.on)
    return frame.statics[name[2:]]
