"""docs/policies.md's input list is the one person_inputs() gives."""

from __future__ import annotations

from pathlib import Path

from changzhu.rules.inputs_doc import render, replace_section

PAGE = Path(__file__).resolve().parents[2] / "docs" / "policies.md"


def test_input_list_in_policies_doc_is_current() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert replace_section(page, render()) == page, "stale: run python -m changzhu.rules.inputs_doc docs/policies.md"


def test_replace_section_appends_when_missing() -> None:
    assert replace_section("# t\n", "X").endswith("## Person inputs\n\nX\n")
