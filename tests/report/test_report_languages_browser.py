"""The demo report in Chinese and in English, read in Chromium at a laptop's and a phone's width.

The planning, fiscal, simulation and validation sections must show no raw variable names (snake_case keys) in
their headings, table headers, chart titles, axes and legends, and must be in the language asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from chromium_support import section_screenshot

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SECTIONS = ("validation", "planning", "fiscal", "simulation")
WIDTHS = (1366, 390)
CJK = re.compile(r"[\u4e00-\u9fff]")
# what a reader sees: headings, table headers and cells, chart titles, axes, legends, colour bars, notes on maps
VISIBLE = "h2, h3, p, th, td, .gtitle, .xtitle, .ytitle, .legendtext, .cbtitle, .annotation-text"


def raw_keys(text: str) -> list[str]:
    """Words with an underscore that are not a file name or a path (those may be named on purpose)."""
    return [w for w in re.findall(r"[\w./-]*_[\w./-]*", text) if "." not in w and "/" not in w]


@pytest.fixture(scope="module", params=["zh", "en"])
def report(request: pytest.FixtureRequest, demo_output: Callable[[str], Path]) -> tuple[str, Path]:
    """The demo report in a language (the session's shared `changzhu demo` run; zh is the default language)."""
    lang = str(request.param)
    return lang, demo_output(lang) / "report.html"


def test_raw_keys_are_found() -> None:
    assert raw_keys("gap_resident 与 service_standards.yaml") == ["gap_resident"]
    assert raw_keys("docs/fiscal.md, 10⁸ yuan") == []


def test_demo_report_has_the_validation_section(report: tuple[str, Path]) -> None:
    lang, path = report
    page = path.read_text(encoding="utf-8")
    assert "<section id='validation'>" in page
    assert ("0.1000%" in page) and (("抽样" in page) if lang == "zh" else ("sample" in page))
    assert (path.parent / "validation.csv").is_file()


@pytest.mark.browser
def test_sections_read_in_their_language_at_two_widths(report: tuple[str, Path], chromium: object) -> None:
    lang, path = report
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()  # type: ignore[attr-defined]  # the session's browser (tests/chromium_support.py)
    try:
        for width in WIDTHS:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 900})
            page.set_default_timeout(180_000)
            page.goto(path.as_uri())
            page.wait_for_selector("#simulation .js-plotly-plot .gtitle")
            for name in SECTIONS:
                section = page.locator(f"#{name}")
                texts = [t for t in section.locator(VISIBLE).all_text_contents() if t and t.strip()]
                assert texts, name
                found = sorted({k for t in texts for k in raw_keys(t)})
                assert found == [], f"{lang} {width}px #{name}: raw keys {found}"
                headers = section.locator("th").all_inner_texts()
                if lang == "zh":
                    assert all(CJK.search(h) or not re.search("[a-z]{3,}", h) for h in headers), headers
                else:
                    assert all(not CJK.search(h) or "(" in h for h in headers), headers
                # a table never makes the page scroll sideways: it scrolls inside its own box
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, f"{name} at {width}px"
                section_screenshot(page, f"#{name}", ARTIFACTS / f"report_{name}_{lang}_{width}.png")
            page.close()
    finally:
        context.close()
    for name in SECTIONS:
        for width in WIDTHS:
            assert (ARTIFACTS / f"report_{name}_{lang}_{width}.png").stat().st_size > 10_000
