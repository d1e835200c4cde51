"""explain(): one person's decisions as a caseworker can sign them, in Chinese or English (text and JSON).

For each points scheme the prerequisites come first (a failed one means the score does not count, and the
explanation says so), then each indicator with the input behind its points and the condition it counts under,
then the indicators that could not be assessed and the inputs they need. For each service: eligible, not
eligible or undetermined (with the missing inputs), every condition with the person's value and what the rule
needs, and the rule's sources as citations. Only services that concern the person are listed (a child's school
place is listed on the child, and on the parent with the child named); an earliest date beyond
DISPLAY_HORIZON_YEARS is given as "not within N years".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from changzhu.domain.lang import Lang
from changzhu.domain.person import CheckedPersonTable
from changzhu.domain.services import Service, service_title
from changzhu.rules.catalog import PolicySet, ResolvedPolicy, region_lookup, resolve_region, scheme_conditions
from changzhu.rules.conditions import AllOf, Condition, Leaf, PointsCondition, ServiceCondition, VariableCondition
from changzhu.rules.dated_lists import MATRIX
from changzhu.rules.dates import NEVER, add_months_scalar, from_days
from changzhu.rules.engine import IntervalEvaluator, LeafTrace, PointsTrace, reads_of
from changzhu.rules.errors import PersonNotFound
from changzhu.rules.evaluate import NeedsFinder, prepare
from changzhu.rules.indicators import Indicator, flat
from changzhu.rules.labels import fact_labels, pick_label
from changzhu.rules.parents import PARENT_FACTS, UNLINKED
from changzhu.rules.scenario import Scenario

DISPLAY_HORIZON_YEARS = 10  # an earliest date further ahead is shown as "not within N years"
CONCERN_YEARS = 1  # a service whose age condition cannot hold within this many years does not concern the person

_WORDS: dict[str, tuple[str, str]] = {
    "eligible": ("符合条件", "eligible now"),
    "not_eligible": ("不符合条件", "not eligible"),
    "undetermined": ("无法判定（缺少信息）", "undetermined (information missing)"),
    "from": ("可于 {d} 起符合", "eligible from {d}"),
    "never": ("情况不变则不会符合", "not under unchanged circumstances"),
    "beyond": ("{n} 年内不会符合", "not within {n} years"),
    "needs": ("需要补充：{x}", "needs: {x}"),
    "rule": ("依据（{j}）：{s}", "rule of {j}: {s}"),
    "unverified": ("（数值未经核实）", " (value not verified)"),
    "scheme_unverified": (
        "此项分值尚未与本市公布的文件核对，仅供参考。",
        "These point values have not yet been checked against the city's published document; for reference only.",
    ),
    "prereq": ("前提条件", "prerequisites"),
    "prereq_failed": (
        "前提条件未满足：以下积分不计入，不能据此申请",
        "a prerequisite is not met: the score below does not count",
    ),
    "prereq_unknown": ("前提条件无法判定：积分是否计入尚不确定", "prerequisites undetermined: the score may not count"),
    "total": ("已评定积分 {t}，分数线 {l}", "assessed points {t}, line {l}"),
    "total_void": (
        "积分 {t}（不计入：前提条件未满足），分数线 {l}",
        "points {t} (not counting: a prerequisite is not met), line {l}",
    ),
    "prereq_verdict": ("前提条件未满足", "a prerequisite is not met"),
    "range": (
        "（加上未评定指标，总分可能在 {lo} 至 {hi} 之间）",
        " (with the unassessed items the total is {lo} to {hi})",
    ),
    "reached": ("已达到分数线", "reaches the line"),
    "reached_on": ("{d} 达到分数线", "reaches the line on {d}"),
    "not_reached": ("情况不变则达不到分数线", "does not reach the line if nothing changes"),
    "reach_unknown": ("能否达到分数线无法判定", "whether the line is reached is undetermined"),
    "unassessed": ("未评定（缺少：{x}）：可能 {lo} 至 {hi} 分", "not assessed (missing: {x}): {lo} to {hi} points"),
    "unassessed_range": (
        "未评定指标可增减 {lo} 至 {hi} 分；需要补充：{x}",
        "the unassessed items could add {lo} to {hi} points; needs: {x}",
    ),
    "because": ("计入，因为：{c}", "counted because: {c}"),
    "not_counted": ("不计入，因为不满足：{c}", "not counted: {c} does not hold"),
    "either_way": ("{c} 未知，但不影响本项分数", "{c} unknown, but these points are the same either way"),
    "child": ("子女（编号 {p}）", "child (person {p})"),
    "parent": ("父母的", "parent's "),
    "met": ("✓", "✓"),
    "failed": ("✗", "✗"),
    "unknown": ("?", "?"),
    "more_months": ("还差 {n} 个月", "{n} more months"),
    "more_points": ("还差 {n} 分", "{n} more points"),
    "at_least": ("至少 {n} 分（尚有未评定指标）", "at least {n} points (some items not assessed)"),
    "no_parent": ("表中没有父母的记录", "no parent in the table"),
    "unlinked": ("未知：未关联父母记录", "unknown: no parent linked"),
    "no_permit": ("无居住证", "no residence permit"),
    "permit_assumed": (
        "此日期假定自 {d}（最早可办理之日）起持有居住证：目前没有居住证，"
        "持证年限实际从办证之日算起，办证晚则此日期随之推后",
        "this date assumes a residence permit held from {d}, the first day one can be had: there is none on record,"
        " and permit years count from the day it is issued, so a later permit moves the date later",
    ),
    "person": (
        "人员 {p}，{d}：常住 {r}（{c}）；适用规则：{chain}",
        "Person {p} on {d}: lives in {r} ({c}); rules: {chain}",
    ),
    "scenario": ("；改革方案 {s}", "; scenario {s}"),
    "recognition": ("互认：{t}", "mutual recognition: {t}"),
    "unmodelled": (
        "未纳入模型的指标（系统未计分；如本人具备，须人工核算）：",
        "indicators not modelled (not scored here; if the person has one, a caseworker adds it by hand):",
    ),
}


def _w(key: str, lang: Lang, **kw: Any) -> str:
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**kw)


def _join(labels: list[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(labels) or "—"


def needs_text(labels: list[str], lang: Lang) -> str:
    """What an unknown condition needs, as the explanation words it ("需要补充：…" / "needs: …")."""
    return _w("needs", lang, x=_join(labels, lang))


def _subject(node: Leaf) -> str | None:
    """The variable a leaf reads, or the service or points scheme it refers to."""
    if isinstance(node, VariableCondition):
        return node.variable
    if isinstance(node, ServiceCondition):
        return node.service.value
    if isinstance(node, PointsCondition):
        return node.scheme
    return None


@dataclass
class Citation:
    """A parameter a condition used: its key, value's date and source document (a citation, nothing more)."""

    parameter: str
    since: date
    source: str
    verified: bool


