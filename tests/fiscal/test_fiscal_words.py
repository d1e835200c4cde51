"""The fiscal official's files and report read right in each language (fiscalwords47): a bad redemption is named by
the row the file shows it on (a CSV's line with the header as row 1, a sheet's row) and its column by its label in
the message's language; the English report has no Chinese but an official name in brackets after its English; the
exported workbook's sheets are named in the language and its headers name the units and the estimates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.data.census import CENSUS_DAY, census_2020
from changzhu.data.geo import province_geojson
from changzhu.domain.lang import Lang
from changzhu.fiscal.clearing import clear_vouchers
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.parameters import fiscal_parameters, load_schemes
from changzhu.fiscal.run import compute_fiscal
from changzhu.jobs.fiscal import clear_redemptions_file
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.standards import load_standards, unit_costs_cited
from changzhu.report.fiscal import fiscal_section

CJK = re.compile(r"[\u4e00-\u9fff]")
HEADER = "issuing_region,providing_region,amount_yuan\n"


def _refused(path: Path) -> tuple[str, str]:
    with pytest.raises(FiscalError) as caught:
        clear_redemptions_file(path, path.parent / "out")
    why = caught.value.refusal
    assert why is not None
    return why.text(Lang.ZH), why.text(Lang.EN)


def test_a_bad_amount_in_a_csv_is_named_by_its_line_and_its_label(tmp_path: Path) -> None:
    """Data rows 2, 3, 4 under the header: the bad amount is on line 4 (it was "row 2", counted from 0), and the
    column is 金额（元） / amount (yuan), not amount_yuan."""
    path = tmp_path / "redemptions.csv"
    path.write_text(HEADER + "510100,320500,120.5\n320500,510100,30\n510100,440300,-5\n", encoding="utf-8")
    zh, en = _refused(path)
    assert zh == "服务券兑付记录第 4 行：“金额（元）”为 -5，须为非负数", zh
    assert en == 'redemptions row 4: "amount (yuan)" is -5, it must be a non-negative number', en


def test_a_gbk_csv_headed_in_chinese_is_read_and_its_empty_cell_named(tmp_path: Path) -> None:
    """A city's file as Excel saves it (GBK, the columns' Chinese labels, a blank line): the empty region is on line
    4 of the file (the blank line 3 keeps its place), named by its label in each language."""
    path = tmp_path / "兑付记录.csv"
    path.write_bytes("发券地区,服务提供地区,金额（元）\n510100,320500,120.5\n\n320500,,30\n".encode("gbk"))
    zh, en = _refused(path)
    assert zh == "服务券兑付记录第 4 行：“服务提供地区”为空", zh
    assert en == 'redemptions row 4: "providing region" is empty', en
    path.write_bytes("发券地区,服务提供地区,金额（元）\n510100,320500,120.5\n320500,510100,30\n".encode("gbk"))
    cleared = clear_redemptions_file(path, tmp_path / "out")
    assert cleared["bilateral"].rows() == [("510100", "320500", 90.5)]


def test_a_bad_amount_in_a_workbook_is_named_by_its_sheet_row(tmp_path: Path) -> None:
    path = tmp_path / "redemptions.xlsx"
    pl.DataFrame(
        {"issuing region": ["510100", "510100", "440300"], "providing region": ["320500", "440300", "320500"]}
    ).with_columns(pl.Series("amount (yuan)", ["12", "3", "十元"])).write_excel(path)
    zh, en = _refused(path)
    assert zh == "服务券兑付记录第 4 行：“金额（元）”为 十元，须为非负数", zh
    assert en == 'redemptions row 4: "amount (yuan)" is 十元, it must be a non-negative number', en


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_a_missing_column_is_named_by_its_label_in_the_language(lang: Lang) -> None:
    with pytest.raises(FiscalError) as caught:
        clear_vouchers(pl.DataFrame({"amount_yuan": [1.0]}))
    why = caught.value.refusal
    assert why is not None
    text = why.text(lang)
    expected = "发券地区、服务提供地区" if lang == Lang.ZH else "issuing region, providing region"
    assert text.endswith(expected), text
    assert "_region" not in text


def _unescaped(html: str) -> str:
    """The section's HTML with its figures' JSON unescaped (plotly writes non-ASCII as \\uXXXX)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


