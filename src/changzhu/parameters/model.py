"""A dated, sourced number: the one model of every parameter (rules, standards, costs, fiscal, projection, registry).

A parameter entry in YAML (policy files and the parameter tree use the same form)::

    registry.residence_permit.min_months:
      unit: months
      description: months of residence before a residence permit can be issued
      label: {zh: 居住证申领所需居住月数, en: Months of residence before a residence permit}
      values:
        - since: 2016-01-01
          value: 6
          source: 《居住证暂行条例》(国务院令第663号) 第二条
          verified: true

A value's `source` is a citation of a Chinese document, one string shown as written in both languages (the
document's title is its name), or a text in two languages, `{zh: ..., en: ...}`: the project's own remark
(本项目设定…, 模型假设…) or anything else an English reader must not see in Chinese. `cited(source, source_en,
lang)` is the one place that picks what a reader of a language sees (the API, the CLI, the reports, explanations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from changzhu.domain.dates import read_written_date
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import Refusal, RefusalCode, listed, refusal
from changzhu.domain.units import unit_word
from changzhu.parameters.errors import ParameterError

UNITS = (
    "months",
    "years",
    "yuan",
    "points",
    "bool",
    "count",
    "ratio",
    "coefficient",
    "per_thousand",
    "km",
    "square_metres",
    "people",
    "number",
)
NON_NEGATIVE_UNITS = (
    "months",
    "years",
    "yuan",
    "count",
    "coefficient",
    "per_thousand",
    "km",
    "square_metres",
    "people",
)


def cited(source: str, source_en: str, lang: Lang | str) -> str:
    """A source as a reader of `lang` sees it: its English where it has one (a remark of the project given in two
    languages), else as written (a citation of a Chinese document: its title, in both languages)."""
    return source_en if lang == Lang.EN and source_en else source


@dataclass(frozen=True)
class DatedValue:
    """A parameter value in force from `since` until the next value, with its source (document, article) and the
    source's English where it is given in two languages (`source_en`, empty for a citation shown as written)."""

    since: date
    value: Any
    source: str
    verified: bool
    note: str | None = None
    source_en: str = ""

    def cited(self, lang: Lang | str) -> str:
        """The source as a reader of `lang` sees it (`cited`)."""
        return cited(self.source, self.source_en, lang)


@dataclass(frozen=True)
class Parameter:
    """A named, dated parameter defined by one jurisdiction (000000 national, a province or a city)."""

    key: str
    unit: str
    description: str
    values: tuple[DatedValue, ...]
    jurisdiction: str
    label_zh: str = ""
    label_en: str = ""

    def at(self, on: date) -> DatedValue | None:
        """The value in force on `on` (the latest one whose `since` is not after it)."""
        in_force = [v for v in self.values if v.since <= on]
        return max(in_force, key=lambda v: v.since) if in_force else None