@dataclass
class ConditionExplanation:
    """One condition as the person meets it: met (passed True), not met (False) or unknown (None)."""

    label: str
    depth: int
    kind: str
    of: str
    value: str | None
    threshold: str | None
    passed: bool | None
    earliest: date | None
    earliest_note: str | None
    missing: str | None
    citation: Citation | None = None
    subject: str | None = None  # what a leaf is about: the variable it reads, the service or the scheme it cites

    @property
    def status(self) -> str:
        return "unknown" if self.passed is None else "met" if self.passed else "not_met"


def json_bound(value: float) -> float | None:
    """A points bound as JSON holds it: None where the bound is open (±infinity: unknown facts, no limit)."""
    return value if math.isfinite(value) else None


@dataclass
class IndicatorPoints:
    """Points one indicator gives: a number when assessed, else the range it could give and the inputs it needs."""

    name: str
    label: str
    points: float | None
    low: float
    high: float
    inputs: list[str]
    condition: str | None = None
    needs: list[str] = field(default_factory=list)  # labels of needed_inputs, in the explanation's language
    source: str | None = None
    needed_inputs: list[str] = field(default_factory=list)  # the missing inputs that could change its points
    # a sum_of / max_of group whose points are a range: each part, the known ones with their points (the range
    # is combined from them and the open parts' ranges, as the decision combines it)
    parts: list[IndicatorPoints] = field(default_factory=list)


@dataclass
class UnmodelledIndicator:
    """An indicator of the published table the engine does not score, named so a caseworker can score it."""

    name: str
    label: str
    reason: str
    source: str


@dataclass
class PointsExplanation:
    """A points scheme for the person (or, with of=parent, the parent)."""

    scheme: str
    title: str
    of: str
    status: str  # reached, not_reached, undetermined, prerequisites_not_met
    prerequisites: list[ConditionExplanation]
    prerequisites_met: bool | None
    total: float
    low: float
    high: float
    line: float
    line_citation: Citation
    source: str
    verified: bool  # the indicators' points checked against the city's published table (PointsScheme.verified)
    indicators: list[IndicatorPoints]
    earliest: date | None
    earliest_note: str | None
    unmodelled: list[UnmodelledIndicator] = field(default_factory=list)
    unassessed_low: float = 0.0  # what the unassessed indicators could add (or, below 0, take away) at least
    unassessed_high: float = 0.0  # ... and at most
    needs: list[str] = field(default_factory=list)  # labels of needed_inputs
    needed_inputs: list[str] = field(default_factory=list)  # the missing inputs of the unassessed indicators
    assumes: list[str] = field(default_factory=list)  # what the earliest date assumes (as a service's assumes)


