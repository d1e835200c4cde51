"""The pre-check of an application: the rules engine's decision for the person, in Chinese and English.

Three-valued: eligible, not_eligible, or undetermined with the facts still needed (unknown is never zero); a record
lacking core facts is decided under every value they can take, as evaluate_registered decides it. For a
points application the points with each item; for a school place the parent's points. The reason a caseworker
signs is drafted from the same explanation, and the policy version and every parameter value the decision used
are kept so the decision can be traced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from changzhu.casework.applications import KIND_SERVICE, ApplicationKind
from changzhu.domain.lang import Lang
from changzhu.registry.explained import explain_registered, registered_decisions
from changzhu.registry.frames import person_frame
from changzhu.rules.catalog import policies_in_use, resolve
from changzhu.rules.errors import PolicyError
from changzhu.rules.explain import (
    Explanation,
    IndicatorPoints,
    PointsExplanation,
    ServiceExplanation,
    json_bound,
)
from changzhu.rules.labels import fact_labels
from changzhu.store.db import session_scope
from changzhu.store.resident_models import HouseholdLinkRow

DECISION_WORDS = {
    "eligible": ("符合条件", "eligible"),
    "not_eligible": ("暂不符合条件", "not eligible"),
    "undetermined": ("尚不能判断（缺少材料）", "undetermined (facts missing)"),
}


@dataclass(frozen=True)
class Precheck:
    """What the rules say about one application on one date, with what the decision rests on."""

    on: date
    service: str
    decision: str  # eligible, not_eligible, undetermined
    needs: list[dict[str, str]]
    explanation_zh: str
    explanation_en: str
    reason_zh: str
    reason_en: str
    points: dict[str, Any] | None
    policy_version: str
    parameters: dict[str, dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON as stored with the application and shown by the API."""
        return {
            "on": self.on.isoformat(),
            "service": self.service,
            "decision": self.decision,
            "needs": self.needs,
            "explanation_zh": self.explanation_zh,
            "explanation_en": self.explanation_en,
            "points": self.points,
            "policy_version": self.policy_version,
            "parameters": self.parameters,
        }


def parent_of(engine: Engine, person_id: int) -> int | None:
    """The person's linked parent (the first), if any."""
    query = select(func.min(HouseholdLinkRow.parent_id)).where(HouseholdLinkRow.child_id == person_id)
    with session_scope(engine) as session:
        found = session.scalar(query)
    return None if found is None else int(found)


def policy_version() -> str:
    """A short digest of the policy files in use (their directory and the SHA-256 of each file)."""
    return hashlib.sha256(policies_in_use().key.encode()).hexdigest()[:16]


def _service(explanation: Explanation) -> ServiceExplanation:
    return explanation.services[0]


def _leaves(service: ServiceExplanation) -> list[Any]:
    return [c for c in service.conditions if c.kind != "group"]


INDENT = "\u3000"  # one level of a nested condition in the pre-check's text


def _text(service: ServiceExplanation, lang: str) -> str:
    zh = lang == "zh"
    word = DECISION_WORDS[service.decision][0 if zh else 1]
    lines = [f"{service.title}：{word}" if zh else f"{service.title}: {word}"]
    for c in service.conditions:
        # the rule's own structure below its top: a nested group (满足以下任一项) titles its conditions, each indented
        # (an ideographic space, which the office's pre-line text keeps), so a failed alternative does not read as a
        # failed condition
        indent = INDENT * max(c.depth - 1, 0)
        if c.kind == "group":
            if c.depth > 0:
                lines.append(f"{indent}{c.label}：" if zh else f"{indent}{c.label}:")
            continue
        mark = {"met": "✓", "not_met": "✗", "unknown": "?"}[c.status]
        # a condition whose value the rules could not compute (a points total while facts are missing) has none
        value = c.value if c.value is not None else ("未知" if zh else "unknown") if c.threshold else ""
        detail = f"{value} / {c.threshold}" if c.threshold else value
        shown = (f"（{detail}）" if zh else f" ({detail})") if detail else ""
        extra = f" — {c.missing}" if c.missing else ""
        lines.append(f"{indent}{mark} {c.label}{shown}{extra}")
    if service.earliest:
        lines.append(
            f"最早可于 {service.earliest} 起符合条件" if zh else f"eligible from {service.earliest} at the earliest"
        )
        lines.extend(estimate_notes(service, lang))
    lines.append(("依据：" if zh else "source: ") + service.source)
    return "\n".join(lines)


