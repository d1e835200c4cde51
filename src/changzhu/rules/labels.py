"""Chinese and English labels of the rules' core variables and their categories, for explanations and schemas
(the person columns' own labels are domain/person.py's), and the one picker of a (zh, en) label's text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from changzhu.domain.person import CORE_CATEGORY_LABELS, CORE_LABELS_EN, CORE_LABELS_ZH, INSURANCE_MONTH_COLUMNS
from changzhu.domain.units import unit_word
from changzhu.rules.parents import PARENT_FACTS

_CATEGORY_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    **CORE_CATEGORY_LABELS,
    "city_size_class": {
        "small": ("小城市", "small city"),
        "medium": ("中等城市", "medium city"),
        "large_ii": ("II型大城市", "large city (type II)"),
        "large_i": ("I型大城市", "large city (type I)"),
        "mega": ("特大城市", "megacity"),
        "super": ("超大城市", "super city"),
    },
}

# The variables the rules derive (a core column's variable is labelled as the column, domain/person.py).
_VARIABLE_LABELS: dict[str, tuple[str, str]] = {
    "age": ("年龄", "age"),
    "residence": ("在本市连续居住时间", "continuous residence here"),
    "residence_recognised": ("居住时间（含互认）", "residence, with recognised months"),
    "permit": ("持居住证时间", "time holding a residence permit"),
    "si_local": ("本市职工社会保险缴费时间", "social insurance paid here"),
    "si_total": ("累计职工社会保险缴费时间", "social insurance paid anywhere"),
    "si_recognised": ("社会保险缴费时间（含互认）", "social insurance, with recognised months"),
    "medical_local": ("本市基本医疗保险时间", "basic medical insurance here"),
    "hukou_local": ("户籍在本市", "hukou here"),
    "hukou_other_province": ("户籍在外省", "hukou in another province"),
    "parent_same_region": ("父母一方在本市居住", "a parent lives here"),
    "city_size_class": ("城市规模", "city size class"),
}


def category_labels(variable: str, code: str) -> tuple[str, str]:
    """(zh, en) of a core variable's category code; the code itself when none is known."""
    return _CATEGORY_LABELS.get(variable, {}).get(code, (code, code))


def variable_labels(variable: str) -> tuple[str, str]:
    """(zh, en) of a core variable: a derived one's, else the person column's of that name."""
    if variable in _VARIABLE_LABELS:
        return _VARIABLE_LABELS[variable]
    if variable in CORE_LABELS_ZH:
        return CORE_LABELS_ZH[variable], CORE_LABELS_EN[variable]
    return variable, variable.replace("_", " ")


def amount_text(amount: float, unit: str, lang: str) -> str:
    """An amount with its unit's word in Chinese (zh) or English (en): `5200 元/月`, `5200 yuan a month` (the words:
    changzhu.domain.units; a unit without one, a ratio or a count, as a bare number; a declared input's free-text
    unit not listed there as written)."""
    word = unit_word(unit, lang)
    if not word:
        return f"{amount:g}"
    return f"{amount:g}{word}" if word == "‰" else f"{amount:g} {word}"


def pick_label(label: tuple[str, str], lang: str, fallback: str = "") -> str:
    """A (zh, en) label's text in `lang` (zh, else en): English falls back to the Chinese where it is empty, and
    `fallback` is given when both are."""
    zh, en = label
    return (zh if lang == "zh" else en or zh) or fallback


class _Labelled(Protocol):
    def label(self, lang: str = "zh") -> str: ...


def fact_labels(variables: Mapping[str, _Labelled], lang: str) -> dict[str, str]:
    """The labels, in `lang`, of the facts a decision may need (needs_<service>): the rules' variables, the
    person columns that settle an unknown parent (changzhu.rules.parents.PARENT_FACTS) and the insurance months."""
    out = {name: spec.label(lang) for name, spec in variables.items()}
    for name in (*PARENT_FACTS, *INSURANCE_MONTH_COLUMNS):  # (months: a registry without their records lacks them)
        zh, en = variable_labels(name)
        out[name] = en if lang == "en" else zh
    return out