@dataclass
class ServiceExplanation:
    """One service: decision, earliest date, missing inputs, the rule's source and every condition."""

    service: str
    title: str
    decision: str  # eligible, not_eligible, undetermined
    eligible: bool
    earliest: date | None
    earliest_note: str | None
    needs: list[str]
    jurisdiction: str
    source: str
    conditions: list[ConditionExplanation] = field(default_factory=list)
    for_person: int | None = None  # a child's service shown on the parent: the child's person_id
    needed_inputs: list[str] = field(default_factory=list)  # as needs_<service> of evaluate() names them
    # what the earliest date assumes of a fact not yet true (a permit not held, counted from the first day one can
    # be had), one sentence each in the explanation's language; empty where the date assumes nothing
    assumes: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    """Why a person gets or does not get each service, as text (to_text) and JSON-ready dict (to_dict)."""

    person_id: int
    on: date
    lang: Lang
    residence_region: str
    residence_name: str
    chain: list[str]
    scenario: str | None
    recognition: str | None
    points: list[PointsExplanation]
    services: list[ServiceExplanation]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (dates as ISO strings)."""
        data = _jsonable(asdict(self))
        for s, raw in zip(self.services, data["services"], strict=True):
            for c, c_raw in zip(s.conditions, raw["conditions"], strict=True):
                c_raw["status"] = c.status
        for p, raw in zip(self.points, data["points"], strict=True):
            for c, c_raw in zip(p.prerequisites, raw["prerequisites"], strict=True):
                c_raw["status"] = c.status
        return data

    def to_text(self) -> str:
        """A readable explanation for a resident or caseworker, in the explanation's language."""
        lang = self.lang
        head = _w(
            "person",
            lang,
            p=self.person_id,
            d=self.on,
            r=self.residence_name,
            c=self.residence_region,
            chain=" → ".join(self.chain),
        )
        lines = [head + (_w("scenario", lang, s=self.scenario) if self.scenario else "")]
        if self.recognition:
            lines.append("  " + _w("recognition", lang, t=self.recognition))
        for p in self.points:
            lines.extend(_points_text(p, lang))
        for s in self.services:
            lines.extend(_service_text(s, lang))
        return "\n".join(lines)


def _points_text(p: PointsExplanation, lang: Lang) -> list[str]:
    whose = _w("parent", lang) if p.of == "parent" else ""
    lines = [f"\n{whose}{p.title}"] + ([] if p.verified else [f"  {_w('scheme_unverified', lang)}"])
    if p.prerequisites:
        lines.append(f"  {_w('prereq', lang)}:")
        lines.extend(_condition_lines(p.prerequisites, lang, 2))
    if p.prerequisites_met is False:
        lines.append("  ⚠ " + _w("prereq_failed", lang))
    elif p.prerequisites_met is None:
        lines.append("  ⚠ " + _w("prereq_unknown", lang))
    total = _w("total_void" if p.prerequisites_met is False else "total", lang, t=f"{p.total:g}", l=f"{p.line:g}")
    if p.low != p.high:
        total += _w("range", lang, lo=_pts(p.low), hi=_pts(p.high))
    lines.append(f"  {total} [{_cite(p.line_citation, lang)}]")
    if p.needed_inputs:
        shown = _w(
            "unassessed_range",
            lang,
            lo=_signed(p.unassessed_low),
            hi=_signed(p.unassessed_high),
            x=_join(p.needs, lang),
        )
        lines.append(f"  {shown}")
    for ind in p.indicators:
        lines.extend(_indicator_lines(ind, lang, "      "))
    if p.unmodelled:
        lines.append("  " + _w("unmodelled", lang))
        lines.extend(f"      —  {u.label}: {u.reason} [{u.source}]" for u in p.unmodelled)
    if p.status == "prerequisites_not_met":
        when = _w("from", lang, d=p.earliest) if p.earliest else p.earliest_note or _w("never", lang)
        verdict = f"{_w('prereq_verdict', lang)} — {when}"
    elif p.status == "reached":
        verdict = _w("reached", lang)
    elif p.status == "undetermined":
        verdict = _w("reach_unknown", lang)
    elif p.earliest:
        verdict = _w("reached_on", lang, d=p.earliest)
    else:
        verdict = p.earliest_note or _w("not_reached", lang)
    lines.append(f"  → {verdict}")
    lines.extend(f"    {assumed}" for assumed in p.assumes)
    return lines


def _indicator_lines(ind: IndicatorPoints, lang: Lang, indent: str) -> list[str]:
    """An indicator's line, then (an open group) its parts' lines below it, indented."""
    if ind.points is None:
        shown = _w("unassessed", lang, x=_join(ind.needs, lang), lo=_pts(ind.low), hi=_pts(ind.high))
        lines = [f"{indent}?  {ind.label} — {shown}"]
    else:
        text = f"{indent}{ind.points + 0.0:+g}  {ind.label}"  # + 0.0: a deduction of nothing shows +0, not -0
        if ind.inputs:
            text += f" ({'; '.join(ind.inputs)})"
        if ind.condition:
            text += f" — {ind.condition}"
        lines = [text]
    for part in ind.parts:
        lines.extend(_indicator_lines(part, lang, indent + "    "))
    return lines


