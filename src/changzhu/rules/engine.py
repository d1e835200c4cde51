"""The vectorized rules engine: each rule tree becomes, per person, the interval of days on which it holds.

A condition holds on [start, end] (days since 1970-01-01): start == on means it holds now, start == NEVER that
it never will if nothing else changes. Clocks grow by whole months, so the first day a threshold is reached
is exact. The meaning of each condition and indicator is defined once, by its class (changzhu.rules.conditions,
changzhu.rules.indicators); this module runs them over the rows, in service dependency order, and searches the
earliest date a points line is reached. An unknown input makes a result unknown (three-valued, see
changzhu.rules.arrays.Interval), never zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.services import Service
from changzhu.parameters.model import DatedValue, Parameter
from changzhu.rules.arrays import ROWS_BLOCK, Interval, endless, fold
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, resolve, scenario_scope, scheme_conditions
from changzhu.rules.conditions import (
    AllOf,
    AnyOf,
    Condition,
    ConstantCondition,
    FlagCondition,
    Leaf,
    PointsCondition,
    ServiceCondition,
    VariableCondition,
)
from changzhu.rules.dates import FOREVER, NEVER
from changzhu.rules.errors import PolicyError
from changzhu.rules.frame import Clock, Frame
from changzhu.rules.indicators import Indicator, flat, num
from changzhu.rules.interval_kernels import TreeKernels
from changzhu.rules.model import PointsScheme
from changzhu.rules.points_kernels import SchemeTotals
from changzhu.rules.protocols import LeafResult
from changzhu.rules.rows import everyone, is_everyone, take
from changzhu.rules.scenario import Scenario

HORIZON_YEARS = 40  # how far ahead the earliest date of a points line is searched
COMPILED_MIN_ROWS = 200_000  # below this, the NumPy engine alone (see IntervalEvaluator._compiled)
TREES_PER_KERNEL = 4  # services per compiled kernel at most (compiling one larger function costs more than it saves)


@dataclass
class LeafTrace:
    """What one condition saw for the rows it was evaluated on (kept only when explaining)."""

    path: str
    leaf: Leaf
    rows: np.ndarray
    result: LeafResult


@dataclass
class PointsTrace:
    """The points of one scheme for some rows: per indicator (low, high), totals, line, prerequisites, earliest."""

    scheme: PointsScheme
    of: str
    rows: np.ndarray
    line: float
    line_parameter: Parameter
    line_dated: DatedValue
    indicators: list[tuple[Indicator, np.ndarray, np.ndarray]]
    low: np.ndarray
    high: np.ndarray
    prerequisites: Interval
    earliest: np.ndarray
    policy: ResolvedPolicy  # the policy the points were scored under (an explanation scores a group's parts with it)


@dataclass
class PointsResult:
    """A scheme's points on the date for some rows (a chain group's), by position in `rows`: the assessed total and
    the possible range (which indicators are unassessed is found on the open rows only, by
    changzhu.rules.evaluate.NeedsFinder)."""

    rows: np.ndarray | None  # None: every row of the frame, in order
    assessed: np.ndarray
    low: np.ndarray
    high: np.ndarray


@dataclass
class IntervalEvaluator:
    """The interval evaluator: every service and points scheme for a Frame, with earliest dates and traces."""

    frame: Frame
    policies: PolicySet
    scenario: Scenario | None
    trace: bool = False
    search: bool = True  # False: decide on the date only (no search for the day a points line is reached)
    compiled: bool = True  # rule trees and points on the date as compiled kernels (not when explaining); False: NumPy
    # False: from the compiled trees, a service's end is kept only where a condition of some chain may read it
    # (services_read); the others' ends are never written and read FOREVER on every row (evaluate() reads the starts
    # and decisions alone: docs/performance-history.md, ninth pass)
    every_end: bool = True
    leaf_traces: list[LeafTrace] = field(default_factory=list)
    points_traces: list[PointsTrace] = field(default_factory=list)
    services: dict[Service, Interval] = field(default_factory=dict)
    groups: list[tuple[ResolvedPolicy, np.ndarray]] = field(default_factory=list)  # chain groups, once run
    points_now: dict[str, list[PointsResult]] = field(default_factory=dict)  # per scheme, one per chain group
    permit_unknown: np.ndarray | None = None
    permit_held: np.ndarray | None = None  # per frame row: a permit on record (set with the permit clock)
    _points_cache: dict[tuple[tuple[str, ...], str, str], tuple[np.ndarray, LeafResult]] = field(default_factory=dict)
    _leaf_cache: dict[tuple[Any, ...], tuple[np.ndarray, object, LeafResult]] = field(default_factory=dict)
    _taken: dict[tuple[Service, int], tuple[np.ndarray, Interval]] = field(default_factory=dict)
    _points_on: dict[tuple[tuple[str, ...], str], tuple[np.ndarray, Any]] = field(default_factory=dict)
    _scheme_totals: SchemeTotals | None = None

    def run(self, services: list[Service], *, points: bool = True) -> None:
        """Evaluate the services (in dependency order) and, unless points=False, every scheme's points on the
        evaluation date."""
        groups = chain_groups(self.frame, self.policies, self.scenario)
        self.groups = groups
        deps = _dependencies([p for p, _ in groups])
        order = service_order([p for p, _ in groups], services, deps)
        if self._compiled():
            self.frame.prefetch_blanks(_variables_read([p for p, _ in groups]))
            self._kernel_services(groups, order, deps)
        else:
            self._numpy_services(groups, order)
        for policy, rows in groups if points else []:
            for scheme in policy.schemes.values():
                totals = self._totals(policy, scheme, rows)
                at = None if is_everyone(rows) else rows
                if totals is not None:
                    result = PointsResult(at, *totals)
                else:
                    lo, hi, parts = self.points_at(policy, scheme, rows, self.frame.on)
                    result = _points_result(at, lo, hi, parts)
                    if scheme.floor is not None:  # a known total is the floored one
                        result.assessed = np.where(lo == hi, lo, result.assessed)
                self.points_now.setdefault(scheme.name, []).append(result)

    def _kernel_services(
        self, groups: list[tuple[ResolvedPolicy, np.ndarray]], order: list[Service], uses: dict[Service, set[Service]]
    ) -> None:
        """The services from the compiled trees: per stage (services none of which uses another), each chain group's
        kernel in one pass over its rows. The stages are those of every service, so that a chain's kernels are the
        same whichever services are asked for (one module, compiled once); a stage runs whole where it holds a
        service asked for or one that such a stage uses. `uses`: the services each service uses (_dependencies)."""
        policies = [p for p, _ in groups]
        deps = stage_dependencies(policies, uses)
        stages = service_stages(deps, service_order(policies, list(Service), uses))
        kept = None if self.every_end else frozenset(services_read(policies))
        trees = TreeKernels(self.frame.on_date, stages, kept_ends=kept)
        for stage in stages_to_run(deps, stages, order):
            for service, interval in trees.stage(self, stage, groups, self.frame.n).items():
                self.services[service] = interval
                if service == Service.RESIDENCE_PERMIT:
                    self._set_permit_clock(interval)

    def _numpy_services(self, groups: list[tuple[ResolvedPolicy, np.ndarray]], order: list[Service]) -> None:
        """The services from the rule trees' NumPy intervals, one service after the other (chain groups with the same
        tree and parameters together, unless explaining)."""
        n = self.frame.n
        shared: dict[tuple[int, ...], np.ndarray] = {}  # the rows of chain groups evaluated together, one array each
        for service in order:
            rules = [(policy, rows, policy.services.get(service)) for policy, rows in groups]
            if not self.trace:  # an explanation cites each chain's own parameters
                rules = _merged(rules, self.frame.on_date, n, shared)
            if len(rules) == 1 and rules[0][2] is not None and is_everyone(rules[0][1]):
                policy, rows, rule = rules[0]
                assert rule is not None
                interval = rule.rule.interval(self, policy, rows, service.value)
            else:
                interval = _assemble(
                    n, [(rows, rule.rule.interval(self, policy, rows, service.value)) for policy, rows, rule in rules
                        if rule is not None]
                )  # fmt: skip
            self.services[service] = interval
            if service == Service.RESIDENCE_PERMIT:
                self._set_permit_clock(interval)

    def _compiled(self) -> bool:
        """Whether the kernels run: not when explaining, nor on fewer than COMPILED_MIN_ROWS rows (loading a chain's
        cached kernels, ≈0.25 s of CPU once per process for every chain, costs more than they save on few rows)."""
        return self.compiled and not self.trace and self.frame.n >= COMPILED_MIN_ROWS

    def _totals(
        self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """A scheme's (assessed, low, high) totals on the date for the rows (by position) from its one-date kernel,
        computed once per array of rows; None when explaining, with compiled=False, or where the kernel does not fit
        (changzhu.rules.points_kernels)."""
        if not self._compiled():
            return None
        if self._scheme_totals is None:
            self._scheme_totals = SchemeTotals(self.frame, self.frame.on_date)
        return self._scheme_totals.totals(policy, scheme, rows)

    def open_flags(self, policy: ResolvedPolicy, scheme: PointsScheme) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per array of rows the scheme's kernel scored on the date, those rows and which indicators are a
        range for each (points_kernels.SchemeTotals.open_flags); none where the engine scored the scheme itself."""
        return [] if self._scheme_totals is None else self._scheme_totals.open_flags(policy, scheme)

    def _set_permit_clock(self, permit: Interval) -> None:
        """Without a permit, permit months start at -1 and count from the first day one can be had."""
        clock = self.frame.clocks["permit"]
        held = clock.base < NEVER
        self.permit_held = held
        base = np.where(held, clock.base, permit.start)
        self.frame.clocks["permit"] = Clock(base, clock.const, clock.grows, clock.before)
        if permit.unknown is not None:  # whether (and when) one can be had is unknown: so are the months
            self.permit_unknown = ~held & permit.unknown

    # ---- what conditions ask of the engine ---------------------------------------------------------------
    def service_interval(self, service: Service, rows: np.ndarray) -> Interval:
        """A service already decided, for some rows."""
        interval = self.services.get(service)
        if interval is None:
            raise PolicyError(refusal(RefusalCode.POLICY_DEPENDENCY_CYCLE, service=service.value))
        if is_everyone(rows):
            return interval
        taken = self._taken.get((service, id(rows)))
        if taken is None or taken[0] is not rows:  # the same chain's rows ask again: gathered once
            taken = (rows, interval.take(rows))
            self._taken[(service, id(rows))] = taken
        return taken[1]

    def clock_known(self, name: str, rows: np.ndarray) -> np.ndarray | None:
        """Where a clock's months are known (None: everywhere): permit months where the permit is undetermined and
        declared months inputs where null."""
        if name != "permit":
            return self.frame.clock_known(name, rows)
        if self.permit_unknown is None:
            return None
        return ~take(self.permit_unknown, rows)

    def once(
        self, key: tuple[Any, ...], rows: np.ndarray, anchor: object, compute: Callable[[], LeafResult]
    ) -> LeafResult:
        """A leaf's result computed once for the same rows (the same array) and the same `anchor` (the input it read,
        e.g. a clock that is replaced later): another service or chain asking the same comparison reuses it."""
        cached = self._leaf_cache.get(key)
        if cached is not None and cached[0] is rows and cached[1] is anchor:
            return cached[2]
        result = compute()
        self._leaf_cache[key] = (rows, anchor, result)
        return result

    def record(self, path: str, leaf: Leaf, rows: np.ndarray, result: LeafResult) -> None:
        """Keep what a condition saw (when explaining)."""
        if self.trace:
            self.leaf_traces.append(LeafTrace(path, leaf, rows, result))

    # ---- points -----------------------------------------------------------------------------------------
    def points_at(
        self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[Indicator, np.ndarray, np.ndarray]]]:
        """Lowest and highest total and each indicator's (low, high) for the rows on the days (one or one per row).
        On the evaluation date the points of a chain's rows are computed once (a points condition and the scheme's
        points both ask)."""
        on_date = np.ndim(days) == 0 and int(days) == self.frame.on
        key = (policy.chain, scheme.name)
        if on_date:
            cached = self._points_on.get(key)
            if cached is not None and cached[0] is rows:
                return cached[1]
            totals = self._totals(policy, scheme, rows)
            if totals is not None:  # the kernel's totals (the indicators' own points only for explanations)
                got_now: tuple[np.ndarray, np.ndarray, list[tuple[Indicator, np.ndarray, np.ndarray]]] = (
                    totals[1],
                    totals[2],
                    [],
                )
                self._points_on[key] = (rows, got_now)
                return got_now
        parts = [
            (ind, *ind.score(self, policy, rows, days, f"points:{scheme.name}:{ind.name}")) for ind in scheme.indicators
        ]
        if not parts:
            zero = np.zeros(rows.shape[0])
            got: tuple[np.ndarray, np.ndarray, list[tuple[Indicator, np.ndarray, np.ndarray]]] = (zero, zero, [])
        else:
            lo, hi = fold(np.add, [lo for _, lo, _ in parts]), fold(np.add, [hi for _, _, hi in parts])
            if scheme.floor is not None:  # `min:` the total is never below it
                floor = num(scheme.floor, policy, self.frame.on_date)
                lo, hi = np.maximum(lo, floor), np.maximum(hi, floor)
            got = lo, hi, parts
        if on_date:
            self._points_on[key] = (rows, got)
        return got

    def points_condition(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray, of: str) -> LeafResult:
        """The prerequisites hold and the points reach the line: from which day (three-valued)."""
        key = (policy.chain, scheme.name, of)
        cached = self._points_cache.get(key)
        if cached is not None and cached[0].shape == rows.shape and np.array_equal(cached[0], rows):
            return cached[1]
        on = self.frame.on
        param, dated = policy.value(scheme.line_param, self.frame.on_date)
        line = float(dated.value)
        m = rows.shape[0]
        if scheme.prerequisites is not None:
            pre = scheme.prerequisites.interval(self, policy, rows, f"points:{scheme.name}")
        else:
            pre = Interval(np.full(m, on, dtype=np.int64), np.full(m, FOREVER, dtype=np.int64))
        lo, hi, parts = self.points_at(policy, scheme, rows, on)
        assessed = lo == hi
        pre_unknown = pre.unknown if pre.unknown is not None else np.zeros(m, dtype=bool)
        searchable = assessed & ~pre_unknown
        if self.search:
            best = self._earliest(policy, scheme, rows, pre, line, np.flatnonzero(searchable))
        else:  # on the date only: the same start where it is the date, NEVER for any later day
            best = np.where(pre.holds(on) & (lo >= line), on, NEVER).astype(np.int64)
        # rows with an unknown input: decide on the date where the known facts allow, else undetermined
        pre_now = pre.holds(on)
        pre_decided = pre.decided_mask()
        pre_decided = np.ones(m, dtype=bool) if pre_decided is None else pre_decided
        true_now = pre_now & (lo >= line)
        false_now = (pre_decided & ~pre_now) | (hi < line)
        known_never = ~pre_unknown & (pre.start >= NEVER)
        unknown = ~searchable & ~true_now & ~known_never
        decided = searchable | true_now | false_now | known_never
        start = np.where(searchable, best, np.where(true_now, on, NEVER))
        value = np.where(assessed, lo, np.nan)
        result = LeafResult(
            start.astype(np.int64),
            np.broadcast_to(FOREVER, (m,)),
            ~unknown if unknown.any() else None,
            value,
            line,
            param,
            dated,
            decided if unknown.any() else None,
            np.where(assessed, np.nan, lo) if unknown.any() or not assessed.all() else None,
        )
        self._points_cache[key] = (rows, result)
        if self.trace:
            self.points_traces.append(
                PointsTrace(scheme, of, rows, line, param, dated, parts, lo, hi, pre, best, policy)
            )
        return result

    def _earliest(
        self,
        policy: ResolvedPolicy,
        scheme: PointsScheme,
        rows: np.ndarray,
        pre: Interval,
        line: float,
        candidates_rows: np.ndarray,
    ) -> np.ndarray:
        """First day the prerequisites hold and the points reach the line (NEVER within the horizon), for rows
        whose inputs are all known. Candidate days: today, the day the prerequisites start, every change of a
        scored duration (each whole year, or each month where points count per month), every day an indicator's
        condition starts or stops holding and every day a dated occurrence arrives or ages out."""
        on = self.frame.on
        best = np.full(rows.shape[0], NEVER, dtype=np.int64)

        def try_candidates(sub: np.ndarray, cands: list[np.ndarray]) -> None:
            for cand in cands:
                ok = (cand < NEVER) & (cand >= pre.start[sub]) & (cand <= pre.end[sub])
                if not ok.any():
                    continue
                total, _, _ = self.points_at(policy, scheme, rows[sub[ok]], cand[ok])
                hit = sub[ok][total >= line]
                best[hit] = np.minimum(best[hit], cand[ok][total >= line])

        live = candidates_rows[pre.start[candidates_rows] < NEVER]
        if live.size == 0:
            return best
        fixed = [np.full(live.shape, on, dtype=np.int64), pre.start[live].astype(np.int64)]
        for ind in flat(scheme.indicators):
            if ind.only_if is not None:
                got = ind.only_if.interval(self, policy, rows[live], f"points:{scheme.name}:{ind.name}.only_if")
                fixed += [got.start.astype(np.int64), np.minimum(got.end.astype(np.int64) + 1, NEVER)]
            fixed += [np.asarray(d, dtype=np.int64) for d in ind.change_days(self, policy, rows[live])]
        try_candidates(live, fixed)
        scored = [v for ind in flat(scheme.indicators) for v in ind.variables() if v.kind == "clock"]
        clock_names = sorted({v.name for v in scored})
        monthly = any(ind.monthly() for ind in flat(scheme.indicators))
        step, steps = (1, HORIZON_YEARS * 12) if monthly else (12, HORIZON_YEARS)
        # a hit on a fixed day (e.g. when a condition lapses) may come after a step of a scored duration that
        # already reaches the line: keep stepping while the next step could still come earlier than the best hit
        unresolved = live
        for k in range(steps):
            if unresolved.size == 0 or not clock_names:
                break
            cands = []
            at = rows[unresolved]
            for name in clock_names:
                clock = self.frame.clocks[name]
                now_value = clock.now(on)[at]
                cands.append(clock.reach(step * (np.floor_divide(now_value, step) + 1 + k), on, at))
            try_candidates(unresolved, cands)
            next_step = fold(np.minimum, cands)
            unresolved = unresolved[(next_step < best[unresolved]) & (next_step <= pre.end[unresolved])]
        return best


