"""The person variables a rule may test, and how each is read from the person table.

Clock variables count whole months and grow with time (age, months lived, months insured); a rule written in
years is compared as months × 12 in whole years (每满1年). Other variables do not change "if nothing else
changes": booleans, categories and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from changzhu.domain.person import EDUCATION_LEVELS, HOUSING_TENURES, SEXES, TITLE_LEVELS
from changzhu.domain.regions import CitySizeClass

VariableKind = Literal["clock", "bool", "category", "number"]
CITY_SIZE_ORDER = [c.value for c in CitySizeClass][::-1]  # small … super, smallest first


@dataclass(frozen=True)
class VariableSpec:
    """A variable rules can test: its kind, unit, categories (for category variables) and meaning."""

    name: str
    kind: VariableKind
    doc: str
    categories: tuple[str, ...] = ()


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
    VariableSpec("parent_same_region", "bool", "a parent is in the table and lives in the same region"),
    VariableSpec("sex", "category", "F or M", tuple(SEXES)),
    VariableSpec("education", "category", "highest education completed", tuple(EDUCATION_LEVELS)),
    VariableSpec("housing", "category", "housing tenure", tuple(HOUSING_TENURES)),
    VariableSpec("professional_title", "category", "vocational qualification / title", tuple(TITLE_LEVELS)),
    VariableSpec("city_size_class", "category", "size class of residence_region", tuple(CITY_SIZE_ORDER)),
    VariableSpec("income_per_capita_month", "number", "household income per head, yuan per month"),
    VariableSpec("admin_detentions", "number", "administrative detentions in the last 5 years"),
    VariableSpec("si_base_ratio", "number", "social-insurance base over the city average wage (null: unknown)"),
)
VARIABLES: dict[str, VariableSpec] = {v.name: v for v in _SPECS}
