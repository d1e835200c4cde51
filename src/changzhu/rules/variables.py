"""The person variables a rule may test, and how each is read from the person table.

Clock variables count whole months and grow with time (age, months lived, months insured, declared months
inputs); a rule written in
years is compared as months × 12 in whole years (每满1年). Other variables do not change "if nothing else
changes": booleans, categories and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, PERSON_COLUMNS, SEXES, TITLE_LEVELS
from changzhu.domain.regions import CitySizeClass
from changzhu.rules.labels import category_labels, variable_labels

if TYPE_CHECKING:
    from changzhu.rules.inputs import InputSpec

VariableKind = Literal["clock", "bool", "category", "number", "date", "dates", "set"]
CITY_SIZE_ORDER = [c.value for c in CitySizeClass][::-1]  # small … super, smallest first


@dataclass(frozen=True)
class VariableSpec:
    """A variable rules can test: its kind, unit, categories (for category variables) and meaning."""

    name: str
    kind: VariableKind
    doc: str
    categories: tuple[str, ...] = ()
    nullable: bool = False  # may be unknown for a person (null in the table)
    duration: bool = False  # a number of whole months (a rule may compare it in years)
    declared: bool = False  # declared by a jurisdiction's `inputs:` (not a core variable)
    labels: tuple[str, str] = ("", "")  # (zh, en) of a declared input
    category_labels: tuple[tuple[str, str], ...] = ()  # (zh, en) of each category of a declared input
    grows: str = ""  # a declared months input: how it goes on (changzhu.rules.inputs.InputSpec.grows)
    unit: str = ""  # a number's unit (the person column's or the declared input's), shown with its amounts

    def category_label(self, code: str, lang: str = "zh") -> str:
        """A category code's label in Chinese (zh) or English (en)."""
        if self.declared and code in self.categories:
            zh, en = self.category_labels[self.categories.index(code)]
        else:
            zh, en = category_labels(self.name, code)
        return en if lang == "en" else zh

    def label(self, lang: str = "zh") -> str:
        """The variable's label in Chinese (zh) or English (en)."""
        zh, en = self.labels if self.declared else variable_labels(self.name)
        return en if lang == "en" else zh


_SPECS = (
    VariableSpec("age", "clock", "age in whole months since birth_date"),
    VariableSpec("residence", "clock", "whole months of continuous residence in residence_region"),
    VariableSpec(
        "residence_recognised",
        "clock",
        "months of residence here plus months in prior_region recognised by an agglomeration agreement (互认)",
    ),
    VariableSpec(
        "permit",
        "clock",
        "whole months holding a residence permit (居住证); -1 without one (grows from the date one can be had)",
    ),
    VariableSpec("si_local", "clock", "employee social-insurance months paid here (grows while employed)"),
    VariableSpec("si_total", "clock", "employee social-insurance months paid anywhere (grows while employed)"),
    VariableSpec(
        "si_recognised",
        "clock",
        "social-insurance months here plus prior_region months recognised by an agglomeration agreement",
    ),
    VariableSpec("medical_local", "clock", "basic medical insurance months here (grows while employed)"),
    VariableSpec("hukou_local", "bool", "hukou (户籍) is in residence_region"),
    VariableSpec("hukou_other_province", "bool", "hukou is in another province than residence_region"),
    VariableSpec("employed", "bool", "in legal, stable employment (合法稳定就业)"),
    VariableSpec("criminal_record", "bool", "has a criminal record"),
    VariableSpec(
        "parent_same_region",
        "bool",
        "a linked parent lives in the same region; without one, parent_lives_here (null: unknown)",
        nullable=True,
    ),
    VariableSpec("sex", "category", "F or M", tuple(SEXES)),
    VariableSpec("education", "category", "highest education completed", tuple(EDUCATION_LEVELS)),
    VariableSpec("housing", "category", "housing tenure", tuple(HOUSING_TENURES)),
    VariableSpec(
        "professional_title",
        "category",
        "vocational qualification / title (null: unknown)",
        tuple(TITLE_LEVELS),
        nullable=True,
    ),
    VariableSpec("city_size_class", "category", "size class of residence_region", tuple(CITY_SIZE_ORDER)),
    VariableSpec("income_per_capita_month", "number", "household income per head, yuan per month"),
    VariableSpec(
        "admin_detentions", "number", "administrative detentions in the last 5 years (null: unknown)", nullable=True
    ),
    VariableSpec(
        "si_base_ratio", "number", "social-insurance base over the city average wage (null: unknown)", nullable=True
    ),
)
_COLUMN_UNITS = {c.name: c.unit for c in PERSON_COLUMNS}
# A number variable read from a person column has the column's unit (income_per_capita_month: yuan/month).
VARIABLES: dict[str, VariableSpec] = {
    v.name: replace(v, unit=_COLUMN_UNITS.get(v.name, "")) if v.kind == "number" else v for v in _SPECS
}


_DECLARED_KINDS: dict[str, VariableKind] = {
    "bool": "bool",
    "integer": "number",
    "number": "number",
    "months": "clock",
    "date": "date",
    "dates": "dates",
    "category": "category",
    "categories": "set",
}


def declared_variable(spec: InputSpec) -> VariableSpec:
    """The variable a declared input gives rules (always nullable: a missing value is unknown); a months input is
    a clock (it grows after the evaluation date as its `grows` says, like the insurance months)."""
    return VariableSpec(
        spec.name,
        _DECLARED_KINDS[spec.type],
        spec.label_en,
        tuple(c.code for c in spec.categories),
        nullable=True,
        duration=spec.type == "months",
        declared=True,
        labels=(spec.label_zh, spec.label_en),
        category_labels=tuple((c.label_zh, c.label_en) for c in spec.categories),
        grows=spec.grows,
        unit=spec.unit,
    )


def variable_table(declared: dict[str, InputSpec]) -> dict[str, VariableSpec]:
    """The core variables and the declared inputs' variables, by name."""
    return {**VARIABLES, **{name: declared_variable(spec) for name, spec in declared.items()}}
