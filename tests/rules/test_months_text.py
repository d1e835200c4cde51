"""Months with years in brackets, as explanations say them: "36 months (3y 0m)", "36 个月（3 年 0 个月）". The bracket
never breaks across lines (it wrapped inside its brackets on a phone until 2026-12-04): its spaces do not break."""

from __future__ import annotations

import re

import pytest

from changzhu.rules.conditions import _months_text


@pytest.mark.parametrize(("zh", "shown"), [(False, "36 months (3y 0m)"), (True, "36 个月（3 年 0 个月）")])
def test_the_years_in_brackets_stay_on_one_line(zh: bool, shown: str) -> None:
    text = _months_text(36, zh)
    assert text.replace("\u00a0", " ") == shown
    bracket = re.search(r"[（(].*[）)]", text)
    assert bracket is not None and not re.search(r"\s", bracket.group().replace("\u00a0", "")), repr(text)
    assert " " not in bracket.group(), repr(text)  # no breaking space inside


def test_months_under_a_year_have_no_bracket() -> None:
    assert _months_text(11, False) == "11 months" and _months_text(11, True) == "11 个月"