def test_the_english_report_section_reads_in_english() -> None:
    """The English fiscal section: the title without (人地钱挂钩), no 户籍人口 before its English, no 万 yuan; Chinese
    only as an official name in brackets after its English words (示意图, 南海诸岛), and in the scheme's citation of a
    Chinese document, shown as written (docs/parameters.md, "Sources")."""
    params = fiscal_parameters(date(2026, 12, 3))
    costs = unit_costs_cited(load_standards(), CENSUS_DAY)
    results = compute_fiscal(census_2020().provinces, compute_gaps(level="province"), params, costs)
    section = fiscal_section(results, province_geojson(), "the planning gaps", Lang.EN)
    assert not CJK.search(section.title), section.title
    body = _unescaped(section.body_html)
    body = body.replace(params.cited(Lang.EN), "")  # the citation of the document, as written
    # a map trace's name is never shown (no legend; its hover is the English text the section gives)
    body = re.sub(r'"name":"[^"]*","showlegend":false', "", body)
    named = re.compile(r"(?:(?<=[A-Za-z]) |(?<=[A-Za-z])<br>)\(([\u4e00-\u9fff]+)\)")  # "Sketch map (示意图)"
    assert sorted(set(named.findall(body))) == ["南海诸岛", "示意图"]
    left = [m.group(0) for m in re.finditer(r".{0,40}[\u4e00-\u9fff]+.{0,20}", named.sub("", body))]
    assert left == [], left
    assert "10,000 yuan a year" in body and "The registered (hukou) population is an estimate" in body


@pytest.mark.parametrize(
    ("lang", "sheets", "units"),
    [
        ("zh", ["服务券清算", "各省转移支付（含估算）", "公平性（含估算）"], ["金额（元）", "户籍口径（估算，亿元）"]),
        (
            "en",
            ["Voucher clearing", "Transfers (with estimates)", "Equity (with estimates)"],
            ["Amount (yuan)", "Registered basis, estimate (100 million yuan)"],
        ),
    ],
)
def test_the_exported_workbook_reads_in_the_language(
    lang: str, sheets: list[str], units: list[str], tmp_path: Path
) -> None:
    """The workbook a fiscal official exports, opened as a spreadsheet reads it: its sheets were named clearing,
    transfers, equity in either language; each header is in the language, with its unit, the estimates so marked."""
    redemptions = tmp_path / "redemptions.csv"
    redemptions.write_text(HEADER + "410000,440000,120.5\n440000,410000,20\n", encoding="utf-8")
    export = tmp_path / "fiscal.xlsx"
    args = ["fiscal", "--out", str(tmp_path / "out"), "--lang", lang, "--redemptions", str(redemptions)]
    ran = CliRunner().invoke(app, [*args, "--export", str(export)])
    assert ran.exit_code == 0, ran.output
    book = fastexcel.read_excel(export)
    assert book.sheet_names == sheets
    clearing = book.load_sheet_by_name(sheets[0]).to_polars()
    transfers = book.load_sheet_by_name(sheets[1]).to_polars()
    equity = book.load_sheet_by_name(sheets[2]).to_polars()
    assert clearing.columns[-1] == units[0] and clearing[units[0]].to_list() == [100.5]
    assert transfers.columns[2] == units[1] and transfers[units[1]].dtype == pl.Float64
    estimate = "估算" if lang == "zh" else "estimate"
    for table in (transfers, equity):
        assert any(estimate in c for c in table.columns[1:-1]), table.columns
        assert table[table.columns[-1]].str.starts_with(estimate).all()  # the note on every row
    for table in (clearing, transfers, equity):
        headers = " ".join(table.columns)
        assert bool(CJK.search(headers)) == (lang == "zh"), headers
        assert "_" not in headers, headers


def test_an_unreadable_redemptions_file_says_why_in_each_language(tmp_path: Path) -> None:
    """An empty file: the Chinese message said why in English (the reader's English words in the brackets)."""
    path = tmp_path / "redemptions.csv"
    path.write_bytes(b"")
    zh, en = _refused(path)
    assert zh.startswith(f"{path}：无法读取服务券兑付记录（文件是空的") and not re.search(
        "[A-Za-z]{3}", zh[len(str(path)) :]
    )
    assert en.startswith(f"{path}: cannot read redemptions (the file is empty") and not CJK.search(en), en


def test_a_schemes_source_says_in_english_that_it_is_unverified() -> None:
    """A scheme's source that carries the project's remark that it is not yet verified is given in both languages
    (the citation translated in the English): the English report and office read "…挂钩机制（出处待核实）" until
    2026-12-04."""
    for scheme in load_schemes():
        assert "待核实" not in scheme.cited(Lang.EN), scheme.scheme_id
    scheme = fiscal_parameters(on=date(2022, 1, 1))
    assert scheme.cited(Lang.EN).endswith("rural migrants settled … (source not yet verified)"), scheme.cited(Lang.EN)
    assert scheme.cited(Lang.ZH).endswith("挂钩机制（出处待核实）"), scheme.cited(Lang.ZH)