def _service_text(s: ServiceExplanation, lang: Lang) -> list[str]:
    if s.decision == "eligible":
        verdict = _w("eligible", lang)
    elif s.decision == "undetermined":
        verdict = _w("undetermined", lang)
    elif s.earliest:
        verdict = f"{_w('not_eligible', lang)} — {_w('from', lang, d=s.earliest)}"
    else:
        verdict = f"{_w('not_eligible', lang)} — {s.earliest_note or _w('never', lang)}"
    who = f" — {_w('child', lang, p=s.for_person)}" if s.for_person is not None else ""
    lines = [f"\n{s.title}{who}: {verdict}"]
    lines.extend(f"  {assumed}" for assumed in s.assumes)
    if s.needs:
        lines.append("  " + needs_text(s.needs, lang))
    lines.append("  " + _w("rule", lang, j=s.jurisdiction, s=s.source))
    lines.extend(_condition_lines(s.conditions, lang, 1))
    return lines


def _condition_lines(conditions: list[ConditionExplanation], lang: Lang, base: int) -> list[str]:
    lines = []
    for c in conditions:
        indent = "  " * (c.depth + base)
        if c.kind == "group":
            lines.append(f"{indent}{c.label}:")
            continue
        mark = _w("unknown" if c.passed is None else "met" if c.passed else "failed", lang)
        text = f"{indent}{mark} {c.label}"
        text += _shown(c)
        if c.passed is False:
            text += f"; {c.missing}" if c.missing else ""
            if c.earliest:
                text += "; " + _w("from", lang, d=c.earliest)
            else:
                text += "; " + (c.earliest_note or _w("never", lang))
        lines.append(text)
        if c.citation is not None:
            lines.append(f"{indent}    [{_cite(c.citation, lang)}]")
    return lines


def _cite(c: Citation, lang: Lang) -> str:
    flag = "" if c.verified else _w("unverified", lang)
    since = "" if c.since == date.min else f", {c.since}"  # a scenario's override has no date of its own
    return f"{c.source}{since}{flag}"


def _pts(x: float) -> str:
    return "∞" if x == np.inf else "−∞" if x == -np.inf else f"{x:g}"


def _signed(x: float) -> str:
    """Points added (+) or taken away (−)."""
    return "+∞" if x == np.inf else "−∞" if x == -np.inf else f"{x + 0.0:+g}".replace("-", "−")


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, float) and np.isinf(obj):
        return None  # an unbounded range: JSON has no infinity
    return obj