# An earliest date is an estimate: the words the office shows under every estimated date (locales:
# entitlement.estimate), with what the date assumes — what the rules say it assumes (a permit not yet held), else
# that nothing changes (the months and years it counts keep growing here, the other facts stay as on record).
ESTIMATE = ("这是估算，不是承诺：{a}。", "An estimate, not a promise: {a}.")
UNCHANGED = (
    "此日期假定情况不变（继续在此居住、就业并缴纳社保，其他已登记的情况不变），情况变化则日期随之变化",
    "this date assumes nothing changes (the person keeps living, working and paying insurance here, and the other"
    " facts on record stay as they are); if they change, so does the date",
)


def estimate_notes(service: ServiceExplanation, lang: str) -> list[str]:
    """The estimate note(s) of the service's earliest date in `lang` ("zh" or "en")."""
    words = ESTIMATE[0 if lang == "zh" else 1]
    assumed = service.assumes or [UNCHANGED[0 if lang == "zh" else 1]]
    return [words.format(a=a.rstrip("。.")) for a in assumed]


def _reason(service: ServiceExplanation, lang: str) -> str:
    """The reason a caseworker signs, drafted from the explanation."""
    zh = lang == "zh"
    leaves = _leaves(service)
    if service.decision == "eligible":
        met = ("、" if zh else "; ").join(c.label for c in leaves if c.status == "met")
        if zh:
            return f"经审核，申请人符合「{service.title}」的条件（{met}）。依据：{service.source}。"
        return f"Reviewed: the applicant meets the conditions for {service.title} ({met}). Source: {service.source}."
    if service.decision == "undetermined":
        needs = ("、" if zh else ", ").join(service.needs)
        if zh:
            return f"尚不能作出决定：缺少{needs}。请补充材料后再行审核。依据：{service.source}。"
        return f"No decision yet: {needs} missing. Please provide them for review. Source: {service.source}."
    unmet = [
        f"{c.label}（{c.missing}）" if zh and c.missing else f"{c.label} ({c.missing})" if c.missing else c.label
        for c in leaves
        if c.status == "not_met"
    ]
    when = ""
    if service.earliest:
        notes = ("" if zh else " ").join(estimate_notes(service, lang))
        when = (
            f"如情况不变，自{service.earliest}起符合条件。{notes}"
            if zh
            else f" If nothing changes, eligible from {service.earliest}. {notes}"
        )
    if zh:
        return f"经审核，申请人暂不符合「{service.title}」的条件：{'；'.join(unmet)}。{when}依据：{service.source}。"
    listed = "; ".join(unmet)
    return (
        f"Reviewed: the applicant does not meet the conditions for {service.title}: {listed}.{when} "
        f"Source: {service.source}."
    )


def _points(zh: PointsExplanation, en: PointsExplanation) -> dict[str, Any]:
    return {
        "scheme": zh.scheme,
        "title": zh.title,
        "title_zh": zh.title,
        "title_en": en.title,
        "status": zh.status,
        "total": zh.total,
        "low": json_bound(zh.low),  # None: no lower bound (unknown facts that take points away)
        "high": json_bound(zh.high),  # None: no upper bound (JSON has no Infinity)
        "line": zh.line,
        "items": [_item(a, b) for a, b in zip(zh.indicators, en.indicators, strict=True)],
    }


