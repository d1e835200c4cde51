"""A fact's English label with its unit says each thing once: "Household income per head per month (yuan a
month)" said "month" twice on the facts screen until 2026-12-04."""

from __future__ import annotations

import re

from changzhu.domain.lang import Lang
from changzhu.domain.person import CORE_LABELS_EN, PERSON_COLUMNS
from changzhu.domain.units import unit_word


def test_the_income_label_does_not_repeat_its_unit() -> None:
    label = CORE_LABELS_EN["income_per_capita_month"]
    assert label == "household income per head"
    shown = f"{label} ({unit_word('yuan/month', Lang.EN)})"
    assert shown.count("month") == 1, shown


def test_no_money_label_repeats_its_period() -> None:
    for column in PERSON_COLUMNS:
        word = unit_word(column.unit, Lang.EN) if column.unit else ""
        if not word.startswith("yuan a "):
            continue
        period = word.removeprefix("yuan a ")
        assert not re.search(rf"\bper {period}\b", CORE_LABELS_EN[column.name]), column.name
