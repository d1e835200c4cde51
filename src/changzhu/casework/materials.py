"""The materials list (材料清单) of an application: the inputs of the person table its rule reads, with labels.

A rule reads variables (`changzhu.rules.variables`); a core variable is computed from one or more columns of
the person table, a declared input is its own column. The list names those columns, as `person_inputs` labels
them, for the city whose rules decide (a county's: its city's). A points application (积分落户) reads the facts its
city's points scheme scores: each material says which points items (indicators, and the scheme's prerequisites) it
supports, in the scheme's own words. The list names facts to prove; it scores nothing, so a fact not yet proved is
unknown, never 0 points.
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.casework.applications import KIND_SERVICE, ApplicationKind
from changzhu.rules import person_inputs
from changzhu.rules.catalog import ResolvedPolicy, policies_in_use, resolve
from changzhu.rules.conditions import Condition, Label, PointsCondition, ServiceCondition
from changzhu.rules.engine import reads_of
from changzhu.rules.indicators import Indicator
from changzhu.tables.vocab import shipped_region_index

# the core columns each core variable is computed from (changzhu.rules.frame); a declared input is its own column
VARIABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "age": ("birth_date",),
    "residence": ("residence_since",),
    "residence_recognised": ("residence_since", "prior_region", "prior_residence_months"),
    "permit": ("residence_permit_since",),
    "si_local": ("si_months_local", "employed"),
    "si_total": ("si_months_total", "employed"),
    "si_recognised": ("si_months_local", "prior_region", "prior_si_months", "employed"),
    "medical_local": ("medical_months_local", "employed"),
    "hukou_local": ("hukou_region",),
    "hukou_other_province": ("hukou_region",),
    "parent_same_region": ("parent_id", "parent_lives_here"),
    "city_size_class": ("residence_region",),
}


PREREQUISITE: Label = ("积分申请条件：", "points prerequisite: ")  # before a prerequisite's own label


@dataclass(frozen=True)
class Material:
    """One item of the list: the input's name, its labels, whose it is (the applicant's or the parent's) and the
    points items it supports ((zh, en) each; none outside a points scheme)."""

    input: str
    label_zh: str
    label_en: str
    of: str  # self or parent
    supports: tuple[Label, ...] = ()

    def to_dict(self) -> dict[str, str | list[str]]:
        """Plain JSON: the points items as `supports_zh` and `supports_en`."""
        return {
            "input": self.input,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "of": self.of,
            "supports_zh": [zh for zh, _ in self.supports],
            "supports_en": [en or zh for zh, en in self.supports],
        }


def _items(indicator: Indicator, within: Label | None = None) -> list[tuple[Indicator, Label]]:
    """The scoring items under an indicator, each with its label (a part of a group, "合法稳定住所 — 合法产权住所":
    the group's words first, since a part's own, 城镇基本养老保险, says little alone)."""
    label = (
        indicator.label
        if within is None
        else (f"{within[0]} — {indicator.label[0]}", f"{within[1]} — {indicator.label[1]}")
    )
    parts = indicator.parts()
    if not parts:
        return [(indicator, label)]
    return [item for part in parts for item in _items(part, label)]


def points_items(policy: ResolvedPolicy, node: Condition, of: str = "self") -> dict[tuple[str, str], list[Label]]:
    """Per (variable, whose) a rule tree's points schemes read, the points items it supports: each scoring
    indicator's label, and each prerequisite's (marked as one), through the services the tree uses."""
    out: dict[tuple[str, str], list[Label]] = {}

    def add(names: frozenset[str], whose: str, label: Label) -> None:
        for name in sorted(names):
            out.setdefault((name, whose), []).append(label)

    for part in node.walk():
        whose = "parent" if of == "parent" or getattr(part, "of", "self") == "parent" else "self"
        if isinstance(part, ServiceCondition) and part.service in policy.services:
            for key, labels in points_items(policy, policy.services[part.service].rule, whose).items():
                out.setdefault(key, []).extend(labels)
        if not isinstance(part, PointsCondition) or part.scheme not in policy.schemes:
            continue
        scheme = policy.schemes[part.scheme]
        for cond in scheme.prerequisites.walk() if scheme.prerequisites is not None else []:
            if not cond.children():
                add(cond.reads(), whose, (PREREQUISITE[0] + cond.label[0], PREREQUISITE[1] + cond.label[1]))
        for indicator in scheme.indicators:
            for item, label in _items(indicator):
                add(item.reads(), whose, label)
    return out


def materials(kind: ApplicationKind, region: str) -> list[Material]:
    """The inputs the rule of `kind` reads where `region` (a county: its city's rules; a city; a province; or 000000)
    decides, in input order, each with the points items it supports."""
    city = shipped_region_index().city_of.get(region, region)  # a resident's county: the rules are its city's
    policies = policies_in_use()
    policy = resolve(policies, policies.chain_for(city), None)
    rule = policy.services.get(KIND_SERVICE[kind])
    if rule is None:
        return []
    wanted: dict[tuple[str, str], list[Label]] = {}
    items = points_items(policy, rule.rule)
    for variable, of in sorted(reads_of(policy, rule.rule)):
        for column in VARIABLE_COLUMNS.get(variable, (variable,)):
            supported = wanted.setdefault((column, of), [])
            supported.extend(label for label in items.get((variable, of), []) if label not in supported)
    specs = person_inputs(None if city == "000000" else city, policies=policies)
    return [
        Material(spec.name, spec.label_zh, spec.label_en, of, tuple(wanted[(spec.name, of)]))
        for of in ("self", "parent")
        for spec in specs
        if (spec.name, of) in wanted
    ]
