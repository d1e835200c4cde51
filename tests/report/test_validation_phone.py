"""The validation table on a 390 px phone: every row stacked as a card, nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.report.lang import Lang
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.validation.checks import beds_check, census_checks
from changzhu.validation.section import validation_section

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
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
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()  # type: ignore[attr-defined]  # the session's browser (tests/chromium_support.py)
    try:
        for width in (390, 1366):
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(report.resolve().as_uri())
            widths = page.evaluate(
                """() => [document.documentElement, ...document.querySelectorAll('#validation .table-wrap')]
                     .map(e => [e.scrollWidth, e.clientWidth])"""
            )
            assert all(scroll <= client for scroll, client in widths), (width, widths)
            labels = page.locator("#validation td[data-label]").count()
            assert labels == (len(checks) + FIT.height) * 8
            page.locator("#validation").screenshot(path=str(ARTIFACTS / f"validation_{lang.value}_{width}.png"))
            if width == 390:  # stacked: the header row is hidden, each cell names its column
                assert not page.locator("#validation table tr").first.is_visible()
                before = page.evaluate("getComputedStyle(document.querySelector('#validation td'), '::before').content")
                assert before.strip('"') in ("指标", "figure")
            page.close()
    finally:
        context.close()
