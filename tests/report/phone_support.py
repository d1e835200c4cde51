"""A report section opened at a phone's and a computer's width, with nothing allowed to scroll sideways."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDTHS = (390, 1366)


def pages_at_widths(chromium: Any, report: Path, section: str) -> Iterator[tuple[int, Any]]:
    """Yield (width, page) for each width, after checking the page and the section's tables fit it."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()  # the session's browser (tests/chromium_support.py)
    try:
        for width in WIDTHS:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 844})
            page.goto(report.resolve().as_uri())
            widths = page.evaluate(
                f"""() => [document.documentElement, ...document.querySelectorAll('#{section} .table-wrap')]
                     .map(e => [e.scrollWidth, e.clientWidth])"""
            )
            assert all(scroll <= client for scroll, client in widths), (width, widths)
            yield width, page
            page.close()
    finally:
        context.close()


def first_cell_label(page: Any, section: str) -> str:
    """The column name a stacked table's first cell shows before its value."""
    content: str = page.evaluate(f"getComputedStyle(document.querySelector('#{section} td'), '::before').content")
    return content.strip('"')