def _merged(
    rules: list[tuple[ResolvedPolicy, np.ndarray, Any]], on: date, n: int, shared: dict[tuple[int, ...], np.ndarray]
) -> list[tuple[ResolvedPolicy, np.ndarray, Any]]:
    """The chain groups whose rule for a service is the same tree reading the same parameter values, evaluated
    together on their rows (in row order; a union of every row is everyone(n), read in place): their intervals
    are those of each group alone, at one pass over the rows instead of one per group and no gathering."""
    keyed: dict[tuple[Any, ...], list[int]] = {}
    for i, (policy, _, rule) in enumerate(rules):
        if rule is not None:
            keyed.setdefault(_reads_key(policy, rule.rule, on, i), []).append(i)
    out = []
    for members in keyed.values():
        policy, rows, rule = rules[members[0]]
        if len(members) > 1:
            together = shared.get(tuple(members))
            if together is None:
                inside = np.zeros(n, dtype=bool)
                for i in members:
                    inside[rules[i][1]] = True
                together = everyone(n) if inside.all() else np.flatnonzero(inside)
                shared[tuple(members)] = together
            rows = together
        out.append((policy, rows, rule))
    return out


def _reads_key(policy: ResolvedPolicy, rule: Condition, on: date, i: int) -> tuple[Any, ...]:
    """What a rule tree's intervals depend on besides the rows: the tree and every parameter value (and unit) it
    reads on the date; a tree with a points condition (the chain's own scheme) or an unknown kind of node is
    its group's alone (keyed by `i`)."""
    key: list[Any] = [id(rule)]
    for node in rule.walk():
        if isinstance(node, VariableCondition):
            for name in (node.param, node.window[1] if node.window is not None else None):
                if name is not None:
                    param, dated = policy.value(name, on)
                    key.append((name, repr(dated.value), param.unit))
        elif isinstance(node, FlagCondition):
            key.append((node.flag, repr(policy.value(node.flag, on)[1].value)))
        elif not isinstance(node, AllOf | AnyOf | ConstantCondition | ServiceCondition):
            return ("alone", i)
    return tuple(key)


