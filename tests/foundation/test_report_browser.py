"""`changzhu demo`'s report opens in a real browser (Chromium via Playwright) and draws the map offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def demo_report(demo_output: Callable[[str], Path]) -> Path:
    """The report of `changzhu demo` run without options (the session's shared run)."""
    out = demo_output("zh")
    assert "报告已写入" in (out.parent / "stdout.txt").read_text(encoding="utf-8")
    return out / "report.html"


def test_report_is_self_contained(demo_report: Path) -> None:
    page = demo_report.read_text(encoding="utf-8")
    assert "<script src=" not in page  # no CDN or external script
    assert "跨省流入" in page and "上海市" in page


@pytest.mark.browser
def test_report_map_renders_in_chromium(demo_report: Path, chromium: object) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # a page of the session's browser (tests/chromium_support.py), in a context of its own closed with it
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})  # type: ignore[attr-defined]
    page.set_default_timeout(120_000)  # a busy 2-core machine draws every section's maps before "load"
    failed_requests: list[str] = []
    page.on("requestfailed", lambda request: failed_requests.append(request.url))
    page.goto(demo_report.as_uri())
    page.wait_for_selector("#population .js-plotly-plot")
    # one filled polygon per province/SAR in the map, drawn as SVG
    filled = page.locator("#population .js-plotly-plot").first.locator("path.js-fill")
    assert filled.count() >= 31
    assert page.locator("text=跨省流入 %").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "report_population.png"), full_page=False)
    page.close()
    assert failed_requests == []
    assert (ARTIFACTS / "report_population.png").stat().st_size > 10_000
