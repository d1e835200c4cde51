"""The validation table on a 390 px phone: every row stacked as a card, nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from phone_support import ARTIFACTS, first_cell_label, pages_at_widths

from changzhu.data.census import census_2020
from changzhu.report.lang import Lang
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.validation.checks import beds_check, census_checks
from changzhu.validation.section import validation_section
from chromium_support import section_screenshot

FIT = pl.DataFrame(
    {
        "level": ["prefecture", "province"],
        "control": ["age band", "hukou status"],
        "cells": [2_000, 124],
        "mean_pct_diff": [-0.142, 0.022],
        "sd_pct_diff": [7.114, 0.293],
        "pct_rmse": [0.162, 0.054],
        "tolerance_pct_rmse": [2.0, 0.5],
        "status": ["ok", "ok"],
    }
)


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_validation_table_fits_a_phone(lang: Lang, tmp_path: Path, chromium: object) -> None:
    checks = [*census_checks(census_2020()), beds_check()]
    write_section(tmp_path, validation_section(checks, FIT, 0.001, lang))
    report = render_report(tmp_path, lang=lang)
    for width, page in pages_at_widths(chromium, report, "validation"):
        assert page.locator("#validation td[data-label]").count() == (len(checks) + FIT.height) * 8
        section_screenshot(page, "#validation", ARTIFACTS / f"validation_{lang.value}_{width}.png")
        if width == 390:  # stacked: the header row is hidden, each cell names its column
            assert not page.locator("#validation table tr").first.is_visible()
            assert first_cell_label(page, "validation") in ("指标", "figure")
