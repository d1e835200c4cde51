"""The materials list (材料清单) of an application: the inputs of the person table its rule reads, with labels.

A rule reads variables (`changzhu.rules.variables`); a core variable is computed from one or more columns of
the person table, a declared input is its own column. The list names those columns, as `person_inputs` labels
them, for the city whose rules decide (a county's: its city's). A points application (积分落户) reads the facts its
city's points scheme scores: each material says which points items (indicators, and the scheme's prerequisites) it
supports, in the scheme's own words. The list scores nothing, so a fact not yet proved is unknown, never 0 points.

Each item is named as the document a resident brings (社会保险缴费证明, not 在常住地缴纳职工社会保险月数): a core
column's from its city's policy file where the city's published list of materials names its own (`document:` and
`source:` under `inputs:`, the core column's name), else from DOCUMENTS; a city's own input's from its policy file
(`document:` beside its `label:`); where none names one the document is unknown (`document_zh`/`document_en` null),
and the list says to ask the office which, rather than guess, with the fact it proves.
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.casework.applications import KIND_SERVICE, ApplicationKind
from changzhu.rules import person_inputs
from changzhu.rules.catalog import ResolvedPolicy, policies_in_use, resolve
from changzhu.rules.conditions import Condition, Label, PointsCondition, ServiceCondition
from changzhu.rules.engine import reads_of
from changzhu.rules.indicators import Indicator
from changzhu.rules.inputs import InputSpec
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


# the document a resident brings to prove each core column of the person table, (zh, en): the national documents
# these facts are recorded from; a city whose published list names another sets its own in its policy file
# (`inputs: {housing: {document: ..., source: ...}}`, docs/policies.md). `employed` and `housing` follow the
# national 《居住证暂行条例》（国务院令第663号）第九条 (就业证明, 居住地住址证明), read 2026-12-04 as reproduced at
# http://lwstw.com/liuxuezixunxinxi/5pr7sbtoh5.html and https://m.64365.com/ask/15732687.aspx (the official text
# was not at hand); the others are not checked against a published list (docs/applications.md, "Sources").
DOCUMENTS: dict[str, Label] = {
    "birth_date": ("居民身份证", "resident identity card"),
    "hukou_region": ("居民户口簿", "hukou booklet"),
    "residence_region": ("居住证或居住登记凭证", "residence permit or residence registration record"),
    "residence_since": ("居住证或居住登记凭证", "residence permit or residence registration record"),
    "residence_permit_since": ("居住证", "residence permit"),
    "prior_region": (
        "上一常住地的居住证或居住登记凭证",
        "residence permit or registration record of the previous city",
    ),
    "prior_residence_months": (
        "上一常住地的居住证或居住登记凭证",
        "residence permit or registration record of the previous city",
    ),
    "prior_si_months": ("上一常住地的社会保险缴费证明", "social insurance contribution record of the previous city"),
    "si_months_local": ("社会保险缴费证明", "social insurance contribution record"),
    "si_months_total": ("社会保险缴费证明", "social insurance contribution record"),
    "medical_months_local": ("医疗保险缴费证明", "medical insurance contribution record"),
    "employed": (
        "劳动合同、工商营业执照或用人单位出具的劳动关系证明",
        "employment contract, business licence or the employer's certificate of employment",
    ),
    "housing": (
        "房屋租赁合同、房屋产权证明文件、购房合同，或出租人、用人单位、就读学校出具的住宿证明",
        "tenancy contract, property ownership certificate, house purchase contract, or a certificate of lodging from"
        " the landlord, employer or school",
    ),
    "education": ("学历证书", "diploma or degree certificate"),
    "criminal_record": ("无犯罪记录证明", "certificate of no criminal record"),
    "admin_detentions": ("公安机关出具的违法犯罪记录证明", "police certificate of offence records"),
    "professional_title": ("职业资格证书或职称证书", "vocational qualification or professional title certificate"),
    "income_per_capita_month": ("家庭收入证明", "household income statement"),
    "parent_id": ("居民户口簿或出生医学证明（亲子关系）", "hukou booklet or birth certificate (parentage)"),
    "parent_lives_here": ("父母一方的居住证或居住登记凭证", "a parent's residence permit or registration record"),
}
PREREQUISITE: Label = ("积分申请条件：", "points prerequisite: ")  # before a prerequisite's own label


@dataclass(frozen=True)
class Material:
    """One item of the list: the input's name, its labels (the fact it proves), whose it is (the applicant's or the
    parent's), the points items it supports ((zh, en) each; none outside a points scheme) and the document that
    proves it (None: no file names it, unknown)."""

    input: str
    label_zh: str
    label_en: str
    of: str  # self or parent
    supports: tuple[Label, ...] = ()
    document: Label | None = None

    def to_dict(self) -> dict[str, str | list[str] | None]:
        """Plain JSON: the points items as `supports_zh` and `supports_en`, the document as `document_zh` and
        `document_en` (null both when unknown)."""
        return {
            "input": self.input,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "document_zh": None if self.document is None else self.document[0],
            "document_en": None if self.document is None else self.document[1],
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


def document_of(spec: InputSpec) -> Label | None:
    """The document that proves an input: its city's `document:` (a city's own input's, or a core column's where
    the city's list names its own), else a core column's national one (DOCUMENTS); None where none names one
    (unknown, never a guess)."""
    if spec.document_zh:
        return (spec.document_zh, spec.document_en or spec.document_zh)
    return DOCUMENTS.get(spec.name) if spec.core else None


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
        Material(spec.name, spec.label_zh, spec.label_en, of, tuple(wanted[(spec.name, of)]), document_of(spec))
        for of in ("self", "parent")
        for spec in specs
        if (spec.name, of) in wanted
    ]
