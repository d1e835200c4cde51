"""What a clerk leaves of a template or an office file: the template's example row kept above their own rows, a
previous place's months left empty, a column under a header the reader does not know."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from tables_support import ENGLISH, schema_of, template_written_over

from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode
from changzhu.tables import TableRejected, read_table
from changzhu.tables.places import reason_text
from changzhu.tables.template import template_frame, write_template

REAL_ZHANG_SAN = "440106199001010016"  # another 张三: a row of the clerk's, read as any other


def _with_own_row(kind: str, path: Path, *, example: bool = True, **own: str) -> Path:
    """The template of `kind` as a CSV with the clerk's own row (the example's values but `own`, by column name)
    under the example row kept (`example`) or in its place."""
    schema = schema_of(kind)
    written = template_frame(schema)
    headers = {c.name: h for c, h in zip(schema.columns, written.columns, strict=True)}
    theirs = written.with_columns(pl.lit(v).alias(headers[k]) for k, v in own.items())
    (pl.concat([written, theirs]) if example else theirs).write_csv(path, include_bom=True)
    return path


def test_the_template_s_example_row_left_in_is_refused_naming_it_in_both_languages(tmp_path: Path) -> None:
    path = _with_own_row("resident", tmp_path / "登记.csv", id_number=REAL_ZHANG_SAN)
    with pytest.raises(TableRejected) as refused:
        read_table(path, schema_of("resident"))
    (error,) = refused.value.errors  # the example row only, once (not its identity number beside the clerk's)
    assert (error.line, error.column, error.value) == (2, "姓名 (name)", "张三")
    assert reason_text(error.reason, Lang.ZH) == "这一行是模板自带的示例行，不是数据：请从文件中删去这一行"
    assert reason_text(error.reason, Lang.EN) == "the template's example row, not data: delete this row from the file"
    said = dict(refused.value.refusal.params)
    assert "第 2 行 姓名 (name) “张三”：这一行是模板自带的示例行" in said["text_zh"], said
    assert 'row 2 姓名 (name) "张三": the template\'s example row' in said["text_en"], said
    kept = read_table(path, schema_of("resident"), skip_bad_rows=True)  # the clerk's own 张三 is read
    assert kept.frame["id_number"].to_list() == [REAL_ZHANG_SAN] and list(kept.lines) == [3]
    assert kept.skipped == 1 and kept.errors[0].reason.code == RefusalCode.EXAMPLE_ROW


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_facility_template_left_as_written_stores_no_hospital(suffix: str, tmp_path: Path) -> None:
    """深圳市人民医院 with 2,800 beds, the example, is no hospital of the planner's: refused from a workbook (its
    number cells) as from a CSV; with one value of theirs written over it, the row is theirs and read."""
    schema = schema_of("facility")
    path = tmp_path / f"医院{suffix}"
    write_template(schema, path)
    with pytest.raises(TableRejected) as refused:
        read_table(path, schema)
    assert [(e.line, e.value, e.reason.code) for e in refused.value.errors] == [
        (2, "SZ-H-001", RefusalCode.EXAMPLE_ROW)
    ]
    assert read_table(template_written_over(schema, path), schema).frame["capacity"].to_list() == [2800]


def test_a_row_is_the_example_only_when_every_value_is(tmp_path: Path) -> None:
    """A real 张三 (the example's name, their own identity number), the example hospital with another bed count, or
    an office's list without the example's facility id is a row of the clerk's: matched on every value of the
    template's example row, not on a name."""
    zhang = read_table(
        _with_own_row("resident", tmp_path / "r.csv", id_number=REAL_ZHANG_SAN),
        schema_of("resident"),
        skip_bad_rows=True,
    )
    assert zhang.frame["name"].to_list() == ["张三"]
    beds = read_table(
        _with_own_row("facility", tmp_path / "f.csv", example=False, capacity="2801"), schema_of("facility")
    )
    assert beds.frame["capacity"].to_list() == [2801]
    # an office's own list (no 设施编号 column) naming the real 深圳市人民医院 with the example's very beds, district
    # and address: not the template's row, which fills every column; read as the hospital it is
    office = tmp_path / "医院.csv"
    office.write_text("医院名称,所在区,地址,床位数\n深圳市人民医院,440303,深圳市罗湖区东门北路1017号,2800\n")
    assert read_table(office, schema_of("facility")).frame["name"].to_list() == ["深圳市人民医院"]


def test_a_scenario_population_equal_to_the_example_is_read_as_data(tmp_path: Path) -> None:
    """Its example (深圳 at 17,560,000, the census rounded) may be an analyst's own figure: read, not refused."""
    path = tmp_path / "情景人口.csv"
    write_template(schema_of("population"), path)
    assert read_table(path, schema_of("population")).frame["pop_resident"].to_list() == [17560000]


def test_a_previous_place_s_months_left_empty_say_to_write_0_and_are_not_taken_as_0(tmp_path: Path) -> None:
    """No 上一居住地 and its months left empty: refused saying what to write (0 with no previous place), not with
    only 缺少数值, and never read as 0 (unknown is not zero)."""
    path = tmp_path / "people.csv"
    lines = ENGLISH["person"].splitlines()
    assert ",,0,0,false," in lines[2]
    lines[2] = lines[2].replace(",,0,0,false,", ",,,,false,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableRejected) as refused:
        read_table(path, schema_of("person"))
    errors = refused.value.errors
    assert [(e.line, e.column) for e in errors] == [(3, "prior_residence_months"), (3, "prior_si_months")]
    assert reason_text(errors[0].reason, Lang.ZH) == (
        "缺少月数：没有上一居住地的，在那里的月数为 0，请写 0；有上一居住地的，请写上一居住地和在那里的月数"
    )
    assert reason_text(errors[0].reason, Lang.EN).startswith(
        "the months are missing: with no previous place of residence the months there are 0, write 0"
    )
    kept = read_table(path, schema_of("person"), skip_bad_rows=True)
    assert kept.frame["person_id"].to_list() == [1, 3]  # not kept with 0 filled in


def test_a_missing_column_names_the_headers_that_give_it_in_the_reader_s_language(tmp_path: Path) -> None:
    """An office's register headed 到达日期 (not a header the reader knows) for the date it came: the column is
    named as a template heads it, and the reason lists the headers that give it (来本市日期 among them), the
    Chinese one first in Chinese, the English label first in English."""
    path = tmp_path / "登记.csv"
    path.write_text(
        "身份证号,户籍地,常住地,到达日期,证明类型,证明编号\n510104199003070138,510100,440300,2020-01-01,住房,a\n"
    )
    with pytest.raises(TableRejected) as refused:
        read_table(path, schema_of("resident"))
    missing = [e for e in refused.value.errors if e.column != "到达日期"]
    assert [e.column for e in missing] == ["居住起始日期 (residence_since)"]
    said_zh, said_en = (reason_text(missing[0].reason, lang) for lang in (Lang.ZH, Lang.EN))
    others = ("来本市日期", "来本地日期", "来本市居住日期", "来本地居住日期")
    assert said_zh == f"缺少此列：表头可写「居住起始日期」（或 {'、'.join(others)}、resident since）"
    assert said_en == f'column is missing: its header may be "resident since" (or 居住起始日期, {", ".join(others)})'
    assert "residence_since：" not in dict(refused.value.refusal.params)["text_zh"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "常住人口登记表模板已写入 {path}：第 2 行是示例，导入前请删去或改写"),
        ("en", "template for residents to register written to {path}: row 2 is an example, delete or overwrite it"),
    ],
)
def test_the_template_command_says_in_its_language_that_row_2_is_an_example(
    lang: str, said: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from changzhu.cli.main import app

    path = tmp_path / "t.csv"
    ran = CliRunner().invoke(app, ["schema", "resident", "--template", str(path)], env={"CHANGZHU_LANG": lang})
    assert ran.exit_code == 0, ran.output
    assert said.format(path=path) in " ".join(ran.output.split()), ran.output


@pytest.mark.parametrize("kind", ["person", "facility"])
def test_a_template_s_example_row_writes_yes_no_and_categories_as_a_clerk_does(kind: str, tmp_path: Path) -> None:
    """The Chinese template's example row showed a declared input's category by its code (suburban, bachelor, none),
    a yes/no as false, a facility's service as hospital_beds: words of the program, not of the office. It writes
    their labels (郊区, 否, 医疗卫生机构床位), which read back as the same values, and is still the example row."""
    from typer.testing import CliRunner

    from changzhu.cli.main import app
    from changzhu.cli.tables_cmds import person_file_schema

    path = tmp_path / f"{kind}.csv"
    ran = CliRunner().invoke(app, ["schema", kind, "--template", str(path), "--lang", "zh"])
    assert ran.exit_code == 0, ran.output
    example = pl.read_csv(path, infer_schema=False).row(0, named=True)
    ran = CliRunner().invoke(app, ["schema", kind, "--format", "json"])
    described = json.loads(ran.output[ran.output.index("{") :])
    codes = []
    for col in described["columns"]:
        cell = example[f"{col['label_zh']} ({col['name']})"] or ""
        labels = {c["code"]: c["label_zh"] for c in col["categories"]}
        if col["type"] == "bool":
            assert cell in ("", "是", "否"), (col["name"], cell)
        for part in cell.split(";") if labels else []:
            if part in labels and labels[part] != part:
                codes.append((col["name"], part))
    assert codes == []
    with pytest.raises(TableRejected) as refused:  # left in, it is still the example row, and read as one
        read_table(path, person_file_schema() if kind == "person" else schema_of(kind))
    assert [e.reason.code for e in refused.value.errors] == [RefusalCode.EXAMPLE_ROW]