class _Reader:
    """Turns the engine's traces for one row into explanations in one language."""

    def __init__(self, engine: IntervalEvaluator, lang: Lang, finder: NeedsFinder) -> None:
        self.engine = engine
        self.lang = lang
        self.on = engine.frame.on
        self.on_date = engine.frame.on_date
        self.finder = finder
        self.traces: dict[str, list[LeafTrace]] = {}  # per path, every evaluation (e.g. on a parent's row, too)
        for t in engine.leaf_traces:
            self.traces.setdefault(t.path, []).append(t)

    def holds_no_permit(self, row: int) -> bool:
        """The person (a frame row) holds no residence permit. Their permit months then count from the day one can be
        had (what the rules look ahead with), not months held: shown as "no residence permit", never as "0 months".
        A row whose permit is undetermined stays unknown."""
        engine = self.engine
        held = engine.permit_held if engine.permit_held is not None else engine.frame.clocks["permit"].base < NEVER
        unknown = engine.permit_unknown is not None and bool(engine.permit_unknown[row])
        return not bool(held[row]) and not unknown

    def permit_assumed(self, row: int) -> list[str]:
        """What an earliest date read from the person's permit months assumes where they hold no permit: a permit held
        from the first day one can be had, the day those months count from (one sentence; none where a permit is
        held, or whether one can be had is unknown)."""
        if not self.holds_no_permit(row):
            return []
        first = from_days(int(self.engine.frame.clocks["permit"].base[row]))
        return [] if first is None else [_w("permit_assumed", self.lang, d=first.isoformat())]

    def service_needs(self, service: Service, row: int) -> list[str]:
        """The missing inputs that could change the person's undetermined decision: needs_<service> of evaluate()."""
        one = np.zeros(self.engine.frame.n, dtype=bool)
        one[row] = True
        return [name for name, rows in self.finder.service_rows(service, one).items() if row in rows]

    def labels(self, names: list[str]) -> list[str]:
        """Inputs' labels in the explanation's language."""
        labels = fact_labels(self.engine.frame.variables, self.lang)
        return [labels[name] for name in names]

    def day(self, d: int) -> tuple[date | None, str | None]:
        """A start day as a date, or a note: never, or beyond the display horizon."""
        if d >= NEVER:
            return None, _w("never", self.lang)
        shown = from_days(int(d))
        if shown is not None and shown > add_months_scalar(self.on_date, 12 * DISPLAY_HORIZON_YEARS):
            return None, _w("beyond", self.lang, n=DISPLAY_HORIZON_YEARS)
        return shown, None

    def conditions(self, node: Condition, path: str, depth: int, row: int, out: list[ConditionExplanation]) -> None:
        if not isinstance(node, Leaf):
            out.append(
                ConditionExplanation(node.title(self.lang), depth, "group", "self", None, None, True, None, None, None)
            )
            for i, child in enumerate(node.children()):
                self.conditions(child, f"{path}.{i}", depth + 1, row, out)
            return
        found = [(t, hits) for t in self.traces.get(path, []) if (hits := np.flatnonzero(t.rows == row)).size]
        if not found:
            return
        trace, hits = found[0]
        pos = int(hits[0])
        got = trace.result
        value = None if got.value is None else float(got.value[pos])
        start, end = int(got.start[pos]), int(got.end[pos])
        known = got.known is None or bool(got.known[pos])
        decided = got.decided is not None and bool(got.decided[pos])
        holds = start <= self.on <= end
        passed: bool | None = holds if (known or decided) else None
        shown, needed = node.describe(value, got.threshold, self.lang, got.parameter)
        if getattr(node, "variable", None) == "permit" and getattr(node, "of", "self") == "self" and known:
            shown = _w("no_permit", self.lang) if self.holds_no_permit(row) else shown
        needs_parent = self.unlinked(node, row) if passed is None else None
        if needs_parent is not None:
            shown = _w("unlinked", self.lang)
        floor = None if got.floor is None else float(got.floor[pos])
        if passed and floor is not None and np.isfinite(floor):  # the known items already reach what is asked
            shown = _w("at_least", self.lang, n=f"{floor:g}")
        earliest, note = (None, None) if passed is not False else self.day(start)
        if passed is False and not known:
            earliest, note = None, None
        citation = None
        if got.parameter is not None and got.dated is not None:
            citation = Citation(got.parameter.key, got.dated.since, got.dated.cited(self.lang), got.dated.verified)
        out.append(
            ConditionExplanation(
                node.title(self.lang),
                depth,
                node.kind,
                node.of,
                shown,
                needed,
                passed,
                earliest,
                note,
                needs_parent or self.missing(node, value, got.threshold, passed, known),
                citation,
                _subject(node),
            )
        )

    def unlinked(self, node: Leaf, row: int) -> str | None:
        """What an undetermined condition on the parent (or on where the parent lives) needs where no parent is linked
        (changzhu.rules.parents); None elsewhere."""
        on_parent = node.of == "parent" or getattr(node, "variable", None) == "parent_same_region"
        if on_parent and self.engine.frame.parent_idx[row] == UNLINKED:
            return _w("needs", self.lang, x=_join(self.labels(list(PARENT_FACTS)), self.lang))
        return None

    def missing(self, node: Leaf, value: float | None, threshold: Any, passed: bool | None, known: bool) -> str | None:
        """What is missing for a condition that is not met (or unknown)."""
        if passed is True:
            return None
        if isinstance(node, VariableCondition):
            if not known:
                return _w("needs", self.lang, x=node.spec.label(self.lang))
            if node.of == "parent" and (value is None or np.isnan(value)):
                return _w("no_parent", self.lang)
        short = node.shortfall(value, threshold)
        return None if short is None else _w(short[0], self.lang, n=short[1])


