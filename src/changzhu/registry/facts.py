"""Changing the facts the rules read about a registered person (the declared rule inputs), one named fact at a time.

A fact is checked against the inputs declared for the place the person lives in (changzhu.rules.person_inputs):
a category may be given by its code or, as a person file gives it, by its Chinese or English label; an unknown
name, a value of the wrong type or a category the input does not list is refused, naming the fact in Chinese and
English. A null value removes the fact: it becomes unknown again, never zero.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.registry.residents import fact_types
from changzhu.rules import person_inputs
from changzhu.rules.inputs import InputSpec
from changzhu.store import audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.checks import RegistryError, lock_person
from changzhu.store.resident_models import MAX_STORED_DATES, Fact, LedgerTransactionRow, PersonAttributeRow
from changzhu.store.txn import Operation, Outcome, new_key, run_operation
from changzhu.tables.person import CATEGORIES
from changzhu.tables.schema import Category, category_words
from changzhu.tables.vocab import dates_value


class InvalidFact(RegistryError):
    """A fact that is not a declared input of the person's place, or a value it cannot hold."""

    http_status = 422

    def __init__(self, fact: str, reason_zh: str, reason_en: str, label_zh: str | None = None) -> None:
        self.fact, self.reason_zh, self.reason_en = fact, reason_zh, reason_en
        shown = f"{label_zh}（{fact}）" if label_zh else fact
        super().__init__(
            refusal(RefusalCode.FACT_REFUSED, fact_zh=shown, fact_en=fact, reason_zh=reason_zh, reason_en=reason_en)
        )


TYPE_ZH = {
    "bool": "是或否（true/false）",
    "integer": "整数",
    "number": "数值",
    "months": "整月数",
    "date": "日期（YYYY-MM-DD）",
    "dates": "日期列表（YYYY-MM-DD，以 ; 分隔）",
    "category": "可选值之一",
    "categories": "可选值的列表",
    "region": "地区代码",
}

TYPE_EN = {
    "bool": "yes or no (true/false)",
    "integer": "whole number",
    "number": "number",
    "months": "whole number of months",
    "date": "date (YYYY-MM-DD)",
    "dates": "list of dates (YYYY-MM-DD, separated by ;)",
    "category": "one of the choices",
    "categories": "list of the choices",
    "region": "region code",
}


def _not_listed(spec: InputSpec, value: str) -> InvalidFact:
    allowed = "、".join(f"{c.code}（{c.label_zh}）" for c in spec.categories)
    codes = ", ".join(c.code for c in spec.categories)
    return InvalidFact(spec.name, f"{value} 不在可选值之中：{allowed}", f"{value} is not one of {codes}", spec.label_zh)


def _as_codes(spec: InputSpec, value: object) -> object:
    """A category (or each of a set) given by its Chinese or English label (本科, "rented home"), a name of a slash
    label (中级工 of 四级/中级工) or a synonym as a person file reads it, as its code; anything else as given (a code,
    or a word refused after)."""
    listed = CATEGORIES.get(spec.name) or tuple(Category(c.code, c.label_zh, c.label_en) for c in spec.categories)
    words = category_words(listed)
    if spec.type == "category" and isinstance(value, str):
        return words.get(value.strip().lower(), value)
    if spec.type == "categories" and isinstance(value, list):
        return [words.get(v.strip().lower(), v) if isinstance(v, str) else v for v in value]
    return value


def _typed(spec: InputSpec, dtype: pl.DataType, value: object) -> Fact | None:
    """The value read as the input's type; InvalidFact naming the fact otherwise."""
    if value is None:
        return None
    if spec.categories:
        value = _as_codes(spec, value)
    if spec.type == "dates":
        dates = dates_value(value)
        if isinstance(dates, Refusal):
            raise InvalidFact(
                spec.name, f"{value!r} 不是{TYPE_ZH['dates']}：{dates.zh}", f"{value!r}: {dates.en}", spec.label_zh
            )
        if len(dates) > MAX_STORED_DATES:
            raise InvalidFact(
                spec.name,
                f"最多保存 {MAX_STORED_DATES} 个日期",
                f"the registry keeps at most {MAX_STORED_DATES} dates",
                spec.label_zh,
            )
        return dates
    try:
        typed = pl.Series(spec.name, [value]).cast(dtype, strict=True)
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError, TypeError) as exc:
        if spec.categories:
            raise _not_listed(spec, str(value)) from exc
        raise InvalidFact(
            spec.name, f"{value!r} 不是{TYPE_ZH[spec.type]}", f"{value!r} is not a {TYPE_EN[spec.type]}", spec.label_zh
        ) from exc
    if isinstance(typed.dtype, pl.Enum):
        typed = typed.cast(pl.String)
    read = typed.to_list()[0]
    codes = {c.code for c in spec.categories}
    chosen = read if isinstance(read, list) else [read] if spec.type == "category" else []
    unknown = [c for c in chosen if codes and c not in codes]
    if unknown:
        raise _not_listed(spec, unknown[0])
    if spec.type == "months" and isinstance(read, int) and read < 0:
        raise InvalidFact(spec.name, "月数不能为负", "months cannot be negative", spec.label_zh)
    if isinstance(read, bool | int | float | str | date | list):
        return read
    raise InvalidFact(spec.name, f"{value!r} 无法读取", f"{value!r} cannot be read", spec.label_zh)


def check_facts(residence_region: str, facts: dict[str, object]) -> dict[str, Fact | None]:
    """Each fact read as the input its name declares where the person lives (None: make it unknown)."""
    declared = {s.name: s for s in person_inputs(residence_region)}
    stored = fact_types()
    clean: dict[str, Fact | None] = {}
    for name, value in facts.items():
        spec = declared.get(name)
        if spec is None or name not in stored:
            raise InvalidFact(
                name,
                f"不是 {residence_region} 适用规则声明的、由登记保存的输入项",
                f"not an input the rules of {residence_region} declare and the registry keeps as given",
            )
        clean[name] = _typed(spec, stored[name], value)
    return clean


def update_facts(
    engine: Engine, person_key: str, facts: dict[str, object], *, actor: str, key: str | None = None
) -> dict[str, object]:
    """Set (or, with null, remove) facts of a person in one transaction; returns what was set and removed."""

    def apply(session: Session, _txn: LedgerTransactionRow) -> Outcome:
        person = lock_person(session, person_key)
        clean = check_facts(person.residence_region, facts)
        names = sorted(clean)
        session.execute(
            delete(PersonAttributeRow).where(
                PersonAttributeRow.person_id == person.id, PersonAttributeRow.name.in_(names)
            )
        )
        session.add_all(PersonAttributeRow.of(person.id, n, v) for n, v in clean.items() if v is not None)
        removed = [n for n in names if clean[n] is None]
        result: dict[str, object] = {"person_key": person_key, "set": [n for n in names if n not in removed]}
        return Outcome({**result, "removed": removed}, audit_subjects.person(person_key), {"facts": names})

    request = {"person": person_key, "facts": {k: facts[k] for k in sorted(facts)}}
    return run_operation(
        engine, Operation("facts.update", key or new_key("facts"), request, actor, because("facts_update")), apply
    )