def _assemble(n: int, parts: list[tuple[np.ndarray, Interval]]) -> Interval:
    """One interval for every row from those of the chain groups (rows of no group: never, known). An end that is
    FOREVER in every group stays one broadcast value; unknown and decided are built only where a group has them."""
    start = np.full(n, NEVER, dtype=np.int32)
    for rows, got in parts:
        start[rows] = got.start
    if all(endless(got.end) for _, got in parts):
        end = np.broadcast_to(FOREVER, (n,))
    else:
        end = np.full(n, FOREVER, dtype=np.int32)
        for rows, got in parts:
            end[rows] = got.end
    if all(got.unknown is None for _, got in parts):
        return Interval(start, end)
    unknown = np.zeros(n, dtype=bool)
    decided = np.ones(n, dtype=bool)
    for rows, got in parts:
        if got.unknown is not None:
            unknown[rows] = got.unknown
            decided[rows] = got.decided_mask()
    return Interval(start, end, unknown, decided) if unknown.any() else Interval(start, end)


def _points_result(
    rows: np.ndarray | None, lo: np.ndarray, hi: np.ndarray, parts: list[tuple[Indicator, np.ndarray, np.ndarray]]
) -> PointsResult:
    assessed = np.zeros(lo.shape[0])
    for _, p_lo, p_hi in parts:
        assessed = assessed + np.where(p_lo == p_hi, p_lo, 0.0)
    return PointsResult(rows, assessed, np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64))


