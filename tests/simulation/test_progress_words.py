"""The progress line of a long command is in the command's language: `changzhu simulate --lang zh` said
"simulating" and "writing the population" in English above its Chinese tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "src" / "changzhu" / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
SMALL = 2e-5
WORDS = {"zh": ("写出合成人口", "模拟"), "en": ("writing the population", "simulating")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_simulation_says_its_progress_in_the_language_asked_for(tmp_path: Path, lang: str) -> None:
    args = ["simulate", "--scenario", str(EXAM), "--sample", str(SMALL), "--years", "2025", "--out", str(tmp_path)]
    done = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "pop"), "--lang", lang])
    assert done.exit_code == 0, done.output
    progress = [line for line in done.output.splitlines() if re.search(r"━ +\d+/\d+ +\d+:\d\d:\d\d$", line)]
    assert progress, done.output
    assert all(any(word in line for word in WORDS[lang]) for line in progress), progress
    if lang == "zh":
        assert not any(word in line for line in progress for word in WORDS["en"]), progress
