"""One table of the core columns' category labels: the file reader, the rules' explanations and the office agree."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from changzhu.domain.person import CORE_CATEGORY_LABELS
from changzhu.rules import person_inputs
from changzhu.rules.labels import category_labels
from changzhu.tables.person import CATEGORIES, person_schema
from changzhu.tables.vocab import parse_category

LOCALES = Path(__file__).parents[2] / "frontend" / "src" / "locales"


def test_the_reader_and_the_rules_label_each_code_alike() -> None:
    for column, categories in CATEGORIES.items():
        assert {c.code: (c.zh, c.en) for c in categories} == CORE_CATEGORY_LABELS[column]
        for c in categories:
            assert category_labels(column, c.code) == (c.zh, c.en)


def test_the_office_shows_the_same_words() -> None:
    """The office's fact forms label categories with what GET /inputs gives (frontend/src/factFields.js), which is
    this table; its message files keep no copy of their own."""
    for region in (None, "440100"):
        given = {spec.name: spec for spec in person_inputs(region)}
        for column in ("education", "housing"):
            shown = {c.code: (c.label_zh, c.label_en) for c in given[column].categories}
            assert shown == CORE_CATEGORY_LABELS[column], f"{region} {column}"
    for lang in ("zh-CN", "en"):
        messages = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
        assert "education" not in messages and "housing" not in messages, lang


def test_a_spreadsheet_may_use_the_short_words_and_the_labels() -> None:
    column = next(c for c in person_schema().columns if c.name == "education")
    cells = ["博士", "博士研究生", "doctorate", "硕士", "高中", "本科", "博 士"]
    read = parse_category(pl.Series("学历", cells), column)
    assert read.values.to_list()[:6] == ["doctor", "doctor", "doctor", "master", "senior_secondary", "bachelor"]
    assert read.values.to_list()[6] is None
    assert "doctorate (博士研究生)" in str(read.refusals()[6])  # the allowed labels, en and zh


def test_codes_as_written_are_read_as_cell_by_cell() -> None:
    """A column of codes only is cast at once; a code padded, in capitals or empty, or a bad cell, is read cell by
    cell: the values and reasons are those of the cell-by-cell reading."""
    column = next(c for c in person_schema().columns if c.name == "education")
    codes = ["bachelor", "master", None, "doctor"]
    read = parse_category(pl.Series("education", codes), column)
    assert read.values.dtype == column.dtype() and read.values.to_list() == codes
    assert read.reasons.null_count() == len(codes)
    mixed = parse_category(pl.Series("education", [*codes, " master", "Doctor", "", "phd"]), column)
    assert mixed.values.to_list() == [*codes, "master", "doctor", None, None]
    assert mixed.reasons.to_list()[:7] == [None] * 7 and "not one of" in str(mixed.refusals()[7])