def _distinct_regions(frame: Frame) -> np.ndarray:
    """The region indices the rows hold (-1: none), each once, in order, with no sort: counted a block of rows at a
    time (np.bincount of every row at once casts them to an int64 array, 8 bytes a row in NumPy's huge pages)."""
    counts = np.zeros(len(frame.regions.codes) + 1, dtype=np.int64)
    for first in range(0, frame.n, ROWS_BLOCK):
        counts += np.bincount(frame.region_idx[first : first + ROWS_BLOCK] + 1, minlength=counts.shape[0])
    return np.flatnonzero(counts) - 1


def chain_groups(
    frame: Frame, policies: PolicySet, scenario: Scenario | None
) -> list[tuple[ResolvedPolicy, np.ndarray]]:
    """Rows grouped by the chain of jurisdictions (national → province → city) whose rules apply to them."""
    chains: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for idx in _distinct_regions(frame).tolist():
        code = frame.regions.codes[idx]
        key = (policies.chain_for(code), scenario_scope(policies, code, scenario))
        chains.setdefault(key, []).append(idx)
    group = None
    if len(chains) > 1:  # each row's group from a table over region indices (index -1, no region: the last slot)
        table = np.zeros(len(frame.regions.codes) + 1, dtype=np.int8 if len(chains) < 128 else np.int64)
        for k, region_ids in enumerate(chains.values()):
            table[region_ids] = k
        group = table[frame.region_idx]  # one gather for every group
    out = []
    for k, (chain, scope) in enumerate(chains):
        rows = everyone(frame.n) if group is None else np.flatnonzero(group == k)
        out.append((resolve(policies, chain, scenario, scope), rows))
    return out


