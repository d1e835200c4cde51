"""explain(): for one person, every condition of every service with value, threshold, source and dates."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from changzhu.domain.services import SERVICE_TITLES_ZH, Service
from changzhu.rules.catalog import PolicySet, region_lookup, resolve
from changzhu.rules.dates import NEVER, from_days
from changzhu.rules.engine import Engine, LeafTrace, PointsTrace
from changzhu.rules.errors import PersonNotFound
from changzhu.rules.evaluate import prepare
from changzhu.rules.model import Group, Leaf, Node
from changzhu.rules.scenario import Scenario
from changzhu.rules.variables import VARIABLES


@dataclass
class ConditionExplanation:
    """One condition as the person meets it (or not)."""

    label: str
    depth: int
    kind: str
    of: str
    value: str | None
    threshold: str | None
    passed: bool
    earliest: date | None
    missing: str | None
    parameter: str | None = None
    parameter_source: str | None = None
    parameter_since: date | None = None
    verified: bool | None = None


@dataclass
class IndicatorPoints:
    """Points one indicator gives."""

    name: str
    label: str
    points: float


@dataclass
class PointsExplanation:
    """A points scheme for the person (or, with of=parent, the parent)."""

    scheme: str
    title: str
    of: str
    total: float
    line: float
    line_source: str
    line_since: date
    source: str
    indicators: list[IndicatorPoints]
    earliest: date | None


@dataclass
class ServiceExplanation:
    """One service: decision, earliest date, the rule's source and every condition."""

    service: str
    title_zh: str
    eligible: bool
    earliest: date | None
    jurisdiction: str
    source: str
    conditions: list[ConditionExplanation] = field(default_factory=list)


