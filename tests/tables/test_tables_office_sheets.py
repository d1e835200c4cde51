"""A registration sheet as an office keeps it: blank rows between the data, a total row under it, a category written
wrong. Each bad row is named by its own line in the file (the sheet row in Excel), with one reason a clerk can act on,
in Chinese without English words."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import Engine

from changzhu.casework.bulk_import import ImportRejected, import_residents
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode
from changzhu.registry.declared import declared_columns
from changzhu.registry.identity import InvalidIdNumber, check_char, parse_id_number
from changzhu.registry.migrate import upgrade
from changzhu.tables import TableRejected, read_table
from changzhu.tables.kinds import resident_schema
from changzhu.tables.places import reason_text
from changzhu.tables.vocab import shipped_region_index

HEAD = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号"]


def _id(first17: str) -> str:
    return first17 + check_char(first17)


def _rows() -> list[list[object]]:
    """Sheet rows 1-8: header, a good row, two blank rows, a good row with an Excel date cell, a proof kind written
    as 工作 (近 就业), a blank row, and the total row a spreadsheet adds."""
    return [
        HEAD,
        [_id("51010419880305002"), "张伟", "成都市", "广州市", "2024/3/5", "就业", "合同-001"],
        [],
        [],
        [_id("51010419900412003"), "刘芳", "510100", "440100", datetime.date(2024, 3, 5), "住房", "租房合同-2"],
        [_id("51010419950505008"), "周八", "成都市", "广州市", "2024年3月5日", "工作", "合同-008"],
        [],
        ["合计", "3人", "", "", "", "", ""],
    ]


def _xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet, dates = book.add_worksheet("Sheet1"), book.add_format({"num_format": "yyyy/m/d"})
    for r, row in enumerate(_rows()):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime(value.year, value.month, value.day), dates)
            elif value != "":
                sheet.write_string(r, c, str(value))
    book.close()
    return path


def _gbk_csv(path: Path) -> Path:
    lines = [",".join(str(v) if v != "" else "" for v in row) for row in _rows()]
    lines[4] = lines[4].replace("2024-03-05", "2024/3/5")
    lines[6] = ",,,,,,"  # a blank row as a spreadsheet saves it: the commas, no values
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


@pytest.mark.parametrize("form", ["xlsx", "gbk_csv"])
def test_blank_rows_are_left_out_and_every_row_keeps_its_own_line(form: str, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "登记.xlsx") if form == "xlsx" else _gbk_csv(tmp_path / "登记.csv")
    schema = resident_schema(declared_columns())
    with pytest.raises(TableRejected) as info:
        read_table(path, schema, regions=shipped_region_index())
    found = [(e.line, e.column, e.value, reason_text(e.reason, Lang.ZH)) for e in info.value.errors]
    assert found == [
        (6, "证明类型", "工作", "不是可选值之一：住房、就业、就学"),
        (8, "身份证号", "合计", "这一行是合计行（合计），不是数据：请从文件中删去这一行"),
    ], found
    assert info.value.rows == 4  # the blank rows are no rows of the file's data
    read = read_table(path, schema, regions=shipped_region_index(), skip_bad_rows=True)
    assert list(read.lines) == [2, 5] and read.frame["residence_since"].to_list() == [datetime.date(2024, 3, 5)] * 2
    english = {reason_text(e.reason, Lang.EN) for e in info.value.errors}
    assert english == {
        "not one of housing (住房), employment (就业), study (就学)",
        "a total row (合计), not data: delete this row from the file",
    }


def test_a_near_miss_is_suggested_by_its_label_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "登记.csv"
    row = [_id("51010419880305002"), "张伟", "成都市", "广州市", "2024/3/5", "employmen", "合同-001"]
    path.write_text(",".join(HEAD) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    with pytest.raises(TableRejected) as info:
        read_table(path, resident_schema(declared_columns()), regions=shipped_region_index())
    [error] = info.value.errors
    assert reason_text(error.reason, Lang.ZH) == "不是可选值之一：住房、就业、就学；是否指 就业？"
    assert reason_text(error.reason, Lang.EN).endswith("did you mean employment?")


def test_an_identity_number_excel_kept_as_a_number_is_named_so(engine: Engine, tmp_path: Path) -> None:
    """An 18-digit number typed into a General cell: the workbook holds a double (its last digits changed), a CSV
    saved from it 5.10104E+17. The clerk is told to format the column as text, not only that a check digit fails."""
    upgrade(engine)
    first, second = _id("51010419880305012"), _id("51010419900412013")
    book = tmp_path / "登记.xlsx"
    with xlsxwriter.Workbook(str(book)) as workbook:
        sheet = workbook.add_worksheet()
        for c, value in enumerate(HEAD):
            sheet.write_string(0, c, value)
        for r, number in ((1, first), (2, second)):
            sheet.write_number(r, 0, int(number)) if r == 1 else sheet.write_string(r, 0, number)
            for c, value in enumerate(["张伟", "510100", "440100", "2024-03-05", "就业", f"合同-{r}"], start=1):
                sheet.write_string(r, c, value)
    saved = tmp_path / "登记.csv"
    saved.write_bytes((",".join(HEAD) + "\r\n5.10104E+17,张伟,510100,440100,2024-03-05,就业,合同-1\r\n").encode("gbk"))
    as_text = "请把这一列设为文本格式，再输入完整"
    for path, reason in (
        (
            book,
            "身份证号码校验位不符：号码像是被电子表格存成了数字（超过 15 位的数字，后几位会被改动）；"
            + as_text
            + "号码",
        ),
        (saved, f"身份证号码被存成了数字（科学计数法），号码已不完整：{as_text}的 18 位号码"),
    ):
        with pytest.raises(ImportRejected) as info:
            import_residents(engine, path, actor="t")
        [row] = info.value.report().rows(named=True)
        assert (row["line"], row["column"], row["reason_zh"]) == (2, "身份证号", reason), row
    assert parse_id_number(second).value == second  # a number typed as text is read as it is
    with pytest.raises(InvalidIdNumber) as typo:  # a typo is no spreadsheet's number: the plain reason
        parse_id_number(second[:-1] + ("1" if second[-1] != "1" else "2"))
    assert typo.value.refusal.code == RefusalCode.ID_CHECK_DIGIT


def test_an_identity_number_in_full_width_digits_is_the_same_number() -> None:
    """５１０１…Ｘ as a Chinese input method types it: the same person as 5101…X, not a bad region code."""
    number = _id("51010419880305002")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert parse_id_number(full_width).value == number
    assert parse_id_number(f" {number.lower()} ").value == number
