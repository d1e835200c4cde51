"""The CLI's doors: `changzhu schema`, person files in every form for evaluate and explain, errors, exports."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from tables_support import KINDS, reference, schema_of, write_forms
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.cli.tables_cmds import person_file_schema

ON = "2026-06-01"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_lists_every_column_in_each_format(kind: str, tmp_path: Path) -> None:
    schema = person_file_schema() if kind == "person" else schema_of(kind)  # people: with the declared inputs
    names = [c.name for c in schema.columns]
    as_json = CliRunner().invoke(app, ["schema", kind, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    doc = json.loads(as_json.output)
    assert [c["name"] for c in doc["columns"]] == names and all(c["label_zh"] for c in doc["columns"])
    as_csv = CliRunner().invoke(app, ["schema", kind, "--format", "csv"])
    assert pl.read_csv(as_csv.output.encode())["column"].to_list() == names
    markdown = CliRunner().invoke(app, ["schema", kind, "--format", "markdown"])
    assert all(f"| {n} |" in markdown.output for n in names)
    template = tmp_path / "t.xlsx"
    assert CliRunner().invoke(app, ["schema", kind, "--template", str(template)]).exit_code == 0
    assert pl.read_excel(template).height == 1


def _evaluate(path: Path, *extra: str) -> tuple[int, str]:
    ran = CliRunner().invoke(app, ["evaluate", str(path), "--on", ON, "-f", "json", *extra])
    return ran.exit_code, ran.output


def test_evaluate_reads_every_form_of_a_person_table_alike(tmp_path: Path) -> None:
    people = reference("person", tmp_path)
    results = []
    for path in [tmp_path / "person_en.csv", *write_forms("person", people, tmp_path).values()]:
        out = tmp_path / f"{path.name}.result.parquet"
        code, output = _evaluate(path, "--out", str(out))
        assert code == 0, output
        results.append(pl.read_parquet(out))
    assert all(r.equals(results[0]) for r in results[1:])
    assert results[0].height == people.height


def test_a_bad_person_file_is_reported_and_nothing_is_evaluated(tmp_path: Path) -> None:
    reference("person", tmp_path)
    lines = (tmp_path / "person_en.csv").read_text().splitlines()
    lines[2] = lines[2].replace("2016-05-20", "2016-05-32")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    out, errors = tmp_path / "result.parquet", tmp_path / "errors.csv"
    command = ["evaluate", str(bad), "--on", ON, "--out", str(out), "--errors", str(errors)]
    ran = CliRunner().invoke(app, [*command, "--lang", "en"])
    assert ran.exit_code != 0 and "1 of 3 row(s) rejected" in str(ran.exception)
    assert "error report (1 problem) written to" in ran.output  # not "1 problems"
    assert "错误报告" not in ran.output  # the command's language only
    ran = CliRunner().invoke(app, [*command, "--lang", "zh"])
    assert "错误报告（1 个问题）已写入" in ran.output and "error report" not in ran.output, ran.output
    assert not out.exists()
    report = pl.read_csv(errors, infer_schema=False)
    assert report.columns == ["row", "column", "value", "reason", "reason_zh"]  # "row" as every message says
    reasons = ("no such day: month 5 of 2016 has no day 32", "没有这一天：2016 年 5 月没有 32 日")  # both languages
    assert report.rows() == [("3", "birth_date", "2016-05-32", *reasons)]
    assert errors.read_bytes().startswith(b"\xef\xbb\xbf")
    skipped = CliRunner().invoke(
        app, ["evaluate", str(bad), "--on", ON, "--out", str(out), "--skip-bad-rows", "-f", "json"]
    )
    assert skipped.exit_code == 0, skipped.output
    assert pl.read_parquet(out)["person_id"].to_list() == [1, 3]


def test_explain_reads_a_chinese_gbk_file(tmp_path: Path) -> None:
    people = reference("person", tmp_path)
    gbk = write_forms("person", people, tmp_path)["gbk.csv"]
    ran = CliRunner().invoke(app, ["explain", "--people", str(gbk), "--person-id", "1", "--on", ON, "--json"])
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.output)[0]["case"] == str(gbk)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_tables_the_cli_shows_export_to_files(suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert CliRunner().invoke(app, ["db", "load"]).exit_code == 0
    out = tmp_path / f"population{suffix}"
    ran = CliRunner().invoke(app, ["population", "--level", "province", "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    frame = {".csv": pl.read_csv, ".xlsx": pl.read_excel, ".parquet": pl.read_parquet}[suffix](out)
    assert frame.height == 31 and frame["pop_resident_2020"].sum() == 1_409_778_724
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    refused = CliRunner().invoke(app, ["population", "--format", "xlsx"])
    assert refused.exit_code != 0 and "--out" in str(refused.exception)


def test_the_docs_list_the_columns_the_schemas_have() -> None:
    from changzhu.tables.template import describe_markdown

    page = (Path(__file__).parents[2] / "docs" / "import-export.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert describe_markdown(schema_of(kind)) in page, f"docs/import-export.md is out of date for {kind}"
