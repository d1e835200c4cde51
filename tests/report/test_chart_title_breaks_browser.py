"""Where a chart's Chinese words break on a phone (390 px): at a full-width mark or a space between sections first,
else between two words, never inside a two-character word.

report/templates/fit_charts.js wraps a chart's words to its width. Until 2026-12-04 it broke Chinese between any two
characters, wherever the line was full: the map notes read "…（高德地图行政区划边界，MIT 许可） · 数 / 据：
第七次全国人口普查…" and the 中考 map's title "…条件的人 / 数（估算）", a word cut in two. Now a line ends where
a phrase ends (a full-width comma, colon, semicolon, closing bracket or middle dot; before an opening bracket) when
that leaves it at least half full, else between two words (ICU's dictionary of Chinese words, Intl.Segmenter), and
a closing mark never starts a line nor runs past the chart's edge."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import plotly.graph_objects as go
import pytest

from changzhu.report.lang import Lang
from changzhu.report.maps import map_note
from changzhu.report.render import render_report
from changzhu.report.sections import ReportSection, figure_html, write_section

pytestmark = pytest.mark.browser

# titles and notes as the demo report writes them (the maps' note from maps.map_note), and a long title with no mark
# to break at
NOTE = map_note(Lang.ZH, "第七次全国人口普查（2020），常住口径") + " · 灰色：无数据"
TITLES = (
    "2025 年新增符合“随迁子女流入地中考”条件的人数（估算）",
    "省际横向补偿净额，最大 40 对（万元/年；来源地为估算）",
    "各地级单位跨省流入人口占常住人口比重变化预测结果汇总",
)
# two-character words of these titles and notes: no line ends with the first character and the next begins with the
# second
WORDS = ("数据", "人数", "人口", "常住", "口径", "比重", "流入", "变化", "预测", "结果", "汇总", "跨省", "地级", "单位")
MARKS = "，。、；：）》”·"
OPENING = "（《“"
LINES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
  title: [...gd.querySelectorAll('.gtitle tspan.line')].map(t => t.textContent),
  note: [...gd.querySelectorAll('.annotation-text tspan.line')].map(t => t.textContent),
  width: gd.querySelector('svg.main-svg').getBoundingClientRect().width,
  right: Math.max(...[...gd.querySelectorAll('.gtitle, .annotation-text')].map(e => e.getBoundingClientRect().right
    - gd.querySelector('svg.main-svg').getBoundingClientRect().left)),
}))"""


def _figure(title: str) -> go.Figure:
    figure = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]))
    note = {"text": NOTE, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0, "y": -0.1}
    note |= {"xanchor": "left", "yanchor": "top", "font": {"size": 10}}
    figure.update_layout(title={"text": title, "font": {"size": 15}}, annotations=[note], height=420)
    return figure


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("breaks")
    body = "\n".join(figure_html(_figure(title)) for title in TITLES)
    write_section(out, ReportSection(name="charts", title="图表", order=1, body_html=body))
    return render_report(out, lang=Lang.ZH)


def _breaks(lines: list[str]) -> list[tuple[str, str]]:
    return list(pairwise(lines))


def test_chinese_words_break_at_phrases_then_between_words(report: Path, chromium: object) -> None:
    page = chromium.new_page(viewport={"width": 390, "height": 900})  # type: ignore[attr-defined]
    try:
        page.goto(report.as_uri())
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.dataset.fitted)")
        charts = page.evaluate(LINES)
    finally:
        page.close()
    assert len(charts) == len(TITLES)
    for chart, title in zip(charts, TITLES, strict=True):
        assert "".join(chart["title"]).replace(" ", "") == title.replace(" ", ""), chart
        assert chart["right"] <= chart["width"] + 1, chart
        for lines in (chart["title"], chart["note"]):
            assert len(lines) > 1, lines  # at 390 px each needs more than one line
            for before, after in _breaks(lines):
                assert before[-1] + after[0] not in WORDS, f"a word cut in two: {before} / {after}"
                assert after[0] not in MARKS, f"a line starts with a closing mark: {before} / {after}"
    # a note and the titles with marks break where a phrase ends
    for lines in (charts[0]["note"], charts[0]["title"], charts[1]["title"]):
        for before, after in _breaks(lines):
            assert before.rstrip()[-1] in MARKS or after[0] in OPENING, f"not at a phrase's end: {before} / {after}"
