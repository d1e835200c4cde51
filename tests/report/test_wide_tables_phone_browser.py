"""A report's wide tables on a phone (390 px) and a laptop (1366 px), in Chinese and in English.

The fiscal report's tables (31 provinces × 5 columns; the equity table, 11 columns) are wider than a phone. Until
2026-12-04 each scrolled sideways in its box with nothing to say which row a figure belonged to once the province
column had scrolled away, and nothing showing that the table went on to the right. Now (report/render.py, as the
statistical publishers' scrollable tables do) the page itself never scrolls sideways; a table wider than its box
scrolls in it with its first column (the row's name) kept in view; the box is a labelled region a keyboard can
focus and scroll; and a shadow on the box's edge shows there is more to the right."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app

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