def as_date(raw: Any, where: str) -> date:
    """A date from YAML (a date or an ISO string); ParameterError naming `where` otherwise (with the date written
    YYYY-MM-DD where it is one written another way, 2024/1/1 or 2024年1月1日)."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ParameterError(where, not_a_date(raw)) from exc


def not_a_date(raw: Any) -> Refusal:
    """Why a value of a YAML file is not a date: the ISO form to write where it is a date written otherwise."""
    written = read_written_date(str(raw))
    if written is None:
        return refusal(RefusalCode.POLICY_NOT_A_DATE, value=repr(raw))
    return refusal(RefusalCode.POLICY_DATE_WRITE_AS, value=repr(raw), iso=written.isoformat())


def _only(raw: Any, allowed: set[str], where: str) -> None:
    if not isinstance(raw, dict):
        raise ParameterError(where, refusal(RefusalCode.POLICY_NOT_A_MAPPING))
    unknown = sorted(set(raw) - allowed)
    if unknown:
        why = refusal(
            RefusalCode.POLICY_UNKNOWN_FIELDS, **listed("unknown", unknown), **listed("allowed", sorted(allowed))
        )
        raise ParameterError(where, why)


def _req(raw: dict[str, Any], key: str, where: str) -> Any:
    if key not in raw:
        raise ParameterError(where, refusal(RefusalCode.POLICY_MISSING_FIELD, field=key))
    return raw[key]


def in_unit(unit: str) -> dict[str, str]:
    """The refusal parameters that say a value's unit in words ("（单位：元）", " (in yuan)"; nothing for a plain
    number): `in_unit_zh`, `in_unit_en`."""
    zh, en = unit_word(unit, Lang.ZH), unit_word(unit, Lang.EN)
    return {"in_unit_zh": f"（单位：{zh}）" if zh else "", "in_unit_en": f" (in {en})" if en else ""}


def check_value(unit: str, value: Any, where: str) -> None:
    """A bool for a bool parameter, a finite number otherwise, not negative for counts, money and durations, and
    between 0 and 1 for a share (ratio: 5% is 0.05, so a "5" typed for 5% is refused, never saved as 500%)."""
    if unit == "bool":
        if not isinstance(value, bool):
            raise ParameterError(where, refusal(RefusalCode.PARAMETER_NOT_BOOL, value=repr(value)))
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_NOT_NUMBER, value=repr(value), **in_unit(unit)))
    if value < 0 and unit in NON_NEGATIVE_UNITS:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_NEGATIVE, value=repr(value), **in_unit(unit)))
    if unit == "ratio" and not 0 <= value <= 1:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_SHARE_RANGE, value=repr(value)))


def parse_label(raw: Any, where: str, what: str = "label") -> tuple[str, str]:
    """A parameter's name shown to people (or another text `what`), `{zh: ..., en: ...}` (both or neither; absent:
    two empty strings)."""
    if raw is None:
        return "", ""
    _only(raw, {"zh", "en"}, where)
    zh, en = (str(_req(raw, lang, where)).strip() for lang in ("zh", "en"))
    if not zh or not en:
        why = refusal(RefusalCode.POLICY_LABEL_BOTH, what=what, form="{zh: ..., en: ...}")
        raise ParameterError(where, why)
    return zh, en


def parse_source(raw: Any, where: str) -> tuple[str, str]:
    """A source: one string (a citation shown as written in both languages; English empty) or `{zh: ..., en: ...}`
    (each language its own text, both given)."""
    if isinstance(raw, dict):
        return parse_label(raw, where, "source")
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_SOURCE))
    return text, ""


def parse_parameter(key: str, raw: Any, jurisdiction: str, where: str | None = None) -> Parameter:
    """A parameter entry: unit, description, label {zh, en}, values [{since, value, source, verified, note}]."""
    where = where or f"parameters.{key}"
    _only(raw, {"unit", "description", "label", "values"}, where)
    unit = _req(raw, "unit", where)
    if unit not in UNITS:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_UNIT, unit=repr(unit), units=str(UNITS)))
    items = _req(raw, "values", where)
    if not isinstance(items, list) or not items:
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_NEEDS_VALUE))
    values = []
    for i, item in enumerate(items):
        w = f"{where}.values[{i}]"
        _only(item, {"since", "value", "source", "verified", "note"}, w)
        source, source_en = parse_source(_req(item, "source", w), f"{w}.source")
        value = _req(item, "value", w)
        check_value(unit, value, w)
        note = item.get("note")
        values.append(
            DatedValue(
                as_date(_req(item, "since", w), w),
                value,
                source,
                bool(item.get("verified", False)),
                str(note) if note is not None else None,
                source_en,
            )
        )
    dates = [v.since for v in values]
    if len(set(dates)) != len(dates):
        raise ParameterError(where, refusal(RefusalCode.PARAMETER_SAME_DATE))
    label_zh, label_en = parse_label(raw.get("label"), f"{where}.label")
    return Parameter(
        key,
        unit,
        str(raw.get("description", "")),
        tuple(sorted(values, key=lambda v: v.since)),
        jurisdiction,
        label_zh,
        label_en,
    )