def explain(
    people: pl.DataFrame | CheckedPersonTable,
    on: date,
    person_id: int | None = None,
    scenario: Scenario | None = None,
    *,
    services: list[Service] | None = None,
    policies: PolicySet | None = None,
    lang: Lang = Lang.ZH,
    all_services: bool = False,
) -> Explanation:
    """Explain one person (person_id, or the only row) in Chinese (Lang.ZH, "zh") or English (Lang.EN, "en").

    Pass the parent's row too for a child's school rules, and the children's rows to see their school places on
    the parent. Services that do not concern the person (an age condition that cannot hold within a year) are
    left out unless named in `services` or all_services=True.
    """
    lang = Lang(lang)  # "zh" or "en" given as text
    frame = prepare(people, on, scenario=scenario, policies=policies)
    engine = IntervalEvaluator(frame, frame.policies, scenario, trace=True)
    ids = frame.person_id
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
    code = regions.codes[int(frame.region_idx[row])]
    chain = engine.policies.chain_for(code)
    policy = resolve_region(engine.policies, code, scenario)
    for scheme in policy.schemes.values():
        engine.points_condition(policy, scheme, np.array([row]), "self")
    finder = NeedsFinder(frame, scenario)
    finder.focus(*_open_rows(engine, wanted, row))
    reader = _Reader(engine, lang, finder)
    keep_all = all_services or services is not None
    out_services = [s for service in wanted if (s := _service(reader, policy, service, row, keep_all)) is not None]
    cited = _cited(policy, [Service(s.service) for s in out_services], "self")  # schemes of the person's points
    children = np.flatnonzero(frame.parent_idx == row)
    for child in children.tolist():
        child_policy = resolve_region(engine.policies, regions.codes[int(frame.region_idx[child])], scenario)
        for service in wanted:
            rule = child_policy.services.get(service)
            if rule is None or not any(getattr(n, "of", "self") == "parent" for n in rule.rule.walk()):
                continue
            found = _service(reader, child_policy, service, child, keep_all=False)
            if found is not None:
                found.for_person = int(ids[child])
                out_services.append(found)
                cited |= _cited(child_policy, [service], "parent")
    parent = int(frame.parent_idx[row])
    is_child = frame.people["parent_id"][row] is not None
    unique: list[PointsExplanation] = []
    for trace in engine.points_traces:
        found_points = _points(reader, policy, trace, row, parent)
        if found_points is None or any((u.scheme, u.of) == (found_points.scheme, found_points.of) for u in unique):
            continue
        # a child's own scheme, whose gate the child fails, is shown only where a service of theirs rests on it
        failed_own = found_points.of == "self" and found_points.prerequisites_met is False and is_child
        if keep_all or not failed_own or found_points.scheme in cited:
            unique.append(found_points)
    names = _names(lang)
    own = {c: names.get(c) or engine.policies.jurisdictions[c].name_zh for c in chain}
    if lang == "en":
        own["000000"] = "national"
    return Explanation(
        person_id,
        on,
        lang,
        code,
        names.get(code, code),
        [f"{c} {own[c]}" for c in chain],
        scenario.name if scenario else None,
        _recognition(engine, row, lang),
        unique,
        out_services,
    )


def _cited(policy: ResolvedPolicy, services: list[Service], of: str) -> set[str]:
    """The points schemes the services' rules cite on the person (of="self") or on the parent ("parent")."""
    out = set()
    for service in services:
        rule = policy.services.get(service)
        if rule is not None:
            out |= {n.scheme for n in rule.rule.walk() if isinstance(n, PointsCondition) and n.of == of}
    return out


def _open_rows(
    engine: IntervalEvaluator, wanted: list[Service], row: int
) -> tuple[dict[Service, np.ndarray], np.ndarray]:
    """The rows an explanation of `row` shows (the person, the parent, the children): per service where the
    decision is undetermined, and all of them for their points."""
    frame = engine.frame
    shown = frame.parent_idx == row
    shown[row] = True
    if frame.parent_idx[row] >= 0:
        shown[frame.parent_idx[row]] = True
    undetermined = {}
    for service in wanted:
        decided = engine.services[service].decided_mask()
        if decided is not None and (open_here := shown & ~decided).any():
            undetermined[service] = open_here
    return undetermined, shown


def _service(
    reader: _Reader, policy: ResolvedPolicy, service: Service, row: int, keep_all: bool
) -> ServiceExplanation | None:
    engine = reader.engine
    rule = policy.services.get(service)
    interval = engine.services[service]
    start = int(interval.start[row])
    unknown = interval.unknown is not None and bool(interval.unknown[row])
    decided_mask = interval.decided_mask()
    decided = decided_mask is None or bool(decided_mask[row])
    eligible = decided and start <= reader.on
    conditions: list[ConditionExplanation] = []
    if rule is not None:
        reader.conditions(rule.rule, service.value, 0, row, conditions)
        if not keep_all and not eligible and not _concerns(rule.rule, conditions, reader.on_date):
            return None
    decision = "eligible" if eligible else "not_eligible" if decided else "undetermined"
    earliest, note = (None, None)
    if not eligible and not unknown:
        earliest, note = reader.day(start)
    needed = reader.service_needs(service, row) if rule is not None and not decided else []
    reads_permit = rule is not None and ("permit", "self") in reads_of(policy, rule.rule)
    assumes = reader.permit_assumed(row) if earliest is not None and not eligible and reads_permit else []
    return ServiceExplanation(
        service.value,
        service_title(service, reader.lang),
        decision,
        eligible,
        earliest if not eligible else None,
        note,
        reader.labels(needed),
        rule.jurisdiction if rule else "—",
        pick_label(rule.source, reader.lang) if rule else "—",
        conditions,
        needed_inputs=needed,
        assumes=assumes,
    )


def _concerns(rule: Condition, conditions: list[ConditionExplanation], on: date) -> bool:
    """False when a top-level age condition of the rule fails and cannot hold within CONCERN_YEARS."""
    for c, node in _top_leaves(rule, conditions):
        if not (isinstance(node, VariableCondition) and node.variable == "age" and node.of == "self"):
            continue
        if c.passed is False and (c.earliest is None or (c.earliest - on).days > 366 * CONCERN_YEARS):
            return False
    return True


