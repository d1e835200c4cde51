"""A report table's figures on a phone (390 px): each on one line with its unit.

The simulation section's table of provinces (常住人口, 符合条件, 新增符合条件, 需求变化 in 万 and 亿, the cost in 亿元)
is six columns on a 390 px phone: until 2026-12-04 each narrow column broke its figures after the number, "376.5 /
万", "6,457.0 / 万", so a column read as numbers with a stray 万 under them. Now a figure and its unit stay together
(report/tables.py, kept_whole) and the table scrolls sideways in its box instead, as every wide table of the report
does."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from changzhu.report.lang import Lang
from changzhu.report.render import render_report
from changzhu.report.sections import ReportSection, write_section
from changzhu.report.tables import Column, count, html_table, yuan

pytestmark = pytest.mark.browser

# the columns of the simulation section's table of provinces (report/simulation.py), its figures as the demo's
COLUMNS = [
    Column("name_zh", "省份", "province"),
    Column("residents", "常住人口", "residents", count),
    Column("eligible", "符合条件", "eligible", count),
    Column("newly_eligible", "新增符合条件", "Newly eligible", count),
    Column("delta_demand", "需求变化", "Change in demand", count),
    Column("delta_cost_yuan", "费用变化（亿元/年）", "Change in cost (100 million yuan a year)", yuan),
]
ROWS = {
    "name_zh": ["广东省", "浙江省", "新疆维吾尔自治区"],
    "residents": [126_012_510.0, 64_570_000.0, 25_852_345.0],
    "eligible": [3_765_000.0, 1_755_000.0, 402_000.0],
    "newly_eligible": [260_000.0, 100_000.0, 35_000.0],
    "delta_demand": [260_000.0, 100_000.0, 35_000.0],
    "delta_cost_yuan": [None, None, None],
}
# each figure cell: its text and how many lines it is drawn on
LINES = """() => [...document.querySelectorAll('table.data td:not(.text)')].map(td => {
  const range = document.createRange();
  range.selectNodeContents(td);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return [td.textContent, tops.size];
})"""


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_each_figure_stays_on_one_line_with_its_unit(lang: Lang, tmp_path: Path, chromium: object) -> None:
    body = html_table(pl.DataFrame(ROWS), COLUMNS, lang)
    write_section(tmp_path, ReportSection(order=1, name="simulation", title="模拟", body_html=body))
    report = render_report(tmp_path, lang=lang)
    page = chromium.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        cells = page.evaluate(LINES)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        page.close()
    assert len(cells) == 15, cells
    broken = [text for text, lines in cells if lines > 1]
    assert broken == [], f"figures broken across lines at 390 px: {broken}"
    assert wide <= 390, f"the page is {wide} px wide: the table must scroll in its box, not the page"
