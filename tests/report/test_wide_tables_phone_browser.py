"""A report's wide tables on a phone (390 px) and a laptop (1366 px), in Chinese and in English.

The fiscal report's tables (31 provinces × 5 columns; the equity table, 11 columns) are wider than a phone. Until
2026-12-04 each scrolled sideways in its box with nothing to say which row a figure belonged to once the province
column had scrolled away, and nothing showing that the table went on to the right. Now (report/render.py, as the
statistical publishers' scrollable tables do) the page itself never scrolls sideways; a table wider than its box
scrolls in it with its first column (the row's name) kept in view; the box is a labelled region a keyboard can
focus and scroll; and a shadow on the box's edge shows there is more to the right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# the brightest pixel of a short vertical strip of the header row and of the first body row, at a distance in px
# from the box's right edge (the brightest: the cell's background, not a letter drawn over it)
EDGE_STRIPS = """() => {
  const box = document.querySelector('.table-wrap');
  const table = box.querySelector('table');
  const edge = box.getBoundingClientRect();
  const rows = [table.rows[0], table.rows[1]].map(r => r.getBoundingClientRect());
  return {right: edge.right, rows: rows.map(r => [r.top + 2, r.bottom - 2])};
}"""


def _brightest(image: Any, x: int, top: float, bottom: float) -> int:
    return max(sum(image.getpixel((x, y))[:3]) // 3 for y in range(int(top), int(bottom)))


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_the_shadow_saying_more_to_the_right_is_on_the_header_row_too(
    lang: Lang, tmp_path: Path, chromium: object
) -> None:
    """A table wider than a phone shows, at its box's right edge, a shadow saying there is more to see. Until
    2026-12-05 the header row's own background covered it: the shadow stopped at the body rows, the header row ran
    flat to the edge as though it ended there."""
    from PIL import Image

    body = html_table(pl.DataFrame(COST_ROWS), COST_COLUMNS, lang)
    write_section(tmp_path, ReportSection(order=70, name="simulation", title="Simulation", body_html=body))
    report = render_report(tmp_path, lang=lang)
    page = chromium.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        seen = page.evaluate(EDGE_STRIPS)
        shot = tmp_path / "page.png"
        page.screenshot(path=str(shot))
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".table-wrap").screenshot(path=str(ARTIFACTS / f"table_edge_shadow_{lang}_390.png"))
    finally:
        page.close()
    image = Image.open(shot).convert("RGB")
    at_edge, inside = int(seen["right"]) - 3, int(seen["right"]) - 40
    darkened = {
        row: _brightest(image, inside, *strip) - _brightest(image, at_edge, *strip)
        for row, strip in zip(("header", "body"), seen["rows"], strict=True)
    }
    assert darkened["body"] >= 8, darkened  # the shadow is there at all
    assert darkened["header"] >= darkened["body"] - 4, f"{lang}: no shadow on the header row: {darkened}"
