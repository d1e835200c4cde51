"""Compiled rules: every decision and points total on one date, each rule tree one fused pass over the rows.

The source of each chain's kernels (changzhu.rules.codegen) is written once to the cache directory (private to the
user, 0700) under a name taken from its text and checked against that text before every import, and numba keeps
the machine code beside it, so a chain is compiled once per machine (about 10 CPU seconds a module) and later runs
load it. The text holds the rules' structure and tables, not the scalar values in force: those are passed at every
call (KernelSource.constants), so other dates and reforms of the same chain reuse the module.
Rows are split over threads; the kernels release the GIL.
Services run in dependency order, one pass each, so a rule can read a service already decided for the person or
for the parent.
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
    KernelSource,
    Shared,
    module_source,
    read_only,
    scheme_kernel,
    service_kernel,
)
from changzhu.rules.engine import chain_groups, service_order
from changzhu.rules.frame import Frame, static_dtype
from changzhu.rules.kernel_cache import compiling, load_module
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
class _Kernel:
    source: KernelSource
    rows: Any  # compiled: (rows, *outs, *inputs, *constants)
    span: Any  # compiled: (start, stop, *outs, *inputs, *constants)
    module_file: str  # the module's file in the kernel cache (its lock file is beside it)


class CompiledRules:
    """The rules in force on the frame's date (with a scenario) for its people, compiled to kernels.

    compile() compiles (or loads from the cache) the kernels that will run; load() builds every input they read
    (whole months on the date, category codes); run() does both if not yet done, then evaluates.
    evaluate(..., earliest=False) is prepare → CompiledRules → run.
    """

    def __init__(self, frame: Frame, services: list[Service] | None = None, scenario: Scenario | None = None) -> None:
        if scenario is not None:
            scenario.check(frame.policies.parameter_units())
        self.frame = frame
        self.groups = chain_groups(frame, frame.policies, scenario)
        self.order = service_order([p for p, _ in self.groups], list(services) if services else list(Service))
        self._kernels = [_chain_kernels(policy, frame.on_date) for policy, _ in self.groups]
        self._inputs: dict[str, np.ndarray] = {}

    def _needed(self) -> list[tuple[np.ndarray, dict[Service | str, _Kernel], list[Service | str]]]:
        """Per group: its rows, its kernels and the keys of those that run (requested services, every scheme)."""
        out = []
        for (policy, rows), kernels in zip(self.groups, self._kernels, strict=True):
            keys: list[Service | str] = [s for s in self.order if s in policy.services]
            out.append((rows, kernels, [*keys, *policy.schemes]))
        return out

    def compile(self) -> None:
        """Compile (or load from the cache) every kernel that will run: a call on no rows. One process at a time
        per module: another process that needs the same module waits, then loads what this one compiled."""
        for rows, kernels, keys in self._needed():
            if not keys:
                continue
            with compiling(kernels[keys[0]].module_file):
                self._compile(rows, kernels, keys)

    def _compile(self, rows: np.ndarray, kernels: dict[Service | str, _Kernel], keys: list[Service | str]) -> None:
        """The kernels of one chain, each called on no rows."""
        for key in keys:
            kernel = kernels[key]
            dtype = np.bool_ if isinstance(key, Service) else np.float64
            outs: list[np.ndarray] = [np.zeros(0, dtype=dtype) for _ in kernel.source.outputs]
            args = [read_only(np.zeros(0, dtype=_dtype(name, self.frame))) for name in kernel.source.inputs]
            if rows.shape[0] == self.frame.n:
                kernel.span(0, 0, *outs, *args, *kernel.source.constants)
            else:
                kernel.rows(rows[:0], *outs, *args, *kernel.source.constants)

    def load(self) -> None:
        """Build every input the kernels read: whole months on the date, category codes, numbers, parents."""
        names = [
            name
            for _, kernels, keys in self._needed()
            for key in keys
            for name in kernels[key].source.inputs
            if not name.startswith(("v_", "u_")) and name not in self._inputs
        ]
        self.frame.prefetch(
            (name[2:] for name in names if name != "parent" and not name.startswith("c_")),
            (name[2:] for name in names if name.startswith("c_")),
        )
        for name in names:
            if name not in self._inputs:
                self._inputs[name] = read_only(
                    np.ascontiguousarray(_input(self.frame, name), dtype=_dtype(name, self.frame))
                )

    def run(self) -> Decisions:
        """Every requested service (and those they depend on) and every scheme of the chains present."""
        self.compile()
        self.load()
        n = self.frame.n
        eligible: dict[Service, np.ndarray] = {}
        undetermined: dict[Service, np.ndarray] = {}
        for service in self.order:
            out = self._output(service, np.bool_, False)
            unk = self._output(service, np.bool_, False)
            for (policy, rows), kernels in zip(self.groups, self._kernels, strict=True):
                if service in policy.services:
                    self._call(kernels[service], rows, [out, unk])
            eligible[service] = out
            undetermined[service] = unk
            self._inputs[f"v_{service.value}"] = read_only(out)
            self._inputs[f"u_{service.value}"] = read_only(unk)
        # permit months without a permit stay -1 unless the permit service was decided (as in IntervalEvaluator)
        for prefix in ("v_", "u_"):
            self._inputs.setdefault(f"{prefix}{Service.RESIDENCE_PERMIT.value}", read_only(np.zeros(n, dtype=bool)))
        points: dict[str, np.ndarray] = {}
        low: dict[str, np.ndarray] = {}
        high: dict[str, np.ndarray] = {}
        for (policy, rows), kernels in zip(self.groups, self._kernels, strict=True):
            for scheme in policy.schemes:
                outs = [
                    found.setdefault(scheme, self._output(scheme, np.float64, np.nan)) for found in (points, low, high)
                ]
                self._call(kernels[scheme], rows, outs)
        return Decisions(self.frame.on_date, eligible, undetermined, points, low, high)

    def _output(self, key: Service | str, dtype: type, fill: bool | float) -> np.ndarray:
        """An output array; left unfilled when one chain covers everyone and has the rule (the kernel writes every
        row), else filled with what rows without the rule get."""
        if len(self.groups) == 1:
            policy = self.groups[0][0]
            if key in policy.services or key in policy.schemes:
                return np.empty(self.frame.n, dtype=dtype)
        return np.full(self.frame.n, fill, dtype=dtype)

    def _call(self, kernel: _Kernel, rows: np.ndarray, outs: list[np.ndarray]) -> None:
        """The kernel over the rows, split over threads; a contiguous loop when the rows are everyone."""
        args = [*(self._inputs[name] for name in kernel.source.inputs), *kernel.source.constants]
        everyone = rows.shape[0] == self.frame.n
        workers = threads() if rows.shape[0] >= PARALLEL_MIN_ROWS else 1
        cuts = np.linspace(0, rows.shape[0], workers + 1).astype(np.int64)
        parts = [(int(a), int(b)) for a, b in itertools.pairwise(cuts)]

        def part(bounds: tuple[int, int]) -> None:
            if everyone:
                kernel.span(bounds[0], bounds[1], *outs, *args)
            else:
                kernel.rows(rows[bounds[0] : bounds[1]], *outs, *args)

        if workers == 1:
            part(parts[0])
            return
        list(_pool(workers).map(part, parts))


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's thread pool for kernel calls, created once (per thread count) rather than per call."""
    global _threads
    if _threads is None or _threads[0] != workers:
        if _threads is not None:
            _threads[1].shutdown(wait=False)
        _threads = (workers, ThreadPoolExecutor(workers, thread_name_prefix="changzhu-rules"))
    return _threads[1]


def _chain_kernels(policy: ResolvedPolicy, on: date) -> dict[Service | str, _Kernel]:
    """Every service rule and scheme of a chain, compiled from one module."""
    shared = Shared(policy, on)
    sources: dict[Service | str, KernelSource] = {s: service_kernel(shared, s) for s in policy.services}
    sources.update({name: scheme_kernel(shared, scheme) for name, scheme in policy.schemes.items()})
    module = load_module(module_source(list(sources.values())))
    path = str(module.__file__)
    kernels: dict[Service | str, _Kernel] = {}
    for key, src in sources.items():
        kernels[key] = _Kernel(src, getattr(module, src.name), getattr(module, f"{src.name}_span"), path)
    return kernels


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