def _item(a: IndicatorPoints, b: IndicatorPoints) -> dict[str, Any]:
    """One indicator in both languages; an open one (points None) with the range it could give (`low`, `high`:
    None where open), so it reads 0–30 or ≤0 as on the resident's page, never a blank taken for none; an open
    sum_of / max_of group with its parts (the known ones scored)."""
    return {"item": a.name, "label_zh": a.label, "label_en": b.label, "points": a.points, "low": json_bound(a.low),
            "high": json_bound(a.high), "needs_zh": a.needs, "needs_en": b.needs,
            "parts": [_item(x, y) for x, y in zip(a.parts, b.parts, strict=True)]}  # fmt: skip


def _own_points(zh: Explanation, en: Explanation) -> dict[str, Any] | None:
    """The explained person's own points under their city's scheme (None: the city has no scheme)."""
    mine = [(a, b) for a, b in zip(zh.points, en.points, strict=True) if a.of == "self"]
    return _points(*mine[0]) if mine else None


def _parameters(found: Explanation, region: str, on: date, with_points: bool) -> dict[str, dict[str, Any]]:
    """Every parameter the service's conditions (and, when points are shown, the points line) cited, with its
    value in force on `on`."""
    policies = policies_in_use()
    policy = resolve(policies, policies.chain_for(region), None)
    keys: set[str] = set()
    for s in found.services:
        keys |= {c.citation.parameter for c in s.conditions if c.citation is not None}
    for p in found.points if with_points else []:
        keys.add(p.line_citation.parameter)
        keys |= {c.citation.parameter for c in p.prerequisites if c.citation is not None}
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(keys):
        try:
            _param, dated = policy.value(key, on)
        except PolicyError:
            continue  # cited by a rule of another chain (a parent's city): its value is in that rule's citation
        out[key] = {"value": dated.value, "since": dated.since.isoformat(), "source": dated.source}
    return out


def precheck(engine: Engine, person_id: int, kind: ApplicationKind, on: date) -> Precheck:
    """The rules' decision on the application of `kind` by person `person_id` on `on`.

    A record lacking core facts is decided as evaluate_registered decides it: under every value they can take,
    undetermined (naming them) only where they change the decision."""
    parent = parent_of(engine, person_id)
    table = person_frame(engine, [person_id] if parent is None else [person_id, parent])
    service = KIND_SERVICE[kind]
    decided = registered_decisions(table, on)  # decided once for every explanation below (the costly part)
    zh, en = (
        explain_registered(table, on, person_id, services=[service], lang=lang, decided=decided)
        for lang in (Lang.ZH, Lang.EN)
    )
    s_zh, s_en = _service(zh), _service(en)
    points = None
    if kind in (ApplicationKind.POINTS, ApplicationKind.HUKOU):
        points = _own_points(zh, en)
    elif kind == ApplicationKind.SCHOOL_PLACE and parent is not None:
        points = _own_points(
            *(explain_registered(table, on, parent, services=[], lang=x, decided=decided) for x in (Lang.ZH, Lang.EN))
        )
        if points is not None:
            points["of"] = "parent"
    region = str(table["residence_region"][0])
    return Precheck(
        on,
        service.value,
        s_zh.decision,
        _labelled_needs(s_zh.needs, s_en.needs),
        _text(s_zh, "zh"),
        _text(s_en, "en"),
        _reason(s_zh, "zh"),
        _reason(s_en, "en"),
        points,
        policy_version(),
        _parameters(zh, region, on, points is not None),
    )


def _labelled_needs(zh: list[str], en: list[str]) -> list[dict[str, str]]:
    """The facts a decision still needs, each as `{input, label_zh, label_en}` (the explanation gives labels)."""
    by_label = {label: name for name, label in fact_labels(policies_in_use().variables, "zh").items()}
    return [{"input": by_label.get(a, a), "label_zh": a, "label_en": b} for a, b in zip(zh, en, strict=True)]
