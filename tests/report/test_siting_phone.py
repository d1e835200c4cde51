"""The siting results table on a 390 px phone: each model's row stacked as a card naming its columns, nothing
scrolling sideways; on a computer the same table as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from phone_support import ARTIFACTS, first_cell_label, pages_at_widths

from changzhu.data.geo import province_geojson
from changzhu.planning.siting import plan_sites
from changzhu.report.lang import Lang
from changzhu.report.render import render_report
from changzhu.report.sections import ReportSection, write_section
from changzhu.report.siting import siting_part
from chromium_support import section_screenshot


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_siting_table_fits_a_phone(lang: Lang, tmp_path: Path, chromium: object) -> None:
    plan = plan_sites("440000", 50_000.0, 545_196.0, p=3)  # hospitals in Guangdong, the prefecture seats existing
    body = f"<div id='siting'>{siting_part(plan, '440000', province_geojson(), lang)}</div>"
    write_section(tmp_path, ReportSection(60, "planning", "siting", body))
    report = render_report(tmp_path, lang=lang)
    for width, page in pages_at_widths(chromium, report, "siting"):
        assert page.locator("#siting td[data-label]").count() == 3 * 8  # p-median, MCLP, LSCP × 8 columns
        section_screenshot(page, "#siting .table-wrap", ARTIFACTS / f"siting_{lang.value}_{width}.png")
        header = page.locator("#siting table tr").first
        if width == 390:  # stacked: the header row hidden, each cell names its column
            assert not header.is_visible()
            assert first_cell_label(page, "siting") in ("模型", "Model")
        else:
            assert header.is_visible()
