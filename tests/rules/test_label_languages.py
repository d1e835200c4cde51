"""Every label and title of the shipped policies is shown in one language at a time: no English words on a
Chinese page, no Chinese on an English page (a one-string label takes its two languages from the glossary)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from changzhu.rules.inputs import core_inputs, parse_label
from changzhu.rules.label_glossary import GLOSSARY, english_only

POLICIES = Path(__file__).resolve().parents[2] / "src" / "changzhu" / "rules" / "policies" / "jurisdictions"
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _labels(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "title") and isinstance(value, str | dict):
                yield f"{where}.{key}", value
            yield from _labels(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _labels(value, f"{where}[{i}]")


def test_each_language_is_pure() -> None:
    mixed, written = [], set()
    for path in sorted(POLICIES.glob("*.yaml")):
        for where, raw in _labels(yaml.safe_load(path.read_text(encoding="utf-8")), path.name):
            zh, en = parse_label(raw, where)
            written.add(raw if isinstance(raw, str) else "")
            if ENGLISH_WORD.search(zh) or CJK.search(en):
                mixed.append(f"{where}: {zh} / {en}")
    assert mixed == []
    assert set(GLOSSARY) <= written, f"glossary entries no policy uses: {sorted(set(GLOSSARY) - written)}"


def test_core_inputs_english_without_chinese_glosses() -> None:
    assert all(not CJK.search(spec.label_en) for spec in core_inputs())
    assert english_only("in legal, stable employment (合法稳定就业)") == "in legal, stable employment"
    assert english_only("previous city (for mutual recognition 互认)") == "previous city (for mutual recognition)"


def test_one_picker_gives_a_label_in_its_language_with_fallbacks() -> None:
    """rules.labels.pick_label, used by explanations and the decisions workbook: the language's text, the Chinese
    where the English is empty, the fallback (a scheme's or indicator's name) where both are."""
    from changzhu.rules.labels import pick_label

    assert pick_label(("积分", "points"), "zh") == "积分"
    assert pick_label(("积分", "points"), "en") == "points"
    assert pick_label(("积分", ""), "en") == "积分"
    assert pick_label(("", ""), "en", "shanghai_points") == "shanghai_points"
    assert pick_label(("", "points"), "zh", "shanghai_points") == "shanghai_points"


def test_every_unit_of_a_shipped_input_has_words_in_both_languages() -> None:
    # a unit the word table lacks is shown as written on both pages: 东莞's volunteer `hours` read "120 hours" on
    # the Chinese page
    from changzhu.domain.units import UNIT_WORDS, unit_word
    from changzhu.rules import person_inputs

    missing = sorted({s.unit for s in person_inputs() if s.unit and s.unit not in UNIT_WORDS})
    assert missing == []
    assert unit_word("hours", "zh") == "小时"


INTERNAL_REMARK = re.compile(r"占位|未经核实|未核实|placeholder|TODO|unverified|not verified", re.IGNORECASE)


def _shown_texts(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every label and title, and every category's words (a resident reads them as "学历：本科")."""
    yield from _labels(node, where)
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "categories" and isinstance(value, dict):
                yield from ((f"{where}.categories.{k}", v) for k, v in value.items())
            yield from _shown_texts(value, f"{where}.{key}") if key not in ("label", "title") else ()
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _shown_texts(value, f"{where}[{i}]")


def test_no_label_a_resident_reads_holds_an_internal_remark() -> None:
    """成都's scheme read "成都市居住证积分入户（占位分值，未经核实）" and "基础分 社保（占位：每满1年10分）" on the
    resident's page: a label says what is scored; an unchecked figure is the scheme's `verified: false`."""
    remarks = []
    for path in sorted(POLICIES.glob("*.yaml")):
        for where, raw in _shown_texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name):
            zh, en = parse_label(raw, where)
            if INTERNAL_REMARK.search(zh) or INTERNAL_REMARK.search(en):
                remarks.append(f"{where}: {zh} / {en}")
    assert remarks == []


def test_an_unchecked_scheme_says_so_as_data() -> None:
    """Whether a scheme's points were checked is its `verified:` (false by default, as a parameter value's), which
    the resident's page turns into one plain sentence."""
    from changzhu.rules.catalog import shipped_policies

    schemes = {s.name: s for j in shipped_policies().jurisdictions.values() for s in j.schemes.values()}
    assert schemes["chengdu_settlement_points"].verified is False
    assert not any(s.verified for s in schemes.values())  # no shipped table is checked against its city's text
