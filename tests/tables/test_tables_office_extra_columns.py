"""Files as offices keep them, through the CLI: a Chengdu hospital list in xlsx with its own columns (医院等级, 电话,
备注) is planned from with a warning naming them, and `changzhu plan --export` writes every figure of every sheet as a
number cell (the sites sheet held text: Excel's green triangles, sums of 0); a template workbook's example numbers
are number cells too; a residents file's rows left out by `changzhu import --skip-bad-rows` keep, in the --errors
file, the value each held (the value column was empty)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from tables_support import template_written_over
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.registry.identity import check_char
from changzhu.tables import TableRejected, read_table, schema_of
from changzhu.tables.kinds import KINDS
from changzhu.tables.template import write_template
from sheet_files import gbk_csv_bytes, numbers_as_text, xlsx_bytes

HEADERS = ["序号", "医院名称", "所在区县", "医院等级", "床位数", "地址", "电话", "备注"]
ROWS: list[list[Any]] = [
    [1, "四川省人民医院", "青羊区", "三级甲等", 4300, "成都市青羊区一环路西二段32号", "028-87393999", ""],
    [2, "四川大学华西医院", "武侯区", "三级甲等", 4300, "成都市武侯区国学巷37号", "028-85422114", "含本部"],
    [3, "成都市第三人民医院", "青羊区", "三级甲等", 1500, "成都市青羊区青龙街82号", "028-61318899", ""],
]


def _facility() -> Any:
    return schema_of("facility", service_catalog(load_standards()), ())


def test_an_office_s_own_columns_are_left_out_unless_one_reads_as_a_known_header_mistyped(tmp_path: Path) -> None:
    path = tmp_path / "医院.csv"
    path.write_bytes(gbk_csv_bytes([*HEADERS, "机构类别", "核定床位数"], [[*r, "综合医院", 100] for r in ROWS]))
    read = read_table(path, _facility())  # 机构类别 beside the service 床位数 gives, 核定床位数 beside 床位数: theirs
    assert read.ignored == ("医院等级", "电话", "备注", "机构类别", "核定床位数")
    assert read.frame["capacity"].to_list() == [4300, 4300, 1500]
    path.write_bytes(gbk_csv_bytes([h if h != "床位数" else "床位树" for h in HEADERS], ROWS))  # a typo
    with pytest.raises(TableRejected) as refused:
        read_table(path, _facility())
    reasons = {e.column: e.reason for e in refused.value.errors}
    assert reasons["床位树"].zh.startswith("列名与「床位数」（容量）相近，像是写错了")
    assert "电话" not in reasons  # the typo explains the missing capacity: the office's columns are not named
    path.write_bytes(gbk_csv_bytes([h if h != "床位数" else "核定床位" for h in HEADERS], ROWS))  # another name
    with pytest.raises(TableRejected) as refused:
        read_table(path, _facility())
    reasons = {e.column: e.reason for e in refused.value.errors}
    assert reasons["核定床位"].zh.startswith("未知的列，不读取：如果它就是缺少的那一列")  # named beside the missing one
    assert reasons["核定床位"].en.startswith("unknown column, not read: if it is the missing column")
    assert reasons["容量 (capacity)"].en.startswith('column is missing: its header may be "capacity" (or 容量, ')


def test_plan_reads_an_office_list_and_exports_numbers_as_numbers(tmp_path: Path) -> None:
    listed = tmp_path / "成都医院.xlsx"
    listed.write_bytes(xlsx_bytes("医院", HEADERS, ROWS))
    export = tmp_path / "规划.xlsx"
    args = ["plan", "--out", str(tmp_path), "--years", "5", "--p", "5", "--facilities", str(listed)]
    ran = CliRunner().invoke(app, [*args, "--scope", "county", "--export", str(export), "--lang", "zh"])
    assert ran.exit_code == 0, ran.output
    assert "以下列不是设施清单的列，未读取，也不会保存：医院等级、电话、备注" in ran.output
    assert numbers_as_text(export) == {"清单替换的供给": [], "各省短缺合计": [], "医院选址": []}  # sheets in --lang
    sites = pl.read_excel(export, sheet_name="医院选址")
    assert sites["新建医院"].dtype.is_integer() and sites["50 公里内常住人口占比（后）（%）"].dtype.is_float()
    assert 0 < sites["50 公里内常住人口占比（后）（%）"].max() <= 100  # in per cent, as its header says
    replaced = pl.read_excel(export, sheet_name="清单替换的供给")
    assert replaced["清单占估计的比例（%）"].dtype.is_float() and replaced["清单供给"].sum() == 4300 + 4300 + 1500


def test_a_template_workbook_s_example_numbers_are_number_cells(tmp_path: Path) -> None:
    for kind in KINDS:
        schema = schema_of(kind, service_catalog(load_standards()), ())
        path = tmp_path / f"{kind}.xlsx"
        write_template(schema, path)
        header = pl.read_excel(path).columns
        texts = {header[ord(ref[0]) - ord("A")] for sheet in numbers_as_text(path).values() for ref, _ in sheet}
        # an identity number, a phone and a region code stay text (a number cell would lose their digits)
        kept = {c.name for c in schema.columns if c.type.value in ("text", "region")}
        assert {h.rsplit("(", 1)[-1].rstrip(")") for h in texts} <= kept, (kind, texts)
        assert read_table(template_written_over(schema, path), schema).frame.height == 1


def _id(tail: str) -> str:
    first17 = f"44010619900101{tail}"
    return first17 + check_char(first17)


def test_the_errors_file_of_an_import_holds_each_left_out_row_s_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from changzhu.api.auth.accounts import create_user
    from changzhu.api.auth.roles import Role
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    url = f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", url)
    upgrade(make_engine(url))
    create_user(make_engine(url), "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"])
    wrong = _id("123")[:-1] + ("1" if _id("123")[-1] != "1" else "2")
    headers = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", "学历", "备注"]
    rows = [
        [_id("113"), "王芳", "510100", "440100", "2021-03-01", "就业", "合同-1", "本科", ""],
        [wrong, "李强", "510100", "440100", "2021-03-01", "就业", "合同-2", "本科", "新来"],
        [_id("133"), "赵敏", "510100", "440100", "2021-03-01", "就业", "合同-3", "研究生学历", ""],
        [_id("113"), "王芳", "510100", "440100", "2021-03-01", "就业", "合同-4", "本科", ""],
    ]
    path = tmp_path / "常住人口.csv"
    path.write_bytes(gbk_csv_bytes(headers, rows))
    errors = tmp_path / "错误报告.csv"
    args = ["import", "residents", str(path), "--as", "cw_gz", "--skip-bad-rows", "--errors", str(errors)]
    ran = CliRunner().invoke(app, [*args, "--lang", "zh"])
    assert ran.exit_code == 0, ran.output
    assert "以下列不是常住人口登记表的列，未读取，也不会保存：备注" in ran.output
    report = {r["row"]: r for r in pl.read_csv(errors, infer_schema_length=None).iter_rows(named=True)}
    assert sorted(report) == [2, 3, 4, 5]  # rows 2 and 5 give one person twice: neither is stored
    assert report[3]["value"] == f"{wrong[:2]}{'*' * 14}{wrong[-2:]}"  # masked, as the resident page shows it
    assert report[3]["reason_zh"].startswith("身份证号码校验位不符（GB 11643-1999），号码中有写错的字符：请对照身份证")
    assert "X stands for 10" in report[3]["reason"]
    assert report[4]["value"] == "研究生学历" and report[4]["column"] == "学历"
    assert report[5]["value"] == f"{_id('113')[:2]}{'*' * 14}{_id('113')[-2:]}"  # same person as row 2
    assert report[2]["reason_zh"] == "与第 5 行是同一人" and report[5]["reason_zh"] == "与第 2 行是同一人"


@pytest.mark.parametrize("kind", ["resident", "contribution", "facility"])
def test_the_columns_left_out_are_named_in_grammatical_english_for_every_table(kind: str, tmp_path: Path) -> None:
    """The warning naming a file's own columns reads in English for every table, whatever its name (before: "not a
    residents to register's", "not a contribution history's")."""
    from changzhu.api.upload_tables import UploadKind, schema_for
    from changzhu.tables.read import TableRead

    schema = schema_for(UploadKind(kind))
    note = TableRead(pl.DataFrame(), [], [], 0, ignored=("备注", "联系人")).ignored_note(schema)
    assert note is not None
    assert (
        note.en == f"columns left out, neither read nor stored (not columns of this table, {schema.en}): 备注, 联系人"
    )
    assert note.zh == f"以下列不是{schema.zh}的列，未读取，也不会保存：备注、联系人"