@dataclass
class Explanation:
    """Why a person gets or does not get each service, as text (to_text) and JSON-ready dict (to_dict)."""

    person_id: int
    on: date
    residence_region: str
    residence_name: str
    chain: list[str]
    scenario: str | None
    recognition: str | None
    services: list[ServiceExplanation]
    points: list[PointsExplanation]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (dates as ISO strings)."""
        return _jsonable(asdict(self))

    def to_text(self) -> str:
        """A readable explanation for a resident or caseworker."""
        lines = [
            f"Person {self.person_id} on {self.on}: lives in {self.residence_name} ({self.residence_region}); "
            f"rules: {' → '.join(self.chain)}" + (f"; scenario {self.scenario}" if self.scenario else ""),
        ]
        if self.recognition:
            lines.append(f"  互认: {self.recognition}")
        for p in self.points:
            whose = "parent's " if p.of == "parent" else ""
            when = f"reaches the line on {p.earliest}" if p.earliest else "does not reach the line if nothing changes"
            lines.append(f"  {whose}{p.title}: {p.total:g} points, line {p.line:g} ({p.line_source}); {when}")
            for ind in p.indicators:
                lines.append(f"      {ind.points:+g}  {ind.label}")
        for s in self.services:
            if s.eligible:
                verdict = "ELIGIBLE now"
            elif s.earliest:
                verdict = f"not yet — eligible from {s.earliest}"
            else:
                verdict = "not eligible (not under unchanged circumstances)"
            lines.append(f"\n{s.title_zh} [{s.service}]: {verdict}")
            lines.append(f"  rule of {s.jurisdiction}: {s.source}")
            for c in s.conditions:
                indent = "  " * (c.depth + 1)
                if c.kind == "group":
                    lines.append(f"{indent}{c.label}:")
                    continue
                mark = "✓" if c.passed else "✗"
                text = f"{indent}{mark} {c.label}"
                if c.value is not None or c.threshold is not None:
                    text += f" — {c.value} (needs {c.threshold})"
                if not c.passed:
                    text += f"; {c.missing}" if c.missing else ""
                    text += f"; from {c.earliest}" if c.earliest else "; not if nothing changes"
                lines.append(text)
                if c.parameter:
                    flag = "" if c.verified or "unverified" in (c.parameter_source or "") else ", unverified"
                    lines.append(f"{indent}    [{c.parameter} since {c.parameter_since}: {c.parameter_source}{flag}]")
        return "\n".join(lines)


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def _day(d: int) -> date | None:
    return from_days(int(d)) if d < NEVER else None


def _months_text(months: float) -> str:
    m = int(months)
    if m < 0:
        return "none"
    years, rest = divmod(m, 12)
    return f"{m} months ({years}y {rest}m)" if years else f"{m} months"


def _format(leaf: Leaf, value: float | None, threshold: Any) -> tuple[str | None, str | None]:
    if leaf.kind in ("service", "constant", "flag"):
        return None, None
    if leaf.kind == "points":
        return (f"{value:g} points" if value is not None and not np.isnan(value) else "no parent"), f"{threshold:g}"
    spec = VARIABLES[leaf.name]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        shown = "unknown"
    elif spec.kind == "clock":
        shown = f"{int(value) // 12} years" if leaf.name == "age" else _months_text(value)
    elif spec.kind == "bool":
        shown = f"{leaf.name}: {'yes' if value else 'no'}"
    elif spec.kind == "category":
        shown = spec.categories[int(value)] if int(value) >= 0 else "unknown"
    else:
        shown = f"{value:g}"
    if spec.kind == "clock":
        t = float(threshold)
        need = f"{int(t) // 12} years" if leaf.name == "age" else _months_text(t)
        op = {">=": "at least", ">": "more than", "<": "under", "<=": "at most"}[str(leaf.op)]
        return shown, f"{op} {need}"
    if spec.kind in ("bool", "category"):
        wanted = threshold if isinstance(threshold, list) else [threshold]
        words = ", ".join("yes" if w is True else "no" if w is False else str(w) for w in wanted)
        return shown, ("not " if leaf.op in ("!=", "not_in") else "") + words
    return shown, f"{leaf.op} {threshold:g}"


def _missing(leaf: Leaf, value: float | None, threshold: Any) -> str | None:
    known = value is not None and not np.isnan(value)
    clock = leaf.kind == "variable" and VARIABLES[leaf.name].kind == "clock"
    if clock and leaf.op in (">=", ">") and known:
        gap = float(threshold) - max(float(value), 0)  # type: ignore[arg-type]
        return f"{int(np.ceil(gap))} more months" if gap > 0 else None
    if leaf.kind == "points" and value is not None and not np.isnan(value):
        return f"{float(threshold) - value:g} more points"
    if leaf.kind == "variable" and leaf.of == "parent" and (value is None or np.isnan(value)):
        return "no parent in the table"
    return None


def _walk(
    node: Node, path: str, depth: int, traces: dict[str, LeafTrace], row: int, on: int, out: list[ConditionExplanation]
) -> None:
    if isinstance(node, Group):
        words = "all of" if node.mode == "all_of" else "any one of"
        out.append(ConditionExplanation(node.label or words, depth, "group", "self", None, None, True, None, None))
        for i, child in enumerate(node.children):
            _walk(child, f"{path}.{i}", depth + 1, traces, row, on, out)
        return
    trace = traces.get(path)
    if trace is None:
        return
    pos = int(np.flatnonzero(trace.rows == row)[0])
    value = None if trace.value is None else float(trace.value[pos])
    start, end = int(trace.start[pos]), int(trace.end[pos])
    shown, needed = _format(node, value, trace.threshold)
    passed = start <= on <= end
    out.append(
        ConditionExplanation(
            node.label or node.name,
            depth,
            node.kind,
            node.of,
            shown,
            needed,
            passed,
            _day(start) if not passed else None,
            None if passed else _missing(node, value, trace.threshold),
            trace.parameter.key if trace.parameter else None,
            trace.dated.source if trace.dated else None,
            trace.dated.since if trace.dated else None,
            trace.dated.verified if trace.dated else None,
        )
    )


def explain(
    people: pl.DataFrame,
    on: date,
    person_id: int | None = None,
    scenario: Scenario | None = None,
    *,
    services: list[Service] | None = None,
    policies: PolicySet | None = None,
) -> Explanation:
    """Explain one person (person_id, or the only row). Pass the parent's row too for a child's school rules."""
    frame = prepare(people, on, scenario=scenario, policies=policies)
    engine = Engine(frame, frame.policies, scenario, trace=True)
    ids = engine.frame.person_id
    if person_id is None:
        if len(ids) != 1:
            raise PersonNotFound("the table has several people: give person_id")
        person_id = int(ids[0])
    matches = np.flatnonzero(ids == person_id)
    if matches.size == 0:
        raise PersonNotFound(f"person_id {person_id} is not in the table")
    row = int(matches[0])
    wanted = list(services) if services is not None else list(Service)
    engine.run(wanted)
    regions = region_lookup()
    code = regions.codes[int(engine.frame.region_idx[row])]
    chain = engine.policies.chain_for(code)
    policy = resolve(engine.policies, chain, scenario)
    traces = {t.path: t for t in engine.leaf_traces if row in t.rows}
    out_services = []
    for service in wanted:
        rule = policy.services.get(service)
        interval = engine.services[service]
        start = int(interval.start[row])
        conditions: list[ConditionExplanation] = []
        if rule is not None:
            _walk(rule.rule, service.value, 0, traces, row, engine.frame.on, conditions)
        out_services.append(
            ServiceExplanation(
                service.value,
                SERVICE_TITLES_ZH[service],
                start <= engine.frame.on,
                _day(start),
                rule.jurisdiction if rule else "—",
                rule.source if rule else "no rule for this service",
                conditions,
            )
        )
    for scheme in policy.schemes.values():
        engine.points_earliest(policy, scheme, np.array([row]), "self")
    parent = int(engine.frame.parent_idx[row])
    unique: list[PointsExplanation] = []
    for found in (_points(t, row, parent) for t in engine.points_traces):
        if found is not None and all((u.scheme, u.of) != (found.scheme, found.of) for u in unique):
            unique.append(found)
    names = dict(zip(regions.codes, _names(), strict=True))
    coef = float(engine.frame.recognition["coefficient"][row])
    recognition = None
    if coef > 0:
        agreement = engine.policies.agreements[int(engine.frame.recognition["agreement"][row])]
        extra_residence = int(engine.frame.recognition["prior_residence"][row])
        extra_si = int(engine.frame.recognition["prior_si"][row])
        recognition = (
            f"{agreement.title}: prior months × {coef:g} → residence +{extra_residence} months, "
            f"social insurance +{extra_si} months ({agreement.source})"
        )
    return Explanation(
        person_id,
        on,
        code,
        names.get(code, code),
        [f"{c} {engine.policies.jurisdictions[c].name_zh}" for c in chain],
        scenario.name if scenario else None,
        recognition,
        out_services,
        unique,
    )


def _points(trace: PointsTrace, row: int, parent: int) -> PointsExplanation | None:
    target = row if trace.of == "self" else parent
    hits = np.flatnonzero(trace.rows == target)
    if hits.size == 0:
        return None
    pos = int(hits[0])
    return PointsExplanation(
        trace.scheme.name,
        trace.scheme.title,
        trace.of,
        float(trace.total[pos]),
        trace.line,
        trace.line_dated.source,
        trace.line_dated.since,
        trace.scheme.source,
        [IndicatorPoints(ind.name, ind.label, float(pts[pos])) for ind, pts in trace.indicators],
        _day(int(trace.earliest[pos])),
    )


def _names() -> list[str]:
    from changzhu.data.regions import region_table

    pref = region_table().filter(pl.col("level") == "prefecture").sort("code")
    return [str(n) for n in pref["name_zh"].to_list()]
