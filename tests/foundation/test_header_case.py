"""English headers are in sentence case (docs/architecture.md, "Conventions"): the first letter a capital, proper
nouns and acronyms kept. Until 2026-12-05 some read "resident population", others "Hospital beds", in one report."""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from changzhu.report.lang import Lang
from changzhu.report.tables import Column, count, html_table, text_frame
from changzhu.rules import labels

SRC = Path(__file__).resolve().parents[2] / "src" / "changzhu"
# the header tables (a column or a measure title a file, a report or the office heads a column with)
HEADER_TABLES = (
    "FILE_COLUMNS",
    "GAP_COLUMNS",
    "SITING_COLUMNS",
    "RUN_RECORD_COLUMNS",
    "SITING_RUN_COLUMNS",
    "RUN_COLUMNS",
    "REGISTRY_COLUMNS",
    "SUMMARY_COLUMNS",
    "RESULT_MEASURES",
    "ALLOCATION_LINES",
    "EQUITY_MEASURES",
    "PLANNING_MEASURES",
)
WORDS = {"counted": "residents", "per_1000": "beds per 1,000 residents", "capacity": "beds", "unit": "people"}
MODELS = ("p-median (least total distance)", "maximum covering")


def in_sentence_case(header: str) -> bool:
    """Whether an English header starts as the rule says: not with a small letter, unless with a case-sensitive
    symbol (p-median)."""
    return header.startswith("p-") or not header[:1].islower()


def _english(table: str) -> list[str]:
    """A table's English headers with their words filled in; one that starts with a word filled in ("{model}: new
    sites") capitalised as the code does once it is filled in (`heading`, report/siting_files.py)."""
    entries = getattr(labels, table)
    return [
        text[:1].upper() + text[1:] if entry[1].startswith("{") and not text.startswith("p-") else text
        for entry in entries.values()
        for model in MODELS
        for text in (entry[1].format(**WORDS, model=model),)
    ]


@pytest.mark.parametrize("table", HEADER_TABLES)
def test_every_header_table_is_in_sentence_case(table: str) -> None:
    wrong = sorted({h for h in _english(table) if not in_sentence_case(h)})
    assert wrong == [], f"{table}: {wrong}"


def _report_columns() -> list[tuple[str, int, str]]:
    """Every English header a report module writes as a literal in a Column(…) (a built one starts with its literal
    words: f"Existing {many}")."""
    found = []
    for path in sorted((SRC / "report").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Column" and len(node.args) >= 3:
                en = node.args[2]
                if isinstance(en, ast.JoinedStr) and en.values and isinstance(en.values[0], ast.Constant):
                    en = en.values[0]
                if isinstance(en, ast.Constant) and isinstance(en.value, str):
                    found.append((path.name, node.lineno, en.value))
    return found


def test_every_report_column_is_in_sentence_case() -> None:
    columns = _report_columns()
    assert len(columns) >= 40, columns  # the tables of the planning, siting, simulation and fiscal sections
    assert [c for c in columns if not in_sentence_case(c[2])] == []


def test_a_column_built_from_words_is_headed_in_sentence_case() -> None:
    """A header built from a lower-case word ("{many}", a service's facilities) starts with a capital all the same,
    in the report's table and in the terminal's."""
    frame = pl.DataFrame({"sites": [3.0]})
    column = Column("sites", "新建医院", "hospitals to build", count)
    assert "<th>Hospitals to build</th>" in html_table(frame, [column], Lang.EN)
    assert text_frame(frame, [column], Lang.EN).columns == ["Hospitals to build"]
    assert text_frame(frame, [column], Lang.ZH).columns == ["新建医院"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("resident population (millions)", "Resident population (millions)"),
        ("LP allocation (yuan)", "LP allocation (yuan)"),
        ("p-median (least total distance): new sites", "p-median (least total distance): new sites"),
        ("90% interval, low", "90% interval, low"),
        ("常住人口", "常住人口"),
    ],
)
def test_heading(header: str, expected: str) -> None:
    from changzhu.domain.lang import heading

    assert heading(header) == expected


def test_a_header_inside_a_sentence_is_in_lower_case() -> None:
    from changzhu.domain.lang import in_sentence

    assert in_sentence("Amount (yuan)") == "amount (yuan)"
    assert in_sentence("LP allocation (yuan)") == "LP allocation (yuan)"
