"""The decisions workbook an office reads (rules.decision_sheet): titles and words in Chinese or English, the
facts needed by their labels, a sheet naming each column's fields; from the CLI and the API alike."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from rules_support import ON, random_people
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.domain.lang import Lang
from changzhu.domain.services import Service, service_title
from changzhu.rules import evaluate
from changzhu.rules.catalog import policies_in_use
from changzhu.rules.decision_sheet import WORDS, decision_sheets
from changzhu.rules.labels import fact_labels

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def decided() -> pl.DataFrame:
    return evaluate(random_people(400, 17), ON, earliest=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_decision_reads_as_words_under_its_title(decided: pl.DataFrame, lang: str) -> None:
    sheet = decision_sheets(decided, lang).decisions
    words = WORDS[lang]
    assert sheet.columns[0] == words["person_id"]
    assert sheet[words["person_id"]].to_list() == decided["person_id"].to_list()
    for service in Service:
        cells = sheet[service_title(service, Lang(lang))]
        eligible, undetermined = decided[f"eligible_{service.value}"], decided[f"undetermined_{service.value}"]
        assert (cells == words["undetermined"]).sum() == undetermined.sum()
        assert (cells == words["eligible"]).sum() == (eligible & ~undetermined).sum()
        assert cells.null_count() == 0
    assert not any("_" in header for header in sheet.columns)  # no field names in front of a reader
    if lang == "en":
        assert not any(CJK.search(header) for header in sheet.columns)


def test_the_facts_needed_are_named_by_their_labels(decided: pl.DataFrame) -> None:
    labels = fact_labels(policies_in_use().variables, "zh")  # the variables, and parent_id, parent_lives_here
    sheet = decision_sheets(decided, "zh").decisions
    service = next(s for s in Service if decided[f"undetermined_{s.value}"].any())
    cells = sheet[f"{service_title(service, Lang.ZH)}：需补充的信息"].to_list()
    needs = decided[f"needs_{service.value}"].to_list()
    assert any(needs)
    for cell, names in zip(cells, needs, strict=True):
        assert (cell is None) == (names is None)
        if names:
            assert cell == "、".join(labels[name] for name in names)


def test_open_points_show_their_range_and_unscored_indicators(decided: pl.DataFrame) -> None:
    sheet = decision_sheets(decided, "en").decisions
    scheme = "shanghai_residence_points"
    low, high = decided[f"points_low_{scheme}"].to_numpy(), decided[f"points_high_{scheme}"].to_numpy()
    open_ = ~np.isnan(low) & (low != high)
    assert open_.any()
    title = next(c.removesuffix(": points") for c in sheet.columns if c.startswith("Shanghai") and c.endswith("points"))
    ranges = sheet[f"{title}: points range (facts missing)"].to_list()
    row = int(np.flatnonzero(open_)[0])
    expected_high = f"{high[row]:.2f}".rstrip("0").rstrip(".")
    assert ranges[row].endswith(expected_high) and ranges[row][0] in "≤0123456789-"
    assert [r is not None for r in ranges] == open_.tolist()
    unscored = sheet[f"{title}: indicators not scored"].to_list()[row]
    assert unscored and "_" not in unscored


def test_the_columns_sheet_names_every_field_shown(decided: pl.DataFrame) -> None:
    """Every field of the machine file is behind a column of the sheet, except those left out: earliest dates not
    evaluated, facts needed where no decision is open, schemes nobody is scored on."""
    sheets = decision_sheets(decided, "zh")
    shown = {f for cell in sheets.columns["机器文件中的字段"].to_list() for f in cell.split(", ")}
    left_out = set(decided.columns) - shown
    for field in left_out:
        values = decided[field]
        assert field.startswith("earliest_") or values.null_count() == decided.height, field
    assert sheets.columns["列"].to_list() == sheets.decisions.columns
    with_dates = decision_sheets(decided, "zh", earliest=True).decisions
    assert f"{service_title(next(iter(Service)), Lang.ZH)}：可符合日期（估算）" in with_dates.columns


@pytest.mark.parametrize(
    ("lang", "header", "estimate"),
    [
        ("zh", "可符合日期（估算）", "这是估算，不是承诺：假定情况不变"),
        ("en", "eligible from (estimate)", "An estimate, not a promise: it assumes nothing changes"),
    ],
)
def test_the_earliest_date_says_it_is_an_estimate(decided: pl.DataFrame, lang: str, header: str, estimate: str) -> None:
    """The earliest date is an estimate: its header and its note on the columns sheet say so, in the office's words
    (entitlement.estimate). Before: "可符合日期" and "最早符合条件的日期（情况不变时）", never 估算."""
    sheets = decision_sheets(decided, lang, earliest=True)
    dated = [column for column in sheets.decisions.columns if column.endswith(header)]
    assert len(dated) == len(Service), sheets.decisions.columns
    notes = dict(zip(sheets.columns[WORDS[lang]["header"]], sheets.columns[WORDS[lang]["meaning"]], strict=True))
    assert all(estimate in notes[column] for column in dated), notes


def test_the_cli_writes_the_workbook_from_a_clerks_gbk_file(tmp_path: Path) -> None:
    """A GBK CSV with Chinese headers, places written down to the district: `evaluate --out x.xlsx --lang en`
    writes the two sheets; the Parquet file keeps the fields for programs."""
    source = tmp_path / "people.csv"
    source.write_bytes(
        (
            "序号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,"
            "本地医保缴费月数,上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,"
            "家庭人均月收入,父母编号,犯罪记录\n"
            "1,女,1988/3/15,四川省成都市,深圳市南山区,2018年9月1日,2019-01-10,72,96,72,,0,0,是,本科,租房,5200,,否\n"
            "2,男,1990-07-02,湖北省仙桃市,上海市,2020-03-01,,40,60,40,武汉市,24,20,是,大专,租房,3800,,否\n"
        ).encode("gbk")
    )
    book, machine = tmp_path / "decisions.xlsx", tmp_path / "decisions.parquet"
    for out, lang in ((book, "en"), (machine, "zh")):
        ran = CliRunner().invoke(app, ["evaluate", str(source), "--on", ON.isoformat(), "--out", str(out),
                                       "--lang", lang, "-f", "json"])  # fmt: skip
        assert ran.exit_code == 0, ran.output
    sheets = pl.read_excel(book, sheet_id=0)
    assert list(sheets) == ["decisions", "columns"]
    decisions = sheets["decisions"]
    assert decisions["residence permit (juzhuzheng)"].to_list() == ["eligible", "eligible"]
    fields = pl.read_parquet(machine)
    assert fields["eligible_residence_permit"].to_list() == [True, True]
    assert set(sheets["columns"]["column"].to_list()) == set(decisions.columns)
    refused = CliRunner().invoke(app, ["evaluate", str(source), "--out", str(book), "--lang", "fr"])
    assert refused.exit_code == 2 and "'fr' is not one of 'zh', 'en'" in refused.output