def service_order(
    policies: list[ResolvedPolicy], wanted: list[Service], deps: dict[Service, set[Service]] | None = None
) -> list[Service]:
    """Services in an order where every service comes after those its rules (or points schemes) use (`deps`, as
    _dependencies finds them when not given)."""
    deps = _dependencies(policies) if deps is None else deps
    order: list[Service] = []
    visiting: set[Service] = set()

    def visit(s: Service) -> None:
        if s in order:
            return
        if s in visiting:
            raise PolicyError(refusal(RefusalCode.POLICY_DEPENDENCY_CYCLE, service=s.value))
        visiting.add(s)
        for d in sorted(deps[s]):
            visit(d)
        visiting.discard(s)
        order.append(s)

    for s in wanted:
        visit(s)
    return order


def service_stages(deps: dict[Service, set[Service]], order: list[Service]) -> tuple[tuple[Service, ...], ...]:
    """The services in `order` cut into stages that each run as one kernel, one pass over a chain's rows: a service
    starts a new stage where it uses a service of the current one (`deps`, stage_dependencies: its rules, its
    schemes' conditions, or any indicator or condition reading permit months, which count from the permit decision
    once it is made), or where the current one holds TREES_PER_KERNEL services."""
    stages: list[list[Service]] = []
    for service in order:
        if not stages or deps[service] & set(stages[-1]) or len(stages[-1]) >= TREES_PER_KERNEL:
            stages.append([])
        stages[-1].append(service)
    return tuple(tuple(stage) for stage in stages)


