"""explain() for registered residents whose core facts may be missing, deciding as evaluate_registered decides.

A record lacking a core fact (employed, criminal_record, education, housing, income_per_capita_month, the insurance
months) gets every
decision, earliest date, list of facts needed and points range from evaluate_registered (decided under every value
the missing facts can take). The conditions and points items around those decisions are the rules' own, read with
the missing facts set to one of their values, except where they depend on one: a condition reading a missing fact
(or citing a service or points line the missing facts leave undetermined) is shown as unknown with the fact it
needs, and a points item reading one as not assessed. Records with every core fact are explained as explain() does.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from changzhu.domain.lang import Lang
from changzhu.domain.person import INSURANCE_MONTH_COLUMNS
from changzhu.domain.services import Service
from changzhu.registry.decide import FACT_VALUES, READ_AS, evaluate_registered, filled
from changzhu.rules import explain
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.explain import (
    ConditionExplanation,
    Explanation,
    IndicatorPoints,
    PointsExplanation,
    ServiceExplanation,
    input_prefix,
    needs_text,
)
from changzhu.rules.labels import fact_labels
from changzhu.rules.scenario import Scenario

# Why an insurance months condition is unknown: the registry holds no contribution history and no months given.
NO_HISTORY = {"zh": "未知：未上传缴费记录", "en": "unknown: no contribution history uploaded"}
# A points item's input line reading a missing fact: the insurance months, or any other fact (as explain says it)
NOT_UPLOADED = {"zh": "未知（未上传缴费记录）", "en": "unknown (no contribution history uploaded)"}
NOT_GIVEN = {"zh": "未知（未提供）", "en": "unknown (not given)"}
# A points condition whose scheme's prerequisites fail under every value of the missing facts (explain's prereq words)
PREREQUISITE_UNMET = {"zh": "前提条件未满足：{x}", "en": "a prerequisite is not met: {x}"}


def _listed(labels: list[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else "; ").join(labels)


def lacking(people: pl.DataFrame) -> dict[int, list[str]]:
    """Per person_id, the core facts the record lacks (only people lacking some)."""
    out: dict[int, list[str]] = {}
    for fact in FACT_VALUES:
        for pid in people.filter(pl.col(fact).is_null())["person_id"].to_list():
            out.setdefault(int(pid), []).append(fact)
    return out


def registered_decisions(people: pl.DataFrame, on: date, scenario: Scenario | None = None) -> pl.DataFrame | None:
    """What explain_registered lays over the explanation of a table lacking core facts: evaluate_registered of every
    service (a condition may cite any) under every value of the missing facts; None when no fact is missing."""
    return evaluate_registered(people, on, scenario=scenario) if lacking(people) else None


def explain_registered(
    people: pl.DataFrame,
    on: date,
    person_id: int,
    *,
    lang: Lang,
    scenario: Scenario | None = None,
    services: list[Service] | None = None,
    decided: pl.DataFrame | None = None,
) -> Explanation:
    """The explanation of one registered person (the table holds them and their parent or children, if any).

    `decided` is registered_decisions(people, on, scenario) when the caller has it: several explanations of one table
    (each language, a parent's points) then decide it once."""
    gaps = lacking(people)
    if not gaps:
        return explain(people, on, person_id=person_id, scenario=scenario, services=services, lang=lang)
    missing = sorted({f for facts in gaps.values() for f in facts})
    one_value = filled(people, {f: FACT_VALUES[f][0] for f in missing}, on)
    shown = explain(one_value, on, person_id=person_id, scenario=scenario, services=services, lang=lang)
    if decided is None:
        decided = evaluate_registered(people, on, scenario=scenario)  # every service: conditions may cite any
    overlay = _Overlay(
        {int(r["person_id"]): r for r in decided.iter_rows(named=True)},
        dict(zip(people["person_id"].to_list(), people["parent_id"].to_list(), strict=True)),
        gaps,
        lang,
        {p.scheme: p.line for p in shown.points},
    )
    parent = overlay.parents.get(person_id)
    points = [overlay.points(p, person_id if p.of == "self" else parent) for p in shown.points]
    for p in points:  # a scheme whose prerequisites fail whatever the missing facts: its line cannot be reached
        who = person_id if p.of == "self" else parent
        if p.prerequisites_met is False and who is not None:
            overlay.unmet[(who, p.scheme)] = [c.label for c in p.prerequisites if c.passed is False]
    return replace(
        shown,
        services=[overlay.service(s, s.for_person or person_id) for s in shown.services],
        points=points,
    )


class _Overlay:
    """The decisions of evaluate_registered laid over an explanation of the record with missing facts filled in."""

    def __init__(
        self,
        rows: dict[int, dict[str, Any]],
        parents: dict[int, int | None],
        gaps: dict[int, list[str]],
        lang: Lang,
        lines: dict[str, float],
    ) -> None:
        self.rows = rows
        self.lines = lines  # each explained scheme's admission line (a points condition's threshold, as a number)
        self.parents = parents
        self.gaps = gaps
        self.lang = lang
        self.labels = fact_labels(policies_in_use().variables, lang)
        # (person, scheme) -> the labels of the scheme's prerequisites the person does not meet, whatever the
        # missing facts are (filled in by explain_registered once the points are overlaid)
        self.unmet: dict[tuple[int, str], list[str]] = {}

    def label(self, fact: str) -> str:
        """A fact's label in the explanation's language."""
        return self.labels.get(fact, fact)

    def service(self, s: ServiceExplanation, who: int) -> ServiceExplanation:
        """The service's decision, earliest date and needs as evaluate_registered gives them for `who`."""
        conditions = [self.condition(c, who) for c in s.conditions]
        row = self.rows.get(who, {})
        if f"eligible_{s.service}" not in row:
            return replace(s, conditions=conditions)
        eligible, undetermined = bool(row[f"eligible_{s.service}"]), bool(row[f"undetermined_{s.service}"])
        decision = "eligible" if eligible else "undetermined" if undetermined else "not_eligible"
        earliest, note = s.earliest, s.earliest_note
        if eligible or undetermined:
            earliest, note = None, None
        elif row[f"earliest_{s.service}"] != s.earliest:  # the filled-in record's date is not everyone's
            earliest, note = row[f"earliest_{s.service}"], None
        needed = list(row[f"needs_{s.service}"] or [])
        return replace(
            s, decision=decision, eligible=eligible, earliest=earliest, earliest_note=note,
            needs=[self.label(n) for n in needed], needed_inputs=needed, conditions=conditions,
        )  # fmt: skip

    def condition(self, c: ConditionExplanation, holder: int | None) -> ConditionExplanation:
        """The condition as is, or unknown where it depends on a fact missing for the person it is about."""
        about = holder if c.of == "self" else self.parents.get(holder) if holder is not None else None
        facts = self.gaps.get(about, []) if about is not None else []
        if not facts or c.passed is None or c.subject is None:
            return c
        row = self.rows.get(about, {})  # type: ignore[arg-type]
        unmet = self.unmet.get((about, c.subject)) if c.kind == "points" and about is not None else None
        if unmet:  # not met for want of a prerequisite, not "unknown": the points it reads do not count
            said = PREREQUISITE_UNMET["zh" if self.lang == "zh" else "en"].format(x=_listed(unmet, self.lang))
            return replace(c, value=None, passed=False, earliest=None, earliest_note=None, missing=said)
        read = [f for f in facts if c.subject in READ_AS[f]]
        if c.kind == "variable" and read:
            needed = read
        elif c.kind == "service" and row.get(f"undetermined_{c.subject}"):
            needed = [f for f in row.get(f"needs_{c.subject}") or [] if f in facts] or facts
        elif c.kind == "points" and self._line_open(row, c.subject, self.lines.get(c.subject)):
            needed = [f for f in row.get(f"unassessed_{c.subject}") or [] if f in facts] or facts
        else:
            return c
        missing = needs_text([self.label(f) for f in needed], self.lang)
        value = None
        if c.kind == "variable":
            unknown = NO_HISTORY if set(needed) <= set(INSURANCE_MONTH_COLUMNS) else {"zh": "未知", "en": "unknown"}
            value = unknown["zh" if self.lang == "zh" else "en"]
        return replace(c, value=value, passed=None, earliest=None, earliest_note=None, missing=missing)

    @staticmethod
    def _line_open(row: dict[str, Any], scheme: str, line: float | None) -> bool:
        """The points range evaluate_registered gives straddles the line (or there is no range to compare)."""
        low, high = row.get(f"points_low_{scheme}"), row.get(f"points_high_{scheme}")
        if line is None or low is None:
            return True
        return bool(low < line <= (math.inf if high is None else high))

    def points(self, p: PointsExplanation, who: int | None) -> PointsExplanation:
        """The scheme with items reading a missing fact not assessed and the range evaluate_registered gives."""
        facts = self.gaps.get(who, []) if who is not None else []
        row = self.rows.get(who, {}) if who is not None else {}
        if not facts or f"points_low_{p.scheme}" not in row:
            return p
        prerequisites = [self.condition(c, who) for c in p.prerequisites]
        prefixes = {f: tuple(input_prefix(self.label(v), self.lang) for v in READ_AS[f]) for f in facts}
        indicators = [self._item(item, prefixes) for item in p.indicators]
        low = row[f"points_low_{p.scheme}"]
        high = row[f"points_high_{p.scheme}"]
        low = -math.inf if low is None else float(low)
        high = math.inf if high is None else float(high)
        met = [c.passed for c in prerequisites]
        pre_met = False if False in met else None if None in met else True
        status = _status(pre_met, low, high, p.line)
        keep_date = status == p.status and low == high
        open_items = [i for i in indicators if i.points is None]
        needed = sorted({n for i in open_items for n in i.needed_inputs})
        return replace(
            p, prerequisites=prerequisites, prerequisites_met=pre_met, status=status, low=low, high=high,
            total=float(sum(i.points for i in indicators if i.points is not None)), indicators=indicators,
            earliest=p.earliest if keep_date else None, earliest_note=p.earliest_note if keep_date else None,
            unassessed_low=float(sum(i.low for i in open_items)),
            unassessed_high=float(sum(i.high for i in open_items)),
            needs=[self.label(n) for n in needed], needed_inputs=needed,
        )  # fmt: skip

    def _item(self, item: IndicatorPoints, prefixes: dict[str, tuple[str, ...]]) -> IndicatorPoints:
        """A points item as is, or not assessed where it reads a missing fact (`prefixes`: each missing fact's input
        lines); an open group's parts likewise, so that a part never shows the value the fact was filled in with
        (城镇基本养老保险 0, 本市职工社会保险缴费时间：0 个月, for a person without a contribution history)."""
        parts = [self._item(part, prefixes) for part in item.parts]
        read = [f for f, prefix in prefixes.items() if any(i.startswith(prefix) for i in item.inputs)]
        if not read:
            return replace(item, parts=parts)
        inputs = [self._unknown_line(i, {f: prefixes[f] for f in read}) for i in item.inputs]
        needed = sorted({*item.needed_inputs, *read})
        return replace(
            item, points=None, low=-math.inf, high=math.inf, inputs=inputs,
            needs=[self.label(f) for f in needed], needed_inputs=needed, parts=parts,
        )  # fmt: skip

    def _unknown_line(self, line: str, prefixes: dict[str, tuple[str, ...]]) -> str:
        """An input line reading a missing fact said as unknown (the value it was filled in with is no one's), the
        insurance months as not uploaded; any other line as it is."""
        for fact, starts in prefixes.items():
            for start in starts:
                if line.startswith(start):
                    said = NOT_UPLOADED if fact in INSURANCE_MONTH_COLUMNS else NOT_GIVEN
                    return start + said["zh" if self.lang == "zh" else "en"]
        return line


def _status(pre_met: bool | None, low: float, high: float, line: float) -> str:
    """A scheme's status from its prerequisites and points range, as explain() words it."""
    if pre_met is False:
        return "prerequisites_not_met"
    if pre_met and low >= line:
        return "reached"
    if pre_met is not None and (high < line or low == high):
        return "not_reached"
    return "undetermined"
