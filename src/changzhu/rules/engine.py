"""The vectorized rules engine: each rule tree becomes, per person, the interval of days on which it holds.

A condition holds on [start, end] (days since 1970-01-01): start == on means it holds now, start == NEVER that
it never will if nothing else changes. Clocks grow by whole months, so the first day a threshold is reached
is exact. all_of intersects intervals; any_of takes the earliest start and the latest end of its branches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from changzhu.domain.services import Service
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, resolve, rule_leaves, scheme_leaves
from changzhu.rules.dates import FOREVER, NEVER
from changzhu.rules.errors import PolicyError
from changzhu.rules.frame import Clock, Frame
from changzhu.rules.model import DatedValue, Group, Indicator, Leaf, Node, Parameter, PointsScheme
from changzhu.rules.scenario import Scenario
from changzhu.rules.variables import VARIABLES

HORIZON_YEARS = 40  # how far ahead the earliest date of a points line is searched


@dataclass
class LeafTrace:
    """What one condition saw for the rows it was evaluated on (kept only when explaining)."""

    path: str
    leaf: Leaf
    rows: np.ndarray
    value: np.ndarray | None
    threshold: Any
    parameter: Parameter | None
    dated: DatedValue | None
    start: np.ndarray
    end: np.ndarray


@dataclass
class PointsTrace:
    """The points of one scheme for some rows: per indicator, total, line, earliest date."""

    scheme: PointsScheme
    of: str
    rows: np.ndarray
    line: float
    line_parameter: Parameter
    line_dated: DatedValue
    indicators: list[tuple[Indicator, np.ndarray]]
    total: np.ndarray
    earliest: np.ndarray


@dataclass
class Interval:
    """Per-row start and end day of the span on which a condition holds."""

    start: np.ndarray
    end: np.ndarray


@dataclass
class Engine:
    """Evaluates every service and points scheme for a Frame under a policy set and scenario."""

    frame: Frame
    policies: PolicySet
    scenario: Scenario | None
    trace: bool = False
    leaf_traces: list[LeafTrace] = field(default_factory=list)
    points_traces: list[PointsTrace] = field(default_factory=list)
    services: dict[Service, Interval] = field(default_factory=dict)
    points_now: dict[str, np.ndarray] = field(default_factory=dict)
    _points_cache: dict[tuple[tuple[str, ...], str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def run(self, services: list[Service]) -> None:
        """Evaluate the services (in dependency order) and every scheme's points on the evaluation date."""
        groups = chain_groups(self.frame, self.policies, self.scenario)
        order = service_order([p for p, _ in groups], services)
        n = self.frame.n
        for service in order:
            rules = [(policy, rows, policy.services.get(service)) for policy, rows in groups]
            if len(rules) == 1 and rules[0][2] is not None and rules[0][1].shape[0] == n:
                policy, rows, rule = rules[0]
                assert rule is not None
                interval = self.node(rule.rule, policy, rows, service.value)
            else:
                interval = Interval(np.full(n, NEVER, dtype=np.int32), np.full(n, FOREVER, dtype=np.int32))
                for policy, rows, rule in rules:
                    if rule is None:
                        continue
                    got = self.node(rule.rule, policy, rows, service.value)
                    interval.start[rows] = got.start
                    interval.end[rows] = got.end
            self.services[service] = interval
            if service == Service.RESIDENCE_PERMIT:
                self._set_permit_clock(interval)
        for policy, rows in groups:
            for scheme in policy.schemes.values():
                total, _ = self.points_at(policy, scheme, rows, self.frame.on)
                if rows.shape[0] == n:
                    self.points_now[scheme.name] = total
                else:
                    self.points_now.setdefault(scheme.name, np.full(n, np.nan))[rows] = total

    def _set_permit_clock(self, permit: Interval) -> None:
        """Without a permit, permit months start at -1 and count from the first day one can be had."""
        clock = self.frame.clocks["permit"]
        held = clock.base < NEVER
        base = np.where(held, clock.base, permit.start)
        self.frame.clocks["permit"] = Clock(base, clock.const, clock.grows, clock.before)

    # ---- conditions -------------------------------------------------------------------------------------
    def node(self, node: Node, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        """The interval of a rule tree for the given rows."""
        if isinstance(node, Group):
            parts = [self.node(c, policy, rows, f"{path}.{i}") for i, c in enumerate(node.children)]
            if node.mode == "all_of":
                start = _fold(np.maximum, [p.start for p in parts])
                end = _fold(np.minimum, [p.end for p in parts])
                start = np.where(start > end, NEVER, start)
                return Interval(start, end)
            start = _fold(np.minimum, [p.start for p in parts])
            if all(_endless(p.end) for p in parts):  # every branch holds forever once it starts
                return Interval(start, parts[0].end)
            live = [p.start < NEVER for p in parts]
            end = _fold(np.maximum, [np.where(ok, p.end, -1) for p, ok in zip(parts, live, strict=True)])
            return Interval(start, np.where(start < NEVER, end, FOREVER))
        return self.leaf(node, policy, rows, path)

    def leaf(self, leaf: Leaf, policy: ResolvedPolicy, rows: np.ndarray, path: str) -> Interval:
        """One condition, for the rows themselves or for their parents."""
        if leaf.of == "parent":
            parent = self.frame.parent_idx[rows]
            present = parent >= 0
            sub_rows = parent[present]
        else:
            present = np.ones(rows.shape, dtype=bool)
            sub_rows = rows
        start, end, value, threshold, param, dated = self._leaf_self(leaf, policy, sub_rows)
        if leaf.of == "parent":
            full_start = np.full(rows.shape, NEVER, dtype=np.int32)
            full_start[present] = start
            if _endless(end):
                end = np.broadcast_to(FOREVER, rows.shape)
            else:
                full_end = np.full(rows.shape, FOREVER, dtype=np.int32)
                full_end[present] = end
                end = full_end
            start = full_start
            if value is not None:
                full_value = np.full(rows.shape, np.nan)
                full_value[present] = value
                value = full_value
        if self.trace:
            self.leaf_traces.append(LeafTrace(path, leaf, rows, value, threshold, param, dated, start, end))
        return Interval(start, end)

    def _leaf_self(
        self, leaf: Leaf, policy: ResolvedPolicy, rows: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any, Parameter | None, DatedValue | None]:
        on = self.frame.on
        m = rows.shape[0]
        everyone = m == self.frame.n
        now = np.broadcast_to(np.int32(on), (m,))
        never = np.broadcast_to(NEVER, (m,))
        forever = np.broadcast_to(FOREVER, (m,))
        if leaf.kind == "constant":
            return (now if leaf.value else never), forever, None, leaf.value, None, None
        if leaf.kind == "flag":
            flag, flag_value = policy.value(leaf.name, self.frame.on_date)
            return (now if bool(flag_value.value) else never), forever, None, flag_value.value, flag, flag_value
        if leaf.kind == "service":
            interval = self.services.get(Service(leaf.name))
            if interval is None:
                raise PolicyError(f"service {leaf.name} is used before it is evaluated (dependency cycle?)")
            if everyone:
                return interval.start, interval.end, None, None, None, None
            return interval.start[rows], interval.end[rows], None, None, None, None
        if leaf.kind == "points":
            scheme = policy.schemes[leaf.name]
            line_param, line = policy.value(scheme.line_param, self.frame.on_date)
            total, _ = self.points_at(policy, scheme, rows, on)
            start = self.points_earliest(policy, scheme, rows, leaf.of)
            return start, forever, total, line.value, line_param, line
        spec = VARIABLES[leaf.name]
        param: Parameter | None = None
        dated: DatedValue | None = None
        raw: Any = leaf.value
        if leaf.param is not None:
            param, dated = policy.value(leaf.param, self.frame.on_date)
            raw = dated.value
        if spec.kind == "clock":
            unit = param.unit if param is not None else (leaf.unit or "months")
            threshold = float(raw) * (12 if unit == "years" else 1)
            full_clock = self.frame.clocks[leaf.name]
            value_now = full_clock.now(on) if everyone else full_clock.now(on)[rows]
            value = value_now.astype(np.float64) if self.trace else value_now
            clock = full_clock if everyone else full_clock.take(rows)
            if leaf.op in (">=", ">"):
                t = threshold if leaf.op == ">=" else np.floor(threshold) + 1
                return clock.reach(t, on), forever, value, threshold, param, dated
            t = threshold if leaf.op == "<" else np.floor(threshold) + 1
            reached = clock.reach(t, on)
            start = np.where(reached > on, now, never)
            end = np.where(reached < NEVER, reached - 1, FOREVER)
            return start, end, value, threshold, param, dated
        values = self.frame.statics[leaf.name]
        values = values if everyone else values[rows]
        if spec.kind == "number":
            t = float(raw)
            holds = {">=": np.greater_equal, ">": np.greater, "<": np.less, "<=": np.less_equal}[str(leaf.op)](
                values, t
            )
            value = values.astype(np.float64, copy=False)
            return np.where(holds, np.int32(on), NEVER), forever, value, t, param, dated
        if spec.kind == "bool":
            holds = values == bool(raw) if leaf.op in ("==", "in") else values != bool(raw)
            return np.where(holds, np.int32(on), NEVER), forever, values.astype(np.float64), raw, param, dated
        wanted = raw if isinstance(raw, list) else [raw]
        inside = _category_table(spec.categories, wanted)[values]
        holds = inside if leaf.op in ("==", "in") else ~inside
        return np.where(holds, np.int32(on), NEVER), forever, values.astype(np.float64), wanted, param, dated

    # ---- points -----------------------------------------------------------------------------------------
    def points_at(
        self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray, days: np.ndarray | int
    ) -> tuple[np.ndarray, list[tuple[Indicator, np.ndarray]]]:
        """Total points and each indicator's points for the rows on the given days (one day or one per row)."""
        parts = [(ind, self._indicator(ind, rows, days)) for ind in scheme.indicators]
        total = np.zeros(rows.shape[0]) if not parts else _fold(np.add, [p for _, p in parts])
        return total, parts

    def _indicator(self, ind: Indicator, rows: np.ndarray, days: np.ndarray | int) -> np.ndarray:
        if ind.kind == "max_of":
            pts = _fold(np.maximum, [self._indicator(p, rows, days) for p in ind.parts])
        else:
            assert ind.variable is not None
            spec = VARIABLES[ind.variable]
            everyone = rows.shape[0] == self.frame.n
            if spec.kind == "clock":
                clock = self.frame.clocks[ind.variable]
                if np.ndim(days) == 0:
                    value = clock.now(int(days)) if everyone else clock.now(int(days))[rows]
                else:
                    value = clock.at_rows(rows, np.asarray(days))
            else:
                value = self.frame.statics[ind.variable]
                value = value if everyone else value[rows]
            pts = _score(ind, value, spec.kind, self.frame.statics, rows)
        return np.minimum(pts, ind.cap) if ind.cap is not None else pts

    def points_earliest(self, policy: ResolvedPolicy, scheme: PointsScheme, rows: np.ndarray, of: str) -> np.ndarray:
        """First day the prerequisites hold and the points reach the admission line (NEVER within the horizon)."""
        key = (policy.chain, scheme.name, of)
        cached = self._points_cache.get(key)
        if cached is not None and cached[0].shape == rows.shape and np.array_equal(cached[0], rows):
            return cached[1]
        on = self.frame.on
        param, dated = policy.value(scheme.line_param, self.frame.on_date)
        line = float(dated.value)
        m = rows.shape[0]
        if scheme.prerequisites is not None:
            pre = self.node(scheme.prerequisites, policy, rows, f"points:{scheme.name}")
        else:
            pre = Interval(np.full(m, on, dtype=np.int64), np.full(m, FOREVER, dtype=np.int64))
        best = np.full(m, NEVER, dtype=np.int64)

        def try_candidates(sub: np.ndarray, cands: list[np.ndarray]) -> None:
            for cand in cands:
                ok = (cand < NEVER) & (cand >= pre.start[sub]) & (cand <= pre.end[sub])
                if not ok.any():
                    continue
                total, _ = self.points_at(policy, scheme, rows[sub[ok]], cand[ok])
                hit = sub[ok][total >= line]
                best[hit] = np.minimum(best[hit], cand[ok][total >= line])

        live = np.flatnonzero(pre.start < NEVER)
        try_candidates(live, [np.full(live.shape, on, dtype=np.int64), pre.start[live]])
        clock_names = sorted(
            {i.variable for i in _flat(scheme.indicators) if i.variable and VARIABLES[i.variable].kind == "clock"}
        )
        unresolved = live[best[live] == NEVER]
        for k in range(HORIZON_YEARS):
            if unresolved.size == 0 or not clock_names:
                break
            cands = []
            for name in clock_names:
                clock = self.frame.clocks[name].take(rows[unresolved])
                now_value = clock.at(on)
                cands.append(clock.reach(12 * (np.floor_divide(now_value, 12) + 1 + k), on))
            try_candidates(unresolved, cands)
            still_possible = _fold(np.minimum, cands) <= pre.end[unresolved]
            unresolved = unresolved[(best[unresolved] == NEVER) & still_possible]
        self._points_cache[key] = (rows, best)
        if self.trace:
            total, parts = self.points_at(policy, scheme, rows, np.full(m, on, dtype=np.int64))
            self.points_traces.append(PointsTrace(scheme, of, rows, line, param, dated, parts, total, best))
        return best


def chain_groups(
    frame: Frame, policies: PolicySet, scenario: Scenario | None
) -> list[tuple[ResolvedPolicy, np.ndarray]]:
    """Rows grouped by the chain of jurisdictions (national → province → city) whose rules apply to them."""
    chains: dict[tuple[str, ...], list[int]] = {}
    for idx in np.unique(frame.region_idx).tolist():
        chains.setdefault(policies.chain_for(frame.regions.codes[idx]), []).append(idx)
    everyone = len(chains) == 1
    out = []
    for chain, region_ids in chains.items():
        rows = np.arange(frame.n) if everyone else np.flatnonzero(np.isin(frame.region_idx, region_ids))
        out.append((resolve(policies, chain, scenario), rows))
    return out


def _endless(end: np.ndarray) -> bool:
    """An interval end that is FOREVER for every row, kept as a broadcast view (no memory per row)."""
    return end.ndim == 1 and end.strides == (0,) and (end.size == 0 or end[0] == FOREVER)


def _category_table(categories: tuple[str, ...], wanted: list[str]) -> np.ndarray:
    """Indexed by category code: whether it is among `wanted`; code -1 (unknown) indexes the last entry, False."""
    table = np.zeros(len(categories) + 1, dtype=bool)
    table[[categories.index(w) for w in wanted]] = True
    return table


def _fold(ufunc: np.ufunc, arrays: list[np.ndarray]) -> np.ndarray:
    """ufunc applied pairwise over the arrays (ufunc.reduce on a list would first copy them into one 2-D array)."""
    if len(arrays) > 1 and all(a.ndim == 1 and a.strides == (0,) and a.size for a in arrays):
        return np.broadcast_to(functools.reduce(ufunc, [a[:1] for a in arrays])[0], arrays[0].shape)
    return functools.reduce(ufunc, arrays)


def _flat(indicators: tuple[Indicator, ...]) -> list[Indicator]:
    out: list[Indicator] = []
    for ind in indicators:
        out.extend(_flat(ind.parts) if ind.kind == "max_of" else [ind])
    return out


def _score(
    ind: Indicator, value: np.ndarray, kind: str, statics: dict[str, np.ndarray], rows: np.ndarray
) -> np.ndarray:
    """Points (float) of one (non-group) indicator for the given variable values (whole months, codes, numbers)."""
    spec = ind.spec
    if ind.kind == "per_full_year":
        years = np.maximum(np.floor_divide(value, 12), 0)
        if "rate_by" in spec:
            by = spec["rate_by"]
            cats = VARIABLES[by["variable"]].categories
            lut = np.array([*(float(by["values"].get(c, 0.0)) for c in cats), 0.0])  # code -1 (unknown): 0
            rate = lut[statics[by["variable"]][rows].astype(np.int64)]
        else:
            rate = float(spec["points_per_year"])
        return years * rate
    if ind.kind == "scale":
        years = np.floor_divide(value, 12)
        if years.size == 0:
            return np.zeros(0)
        low = int(years.min())
        table_years = np.arange(low, int(years.max()) + 1)
        table = np.zeros(table_years.shape)  # points for each whole year present, then one gather
        for b in spec["brackets"]:
            table = np.where((table_years >= b["min"]) & (table_years <= b["max"]), float(b["points"]), table)
        return table[(years - low).astype(np.int64)]
    if ind.kind == "tiers":
        scale = 12.0 if kind == "clock" else 1.0
        tiers = sorted(spec["tiers"], key=lambda t: t["at_least"])
        lines = np.array([float(t["at_least"]) * scale for t in tiers])
        points = np.array([0.0, *(float(t["points"]) for t in tiers)])
        # the highest tier whose threshold is reached (inclusive); NaN (unknown) reaches none
        pts = points[np.searchsorted(lines, value, side="right")]
        return np.where(np.isnan(value), 0.0, pts) if kind == "number" else pts
    if ind.kind == "category":
        assert ind.variable is not None
        cats = VARIABLES[ind.variable].categories
        lut = np.array([*(float(spec["points"].get(c, 0.0)) for c in cats), 0.0])  # code -1 (unknown): 0
        return lut[value]
    return np.nan_to_num(value) * float(spec["points_per_event"])


def service_order(policies: list[ResolvedPolicy], wanted: list[Service]) -> list[Service]:
    """Services in an order where every service comes after those its rules (or points prerequisites) use."""
    deps: dict[Service, set[Service]] = {s: set() for s in Service}
    for policy in policies:
        for service, rule in policy.services.items():
            leaves = rule_leaves(rule.rule)
            for leaf in list(leaves):
                if leaf.kind == "points" and leaf.name in policy.schemes:
                    leaves.extend(scheme_leaves(policy.schemes[leaf.name]))
            for leaf in leaves:
                if leaf.kind == "service":
                    deps[service].add(Service(leaf.name))
                if leaf.kind == "variable" and leaf.name == "permit":
                    deps[service].add(Service.RESIDENCE_PERMIT)
    order: list[Service] = []
    visiting: set[Service] = set()

    def visit(s: Service) -> None:
        if s in order:
            return
        if s in visiting:
            raise PolicyError(f"services depend on each other in a cycle through {s.value}")
        visiting.add(s)
        for d in sorted(deps[s]):
            visit(d)
        visiting.discard(s)
        order.append(s)

    for s in wanted:
        visit(s)
    return order