def _top_leaves(
    rule: Condition, conditions: list[ConditionExplanation]
) -> list[tuple[ConditionExplanation, Condition]]:
    """The explained top-level conditions of an all_of rule (or the rule itself, a leaf), paired with their nodes."""
    if isinstance(rule, Leaf):
        return [(conditions[0], rule)] if conditions else []
    if not isinstance(rule, AllOf):
        return []
    tops = [c for c in conditions if c.depth == 1]
    return list(zip(tops, rule.children(), strict=False))


def _points(
    reader: _Reader, policy: ResolvedPolicy, trace: PointsTrace, row: int, parent: int
) -> PointsExplanation | None:
    target = row if trace.of == "self" else parent
    hits = np.flatnonzero(trace.rows == target)
    if hits.size == 0:
        return None
    pos = int(hits[0])
    scheme = trace.scheme
    prereq: list[ConditionExplanation] = []
    if scheme.prerequisites is not None:
        reader.conditions(scheme.prerequisites, f"points:{scheme.name}", 0, target, prereq)
    pre = trace.prerequisites
    pre_unknown = pre.unknown is not None and bool(pre.unknown[pos])
    pre_decided = pre.decided_mask()
    pre_holds = bool(pre.holds(reader.on)[pos])
    pre_met: bool | None = pre_holds if (pre_decided is None or bool(pre_decided[pos])) else None
    if pre_unknown and pre_met is False:
        pre_met = False
    indicators = [
        _indicator(
            reader,
            trace.policy,
            scheme.name,
            ind,
            float(lo[pos]),
            float(hi[pos]),
            target,
            f"points:{scheme.name}:{ind.name}",
        )
        for ind, lo, hi in trace.indicators
    ]
    low, high = float(trace.low[pos]), float(trace.high[pos])
    assessed = sum(i.points for i in indicators if i.points is not None)
    open_items = [i for i in indicators if i.points is None]
    needed = sorted({n for i in open_items for n in i.needed_inputs})
    if pre_met is False:
        status = "prerequisites_not_met"
    elif pre_met and low >= trace.line:
        status = "reached"
    elif (high < trace.line and pre_met is not None) or (low == high and pre_met is not None):
        status = "not_reached"
    else:
        status = "undetermined"
    earliest_day = int(trace.earliest[pos])
    earliest, note = (None, None)
    if status in ("not_reached", "prerequisites_not_met") and low == high and not pre_unknown:
        earliest, note = reader.day(earliest_day)
    reads = {n for c in scheme_conditions(scheme) for n in c.reads()}
    reads |= {n for i in flat(scheme.indicators) for n in i.reads()}
    assumes = reader.permit_assumed(target) if earliest is not None and trace.of == "self" and "permit" in reads else []
    return PointsExplanation(
        scheme.name,
        scheme.title[1 if reader.lang == "en" else 0],
        trace.of,
        status,
        prereq,
        pre_met,
        float(assessed),
        low,
        high,
        trace.line,
        Citation(
            trace.line_parameter.key,
            trace.line_dated.since,
            trace.line_dated.cited(reader.lang),
            trace.line_dated.verified,
        ),
        pick_label(scheme.source, reader.lang),
        scheme.verified,
        indicators,
        earliest,
        note,
        [
            UnmodelledIndicator(u.name, pick_label(u.label, reader.lang), pick_label(u.reason, reader.lang), u.source)
            for u in scheme.unmodelled
        ],
        float(sum(i.low for i in open_items)),
        float(sum(i.high for i in open_items)),
        reader.labels(needed),
        needed,
        assumes,
    )


def _counts(reader: _Reader, only_if: Condition, path: str, row: int, assessed: bool) -> str | None:
    """Why an indicator (or a part) counts or not: its condition with the person's values; None when unknown and
    its points are open (the inputs it needs are named instead)."""
    parts: list[ConditionExplanation] = []
    reader.conditions(only_if, path, 0, row, parts)
    leaves = [c for c in parts if c.kind != "group"]
    lang = reader.lang
    if not leaves:
        return None
    if any(c.passed is None for c in leaves):
        unknown = [c.label for c in leaves if c.passed is None]
        return _w("either_way", lang, c=_join(unknown, lang)) if assessed else None
    if all(c.passed for c in leaves):
        return _w("because", lang, c=_holding(leaves, lang))
    return _w("not_counted", lang, c=_holding([c for c in leaves if not c.passed], lang))


def _holding(conditions: list[ConditionExplanation], lang: Lang) -> str:
    """Conditions with the person's value and what the rule asks ("base over the average — 1.2 (at least 1)")."""
    return ("；" if lang == "zh" else "; ").join(c.label + _shown(c) for c in conditions)


def _shown(c: ConditionExplanation) -> str:
    """The person's value and what is asked, after a condition's label (" — 1.2 (at least 1)"), or nothing."""
    if c.value is None:
        return ""
    return f" — {c.value}" + ("" if c.threshold is None else f" ({c.threshold})")


