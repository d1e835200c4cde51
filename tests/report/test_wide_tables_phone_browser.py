"""A report's wide tables on a phone (390 px) and a laptop (1366 px), in Chinese and in English.

The fiscal report's tables (31 provinces × 5 columns; the equity table, 11 columns) are wider than a phone. Until
2026-12-04 each scrolled sideways in its box with nothing to say which row a figure belonged to once the province
column had scrolled away, and nothing showing that the table went on to the right. Now (report/render.py, as the
statistical publishers' scrollable tables do) the page itself never scrolls sideways; a table wider than its box
scrolls in it with its first column (the row's name) kept in view; the box is a labelled region a keyboard can
focus and scroll; and a shadow on the box's edge shows there is more to the right."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.report.lang import Lang
from changzhu.report.render import render_report
from changzhu.report.sections import ReportSection, write_section
from changzhu.report.simulation import COST_COLUMNS
from changzhu.report.tables import html_table

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDTHS = (390, 1366)
# each table in its box: the box's width and the table's, the box's label and focusability, and where the first
# cell of the table's last row is drawn after the box is scrolled all the way to the right
WIDE_TABLES = """() => [...document.querySelectorAll('.table-wrap')].map(box => {
  const table = box.querySelector('table');
  box.scrollLeft = box.scrollWidth;
  const first = table.rows[table.rows.length - 1].cells[0].getBoundingClientRect();
  const edge = box.getBoundingClientRect();
  const seen = {
    wide: box.scrollWidth > box.clientWidth, scrolled: box.scrollLeft,
    name: box.getAttribute('aria-label') || '', role: box.getAttribute('role') || '', focus: box.tabIndex,
    firstLeft: Math.round(first.left - edge.left), firstRight: Math.round(first.right - edge.left),
    boxWidth: box.clientWidth,
  };
  box.scrollLeft = 0;
  return seen;
})"""


@pytest.fixture(scope="module", params=["zh", "en"])
def fiscal_report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """`changzhu fiscal --lang zh|en`'s report, as a fiscal official writes it."""
    lang = str(request.param)
    out = tmp_path_factory.mktemp(f"fiscal_{lang}")
    ran = CliRunner().invoke(app, ["fiscal", "--out", str(out), "--lang", lang])
    assert ran.exit_code == 0, ran.output
    return lang, out / "report.html"


def test_wide_tables_scroll_in_their_box_with_the_row_names_in_view(
    fiscal_report: tuple[str, Path], chromium: object
) -> None:
    lang, report = fiscal_report
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()  # type: ignore[attr-defined]  # the session's browser (tests/chromium_support.py)
    try:
        for width in WIDTHS:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(report.as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth"), width
            tables = page.evaluate(WIDE_TABLES)
            assert len(tables) >= 2, tables
            wide = [t for t in tables if t["wide"]]
            if width == 390:
                assert len(wide) >= 2, f"{lang}: the fiscal tables are wider than a phone: {tables}"
            for table in wide:
                assert table["scrolled"] > 0, table
                assert table["firstLeft"] == 0, f"{lang} {width}px: the row names scrolled away: {table}"
                assert table["firstRight"] <= table["boxWidth"] * 0.45, f"the names fill the box: {table}"
                assert table["role"] == "region" and table["name"] and table["focus"] == 0, table
            page.locator(".table-wrap").last.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
            page.locator(".table-wrap").last.screenshot(path=str(ARTIFACTS / f"wide_table_{lang}_{width}.png"))
            page.close()
    finally:
        context.close()


# the simulation section's cost table (report/simulation.py, COST_COLUMNS), its figures as the demo's
COST_ROWS = {
    "scenario": ["现行规则（基线）", "随迁子女在流入地参加中考的居住年限降至一年"],
    "year": ["2025", "2025"],
    "service": ["compulsory_schooling", "local_entrance_exam"],
    "eligible": [175_000_000.0, 49_115_000.0],
    "undetermined": [0.0, 155_000.0],
    "newly_eligible": [0.0, 1_595_000.0],
    "demand": [175_000_000.0, 49_115_000.0],
    "delta_demand": [0.0, 1_595_000.0],
    "cost_yuan": [None, 1.2e10],
    "delta_cost_yuan": [None, 1.2e10],
}


def test_a_column_of_words_is_not_squeezed_to_one_character(tmp_path: Path, chromium: object) -> None:
    """On a phone the cost table's 服务 column was drawn one character wide (随 / 迁 / 子 / 女 …, a line each) until
    2026-12-04, the table squeezing its word columns to fit before it scrolled."""
    body = html_table(pl.DataFrame(COST_ROWS), COST_COLUMNS, Lang.ZH)
    write_section(tmp_path, ReportSection(order=70, name="simulation", title="模拟", body_html=body))
    report = render_report(tmp_path, lang=Lang.ZH)
    page = chromium.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        narrow = page.evaluate(
            """() => [...document.querySelectorAll('td.text')]
                 .map(td => [td.textContent, td.clientWidth / parseFloat(getComputedStyle(td).fontSize)])
                 .filter(([text, ems]) => /[\u4e00-\u9fff]/.test(text) && ems < 4)"""
        )
        page.locator(".table-wrap").screenshot(path=str(ARTIFACTS / "cost_table_zh_390.png"))
    finally:
        page.close()
    assert narrow == [], narrow
