"""Every chart of the demo report reads whole on a phone (390 px) and a laptop (1366 px), in Chinese and English.

At 390 px the fiscal section's titles ran off the chart's right edge, the unit with them ("Transfer by province:
registered vs resident basis (100 million yuan)" showed as far as "resident"), as did the maps' titles and their
notes, until 2026-12-04: the words of a chart (title, axis titles, legend, colour bar titles, notes) are now wrapped
to its width when drawn (report/templates/fit_charts.js, called by sections.figure_html for every chart).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chromium_support import section_screenshot

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDTHS = (390, 1366)
WORDS = ".gtitle, .xtitle, .ytitle, .legendtext, .cbtitle, .annotation-text"
# each chart: its title's right edge (getBBox, in the chart's own units) and the svg's width, and every word's box
# outside the chart's box; tick labels are plotly's own and are left to it
MEASURE = f"""() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {{
  const svg = gd.querySelector('svg.main-svg');
  const box = svg.getBoundingClientRect();
  const title = gd.querySelector('.gtitle');
  const b = title ? title.getBBox() : null;
  const outside = [...gd.querySelectorAll('{WORDS}')].filter(e => e.textContent.trim()).map(e => {{
      const r = e.getBoundingClientRect();
      return [e.getAttribute('class'), e.textContent, r.left - box.left, r.right - box.left, r.top - box.top,
              r.bottom - box.top];
    }}).filter(([, , left, right, top, bottom]) =>
      left < -1 || right > box.width + 1 || top < -1 || bottom > box.height + 1);
  return {{
    section: gd.closest('section').id,
    title: title ? title.textContent : '',
    right: b ? b.x + b.width : 0,
    top: b ? title.getBoundingClientRect().top - box.top : 0,
    width: svg.width.baseVal.value,
    outside,
  }};
}})"""


@pytest.fixture(scope="module", params=["zh", "en"])
def report(request: pytest.FixtureRequest, demo_output: Callable[[str], Path]) -> tuple[str, Path]:
    lang = str(request.param)
    return lang, demo_output(lang) / "report.html"


def test_every_chart_reads_whole_at_a_phone_and_a_laptop(report: tuple[str, Path], chromium: object) -> None:
    lang, path = report
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context()  # type: ignore[attr-defined]  # the session's browser (tests/chromium_support.py)
    try:
        for width in WIDTHS:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 900})
            page.set_default_timeout(180_000)
            page.goto(path.as_uri())
            # every chart drawn and its words fitted to its width
            page.wait_for_function(
                "() => { const all = [...document.querySelectorAll('.js-plotly-plot')];"
                " return all.length > 10 && all.every(g => g.dataset.fitted); }"
            )
            charts = page.evaluate(MEASURE)
            assert len(charts) > 10, charts
            for chart in charts:
                where = f"{lang} {width}px #{chart['section']} «{chart['title']}»"
                assert chart["title"], where
                assert chart["right"] <= chart["width"], f"{where}: title ends at {chart['right']:.0f} px"
                assert chart["top"] >= 0, f"{where}: title starts {chart['top']:.0f} px above the chart"
                assert chart["outside"] == [], f"{where}: words beyond the chart {chart['outside']}"
            if width == 390:
                for section in ("population", "planning", "fiscal", "simulation"):
                    section_screenshot(page, f"#{section}", ARTIFACTS / f"report_charts_{section}_{lang}_{width}.png")
            page.close()
    finally:
        context.close()
