"""Tables a command prints can be written to CSV, XLSX, Parquet or JSON by the file's extension."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.output import export_tables


def _read(path: Path) -> pl.DataFrame:
    suffix = path.suffix
    if suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
        return pl.read_csv(path)
    if suffix == ".xlsx":
        return pl.read_excel(path)
    if suffix == ".json":
        return pl.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    return pl.read_parquet(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json"])
def test_check_list_parameters_writes_the_table_by_extension(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"parameters{suffix}"
    ran = CliRunner().invoke(app, ["check", "--list-parameters", "--out", str(target)])
    assert ran.exit_code == 0, ran.output
    written = _read(target)
    assert written.height > 50 and {"parameter", "jurisdiction", "since", "source"} <= set(written.columns)


def test_several_tables_go_to_sheets_files_or_one_json(tmp_path: Path) -> None:
    tables = {"one": pl.DataFrame({"a": [1, 2]}), "two": pl.DataFrame({"城市": ["深圳"]})}
    assert export_tables(tables, tmp_path / "t.xlsx") == [tmp_path / "t.xlsx"]
    assert pl.read_excel(tmp_path / "t.xlsx", sheet_name="two")["城市"].to_list() == ["深圳"]
    assert export_tables(tables, tmp_path / "t.csv") == [tmp_path / "t_one.csv", tmp_path / "t_two.csv"]
    assert _read(tmp_path / "t_two.csv")["城市"].to_list() == ["深圳"]
    export_tables(tables, tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["one"] == [{"a": 1}, {"a": 2}]


def test_validate_exports_its_tables(tmp_path: Path) -> None:
    ran = CliRunner().invoke(app, ["validate", "--export", str(tmp_path / "v.xlsx")])
    assert ran.exit_code in (0, 1), ran.output
    checks = pl.read_excel(tmp_path / "v.xlsx", sheet_name="validation")
    fit = pl.read_excel(tmp_path / "v.xlsx", sheet_name="fit")
    assert checks.height >= 10 and fit.height >= 3


PEOPLE_GBK = (
    "人员编号,性别,出生日期,户籍所在地,现居住地,来本地居住日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,"
    "本地医保缴费月数,原居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录\r\n"
    "001,女,1990/03/15,四川省成都市,深圳市南山区,2019/09/01,2020/01/10,60,96,60,,0,0,是,本科,租房,4500,,否\r\n"
    "2,男,1985/6/12,湖南省长沙市,东莞市,2024/3/5,,12,12,12,广州市,36,36,是,大专,租房,3200,,否\r\n"
)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_evaluate_writes_its_decisions_to_csv_with_the_facts_needed_as_text(tmp_path: Path, suffix: str) -> None:
    """`changzhu evaluate 人员.csv --out 结果.csv` (an office's GBK file, Chinese headers) wrote nothing and ended in
    a traceback: a decision's needs_ is a list, which a CSV cell cannot hold. The CSV holds it "a; b", as the API's
    format=csv does; the Parquet file keeps the list."""
    people = tmp_path / "人员.csv"
    people.write_bytes(PEOPLE_GBK.encode("gbk"))
    target = tmp_path / f"结果{suffix}"
    ran = CliRunner().invoke(app, ["evaluate", str(people), "--on", "2026-06-01", "--out", str(target)])
    assert ran.exit_code == 0, ran.output
    written = _read(target)
    assert written["person_id"].to_list() == [1, 2]
    needs = written["unassessed_dongguan_settlement_points"].to_list()
    assert needs[0] is None
    if suffix == ".csv":
        assert needs[1] == "insurance; home; social_service; tax; invention"
    else:
        assert needs[1] == ["insurance", "home", "social_service", "tax", "invention"]
