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
