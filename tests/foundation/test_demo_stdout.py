"""What `changzhu demo` prints, in the language of its report: step headings, the summary and its notes, where the
report was written. Before: every heading English with Chinese in brackets ("Money and land follow people
(人地钱挂钩)…"), "summary" and "report written to" in English whatever --lang said."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from changzhu.pipeline import STEPS

CJK = re.compile("[\u4e00-\u9fff]")


def _stdout(demo_output: Callable[[str], Path], lang: str) -> str:
    return (demo_output(lang).parent / "stdout.txt").read_text(encoding="utf-8")


def _headings(text: str) -> list[str]:
    """The rules' titles (─── 3/8 title ───), in order."""
    return [m.strip() for m in re.findall(r"─+ ([^─\n]+?) ─+", text)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_demo_prints_its_steps_and_summary_in_its_language(demo_output: Callable[[str], Path], lang: str) -> None:
    text = _stdout(demo_output, lang)
    steps = [zh if lang == "zh" else en for zh, en, _ in STEPS]
    summary, written = ("小结", "报告已写入") if lang == "zh" else ("summary", "report written to")
    expected = [f"{n}/{len(STEPS)} {title}" for n, title in enumerate(steps, start=1)] + [summary]
    assert _headings(text) == expected, _headings(text)
    assert written in text, text
    notes = text.split(f" {summary} ", 1)[1].splitlines()[1:]
    assert len(notes) >= len(STEPS), notes
    for line in notes:
        if lang == "en":
            assert not CJK.search(line), line  # English only (was: 常住 vs 户籍, 人地钱挂钩 in brackets)
        elif line.strip() and not line.startswith(("http", "serve")):
            assert CJK.search(line), line  # each note in Chinese (was: census:, database, planning:, simulation:)
    if lang == "zh":
        assert "report written to" not in text and "summary" not in text, text
        for english in ("census:", "planning:", "simulation:", "validation:", "ledger:", "to browse the office"):
            assert english not in text, english
    else:
        assert not CJK.search(text), [line for line in text.splitlines() if CJK.search(line)]