def stages_to_run(
    deps: dict[Service, set[Service]], stages: tuple[tuple[Service, ...], ...], order: list[Service]
) -> list[tuple[Service, ...]]:
    """The stages holding a service of `order`, and those holding a service that a stage run uses (in turn, by
    `deps`, stage_dependencies)."""
    needed = set(order)
    out = []
    for stage in reversed(stages):  # a stage uses only earlier ones
        if needed.intersection(stage):
            out.append(stage)
            needed.update(*(deps[s] for s in stage))
    return out[::-1]


def stage_dependencies(
    policies: list[ResolvedPolicy], uses: dict[Service, set[Service]] | None = None
) -> dict[Service, set[Service]]:
    """The services each service uses (_dependencies) and the permit for a rule that reads permit months anywhere,
    an indicator included (they count from the permit decision once it is made)."""
    deps = {s: set(used) for s, used in (_dependencies(policies) if uses is None else uses).items()}
    for policy in policies:
        for service, rule in policy.services.items():
            if any(name == "permit" for name, _ in reads_of(policy, rule.rule)):
                deps[service].add(Service.RESIDENCE_PERMIT)
    return deps


def _dependencies(policies: list[ResolvedPolicy]) -> dict[Service, set[Service]]:
    """The services each service's rules (or points schemes' conditions) use, in any of the chains."""
    deps: dict[Service, set[Service]] = {s: set() for s in Service}
    for policy in policies:
        for service, rule in policy.services.items():
            nodes = rule.rule.walk()
            for node in list(nodes):
                if isinstance(node, PointsCondition) and node.scheme in policy.schemes:
                    nodes.extend(scheme_conditions(policy.schemes[node.scheme]))
            for node in nodes:
                if isinstance(node, ServiceCondition):
                    deps[service].add(node.service)
                if isinstance(node, VariableCondition) and node.variable == "permit":
                    deps[service].add(Service.RESIDENCE_PERMIT)
    return deps