def _dates_shown(statics: dict[str, np.ndarray], name: str, row: int, lang: Lang) -> str:
    """A dates input of one person as written: the dates in order, "none", or unknown."""
    listed = int(statics[name][row])
    if listed < 0:
        return "未知（未提供）" if lang == "zh" else "unknown (not given)"
    if listed == 0:
        return "无" if lang == "zh" else "none"
    days = statics[name + MATRIX][row][:listed]
    return ("、" if lang == "zh" else ", ").join(str(from_days(int(d))) for d in days)


def input_prefix(label: str, lang: str) -> str:
    """The start of one line of what a points item is scored on ("职业资格/职称：", "professional title: "): Chinese
    text takes the full-width colon."""
    return f"{label}：" if lang == "zh" else f"{label}: "


def _indicator(
    reader: _Reader, policy: ResolvedPolicy, scheme: str, ind: Indicator, low: float, high: float, row: int, path: str
) -> IndicatorPoints:
    """One indicator's (or, `path` naming it as its group scores it, one part's) points for the person."""
    lang = reader.lang
    assessed = low == high
    frame = reader.engine.frame
    inputs: list[str] = []
    variables = frame.variables
    names = sorted({n for part in ind.walk() for n in part.reads()})
    for spec in (variables[n] for n in names):
        if spec.kind == "dates":  # the dates themselves, so the caseworker sees which fall in the window
            inputs.append(f"{input_prefix(spec.label(lang), lang)}{_dates_shown(frame.statics, spec.name, row, lang)}")
            continue
        if spec.kind == "clock":
            value = float(frame.clocks[spec.name].now(frame.on)[row])
        else:
            value = float(frame.statics[spec.name][row])
        probe = VariableCondition(spec.name, ">=", 0, None, None, spec)
        shown, _ = probe.describe(value, 0, lang)
        # describe names a yes/no variable; the label is said here. A yes/no not given is stored as −1: describe's
        # unknown stands (bool(−1) read it as yes)
        if spec.kind == "bool" and np.isfinite(value) and value >= 0:
            shown = ("是" if lang == "zh" else "yes") if bool(value) else ("否" if lang == "zh" else "no")
        if spec.name == "permit" and reader.holds_no_permit(row):
            shown = _w("no_permit", lang)
        inputs.append(f"{input_prefix(spec.label(lang), lang)}{shown}")  # an unknown one too: it is shown as unknown
    said = []  # the indicator's condition, then those of its parts (a title counted only if the base reaches ...)
    if ind.only_if is not None:
        said.append(_counts(reader, ind.only_if, f"{path}.only_if", row, low == high))
    for group in ind.walk():
        for part in group.parts():
            if part.only_if is not None:
                got = _counts(reader, part.only_if, f"{group.name}.{part.name}.only_if", row, low == high)
                said.append(f"{part.title(lang)}: {got}" if got else None)
    condition = ("；" if lang == "zh" else "; ").join(x for x in said if x) or None
    needed = [] if assessed else reader.finder.indicator_needs(scheme, ind, row)
    parts = [] if assessed else _parts(reader, policy, scheme, ind, row)
    return IndicatorPoints(
        ind.name, ind.title(lang), low if assessed else None, low, high, inputs, condition, reader.labels(needed),
        ind.source, needed, parts,
    )  # fmt: skip


def _parts(reader: _Reader, policy: ResolvedPolicy, scheme: str, group: Indicator, row: int) -> list[IndicatorPoints]:
    """The parts of a group whose points are open, each scored as the group scores it (its known parts with their
    points, an open part with its range and the inputs it needs); nothing for an indicator that is no group."""
    rows = np.array([row])
    out = []
    for part in group.parts():
        path = f"{group.name}.{part.name}"
        lo, hi = part.score(reader.engine, policy, rows, reader.on, path)
        out.append(_indicator(reader, policy, scheme, part, float(lo[0]), float(hi[0]), row, path))
    return out


def _recognition(engine: IntervalEvaluator, row: int, lang: Lang) -> str | None:
    frame = engine.frame
    coef = float(frame.recognition["coefficient"][row])
    if coef <= 0:
        return None
    agreement = engine.policies.agreements[int(frame.recognition["agreement"][row])]
    extra_residence = int(frame.recognition["prior_residence"][row])
    extra_si = int(frame.recognition["prior_si"][row])
    if lang == "en":
        return (
            f"{agreement.title}: prior months × {coef:g} → residence +{extra_residence} months, "
            f"social insurance +{extra_si} months ({agreement.source})"
        )
    return (
        f"{agreement.title}：此前月数 × {coef:g} → 居住 +{extra_residence} 个月，"
        f"社保 +{extra_si} 个月（{agreement.source}）"
    )


def _names(lang: Lang) -> dict[str, str]:
    """Region names by code, in English where the region table has one (else the Chinese name)."""
    from changzhu.data.regions import region_table

    name = pl.col("name_en").fill_null(pl.col("name_zh")) if lang == "en" else pl.col("name_zh")
    table = region_table().select("code", name.alias("name"))
    return dict(zip(table["code"].to_list(), table["name"].to_list(), strict=True))
