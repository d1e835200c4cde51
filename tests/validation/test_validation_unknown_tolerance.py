"""A figure changzhu does not estimate, or counts by another definition, was compared with nothing: its tolerance is
shown as unknown (—), never as ±0.0 % nor as a tolerance that was not applied, in the command's table, the report
section and the CSV; the command's Chinese lines are punctuated full-width (docs/validation.md, "The table")."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.data.census import census_2020
from changzhu.report.lang import Lang
from changzhu.validation import checks as checks_module
from changzhu.validation import fit as fit_module
from changzhu.validation.checks import Check, census_checks, checks_frame
from changzhu.validation.section import validation_section

FIT = pl.DataFrame(
    {
        "level": ["province"],
        "control": ["age band"],
        "cells": [124],
        "mean_pct_diff": [0.022],
        "sd_pct_diff": [0.293],
        "pct_rmse": [0.054],
        "tolerance_pct_rmse": [0.5],
        "status": ["ok"],
    }
)


def _checks() -> list[Check]:
    """The census rows: one compared (人户分离), two of another definition, one without an estimate."""
    return census_checks(census_2020())


def _row(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if label in line)


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Check]:
    """The command's figures without the synthetic sample (the census rows alone)."""
    checks = _checks()
    monkeypatch.setattr(checks_module, "validation_checks", lambda sample, seed: checks)
    monkeypatch.setattr(fit_module, "fit_table", lambda sample, seed: FIT)
    return checks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_command_shows_no_tolerance_where_nothing_was_compared(figures: list[Check], lang: str) -> None:
    result = CliRunner().invoke(app, ["validate", "--lang", lang])
    assert result.exit_code == 0, result.output
    zh = lang == "zh"
    hukou_rate = _row(result.output, "户籍人口城镇化率" if zh else "Urbanisation rate, hukou")
    assert "±" not in hukou_rate and "—" in hukou_rate, hukou_rate  # it said ±0.0%
    differs = _row(result.output, "市辖区内人户分离" if zh else "Away from hukou within one city")
    assert "±" not in differs, differs  # it said ±10.0%, a tolerance the status was not judged by
    assert "±0.1%" in _row(result.output, "人户分离人口" if zh else "Living away from hukou township")
    if zh:  # the source and the reason lines are Chinese: full-width comma and colon
        assert "）, 20" not in result.output and not re.search(r"[\u4e00-\u9fff]: ", result.output), result.output


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_the_report_and_the_csv_show_no_tolerance_where_nothing_was_compared(tmp_path: Path, lang: Lang) -> None:
    checks = _checks()
    html = validation_section(checks, FIT, 0.001, lang).body_html
    assert "±0.0%" not in html, "a figure without an estimate shown with a tolerance of 0"
    frame = checks_frame(checks)
    tolerance = dict(zip(frame["key"], frame["tolerance"], strict=True))
    assert tolerance["hukou_urban_rate"] is None and tolerance["shixiaqu_renhu"] is None, tolerance
    assert tolerance["renhu_fenli"] == pytest.approx(0.001)


def test_the_chinese_labels_are_punctuated_full_width() -> None:
    labels = [c.label_zh for c in _checks()]
    assert not any(re.search(r"[()]", label) for label in labels), labels