def services_read(policies: list[ResolvedPolicy]) -> set[Service]:
    """The services some condition of the chains may read: a service condition on it in a rule, a scheme's
    prerequisites or an indicator's only_if, and the permit wherever permit months are read."""
    found: set[Service] = set()
    for policy in policies:
        nodes = [node for rule in policy.services.values() for node in rule.rule.walk()]
        nodes += [node for scheme in policy.schemes.values() for node in scheme_conditions(scheme)]
        found |= {node.service for node in nodes if isinstance(node, ServiceCondition)}
        read = [name for rule in policy.services.values() for name, _ in reads_of(policy, rule.rule)]
        read += [name for scheme in policy.schemes.values() for ind in flat(scheme.indicators) for name in ind.reads()]
        if "permit" in read:
            found.add(Service.RESIDENCE_PERMIT)
    return found


def _variables_read(policies: list[ResolvedPolicy]) -> set[str]:
    """Every variable the chains' rules and points schemes read (of the person or the parent)."""
    out: set[str] = set()
    for policy in policies:
        for rule in policy.services.values():
            out.update(*(node.reads() for node in rule.rule.walk()))
        for scheme in policy.schemes.values():
            out.update(*(node.reads() for node in scheme_conditions(scheme)))
            out.update(*(ind.reads() for ind in flat(scheme.indicators)))
    return out


def reads_of(policy: ResolvedPolicy, node: Condition, of: str = "self") -> set[tuple[str, str]]:
    """Every (variable, whose: self or parent) a rule tree reads, through the services and schemes it uses."""
    out: set[tuple[str, str]] = set()
    for part in node.walk():
        whose = "parent" if of == "parent" or getattr(part, "of", "self") == "parent" else "self"
        out |= {(name, whose) for name in part.reads()}
        if isinstance(part, ServiceCondition) and part.service in policy.services:
            out |= reads_of(policy, policy.services[part.service].rule, whose)
        if isinstance(part, PointsCondition) and part.scheme in policy.schemes:
            scheme = policy.schemes[part.scheme]
            for cond in scheme_conditions(scheme):
                out |= {(name, whose) for name in cond.reads()}
            out |= {(name, whose) for ind in flat(scheme.indicators) for name in ind.reads()}
    return out
