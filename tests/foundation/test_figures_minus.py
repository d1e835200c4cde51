"""A negative figure reads with the true minus sign (U+2212) wherever a person reads it: the report's cells and
sentences, its charts' labels and the terminal's tables; the files for machines and spreadsheets keep numbers
(docs/architecture.md, "Conventions"). Until 2026-12-05 the report and the terminal wrote "-1.2", a hyphen."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest

from changzhu.output import cell_text, export_table
from changzhu.report.lang import Lang
from changzhu.report.sections import ReportSection, figure_html, write_section
from changzhu.report.tables import Column, count, html_table, share, signed, yuan

MINUS = "\u2212"
FRAME = pl.DataFrame({"province": ["河南省"], "change": [-1.2e9], "share": [-0.214], "people": [-35_000.0]})
COLUMNS = [
    Column("province", "省份", "Province"),
    Column("change", "变化（亿元）", "Change (100 million yuan)", yuan),
    Column("share", "变化（%）", "Change (%)", share),
    Column("people", "人数变化", "Change in people", count),
]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("-1.2", "−1.2"),
        ("9.06 M (-21.4 %)", "9.06 M (−21.4 %)"),
        ("-3.5万", "−3.5万"),
        ("2020-11-01", "2020-11-01"),  # a date, not a sign
        ("6-11 岁", "6-11 岁"),  # a range
        ("--limit 0", "--limit 0"),  # an option
        ("p-median", "p-median"),
    ],
)
def test_minus(text: str, shown: str) -> None:
    from changzhu.figures import minus

    assert minus(text) == shown


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_a_report_section_writes_negative_figures_with_the_minus_sign(lang: Lang, tmp_path: Path) -> None:
    table = html_table(FRAME, COLUMNS, lang)
    body = f"<p class='note'>差额 {signed(-2.5, lang)}，2020-11-01</p>{table}"
    written = write_section(tmp_path, ReportSection(order=1, name="fiscal", title="T", body_html=body)).read_text()
    assert "-" not in written.replace("2020-11-01", "").replace("table-wrap", "").replace("aria-label", ""), written
    assert f"{MINUS}12.00" in written and f"{MINUS}21.4%" in written and f"{MINUS}2.50" in written
    assert ("−3.5万" if lang == Lang.ZH else "−35,000") in written
    assert "2020-11-01" in written


def test_a_charts_labels_write_the_minus_sign_and_its_data_stay_numbers() -> None:
    figure = go.Figure(go.Bar(x=["河南"], y=[-1.5], text=["-1.5"], hovertext=["Henan: -1.5"]))
    figure.add_annotation(text="gap -2,000 beds", x=0, y=0)
    drawn = figure_html(figure)
    assert '"text":["\\u22121.5"]' in drawn or '"text":["−1.5"]' in drawn, drawn[:2000]
    assert "gap \\u22122,000 beds" in drawn or "gap −2,000 beds" in drawn
    assert '"y":[-1.5]' in drawn  # the data: a number


def test_the_terminal_writes_the_minus_sign_and_the_files_keep_numbers(tmp_path: Path) -> None:
    assert cell_text("change", -1234.5) == f"{MINUS}1,234.50"
    assert cell_text("change_share", -0.214) == f"{MINUS}21.40%"
    assert cell_text("people", -35) == f"{MINUS}35"
    assert cell_text("note", "2020-11-01") == "2020-11-01"
    frame = pl.DataFrame({"地区": ["河南省"], "变化": [-1.5]})
    export_table(frame, tmp_path / "out.csv")
    assert pl.read_csv(tmp_path / "out.csv")["变化"].to_list() == [-1.5]
    export_table(frame, tmp_path / "out.xlsx")
    assert pl.read_excel(tmp_path / "out.xlsx")["变化"].to_list() == [-1.5]
