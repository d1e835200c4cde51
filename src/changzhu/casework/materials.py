"""The materials list (材料清单) of an application: the inputs of the person table its rule reads, with labels.

A rule reads variables (`changzhu.rules.variables`); a core variable is computed from one or more columns of
the person table, a declared input is its own column. The list names those columns, as `person_inputs` labels
them, for the jurisdiction whose rules decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.casework.applications import KIND_SERVICE, ApplicationKind
from changzhu.rules import person_inputs
from changzhu.rules.catalog import policies_in_use, resolve
from changzhu.rules.engine import reads_of

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


@dataclass(frozen=True)
class Material:
    """One item of the list: the input's name, its labels, and whose it is (the applicant's or the parent's)."""

    input: str
    label_zh: str
    label_en: str
    of: str  # self or parent

    def to_dict(self) -> dict[str, str]:
        """Plain JSON."""
        return {"input": self.input, "label_zh": self.label_zh, "label_en": self.label_en, "of": self.of}


def materials(kind: ApplicationKind, region: str) -> list[Material]:
    """The inputs the rule of `kind` reads where `region` (a prefecture code, or 000000) decides, in input order."""
    policies = policies_in_use()
    policy = resolve(policies, policies.chain_for(region), None)
    rule = policy.services.get(KIND_SERVICE[kind])
    if rule is None:
        return []
    wanted: dict[tuple[str, str], None] = {}
    for variable, of in sorted(reads_of(policy, rule.rule)):
        for column in VARIABLE_COLUMNS.get(variable, (variable,)):
            wanted[(column, of)] = None
    specs = person_inputs(None if region == "000000" else region, policies=policies)
    return [
        Material(spec.name, spec.label_zh, spec.label_en, of)
        for of in ("self", "parent")
        for spec in specs
        if (spec.name, of) in wanted
    ]
