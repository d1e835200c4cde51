"""The simulation report says the unit costs it priced the services at, in the reader's language, and an estimate's
label names no file of the repository: both pointed the reader to docs/simulation.md (the English label also to
docs/validation.md), a file an official reading the report or an exported table does not have."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.domain.estimates import synthetic

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "src" / "changzhu" / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
SMALL = 2e-5
SAID = {
    "zh": ("每人每年单位成本：随迁子女义务教育 6–11 岁 11,949 元、12–15 岁 17,319 元",),
    "en": ("unit costs a person a year:", "11,949 yuan at ages 6–11, 17,319 yuan at ages 12–15"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_says_its_unit_costs_and_names_no_file(tmp_path: Path, lang: str) -> None:
    args = ["simulate", "--scenario", str(EXAM), "--sample", str(SMALL), "--years", "2025", "--out", str(tmp_path)]
    done = CliRunner().invoke(app, [*args, "--lang", lang])
    assert done.exit_code == 0, done.output
    page = html.unescape((tmp_path / "report.html").read_text(encoding="utf-8"))
    text = " ".join(re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S).split())
    assert "docs/" not in text, re.findall(r".{60}docs/.{30}", text)
    assert all(words in text for words in SAID[lang]), re.findall(r".{80}单位成本.{80}|.{80}unit cost.{80}", text)


def test_an_estimates_label_names_no_file() -> None:
    assert "docs/" not in synthetic(0.0001) and "docs/" not in synthetic(0.0001, "minimum_living_allowance")
