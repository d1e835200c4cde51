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
from changzhu.tables.kinds import contribution_schema, resident_schema
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
        assert (row["row"], row["column"], row["reason_zh"]) == (2, "身份证号", reason), row
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


def _wide(text: str) -> str:
    """`text` with its digits and ASCII signs as a Chinese input method's full-width forms (２０２４－０３－０５)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_full_width_digits_in_a_date_a_region_and_a_number_are_the_digits(tmp_path: Path) -> None:
    """２０２４-０３-０５ was refused as "没有这一天：2024 年 3 月没有 5 日", ５１０１００ as an unknown region code;
    the cell is reported as written where it is wrong for another reason."""
    path = tmp_path / "登记.csv"
    head = [*HEAD, "家庭人均月收入", "就业"]
    rows = [
        [
            _id("51010419880305002"),
            "张伟",
            _wide("510100"),
            "广州市",
            _wide("2024-03-05"),
            "就业",
            "合同-1",
            _wide("4,500"),
            _wide("1"),
        ],
        [_id("51010419900412003"), "刘芳", "510100", "广州市", "２０２４年３月３２日", "就业", "合同-2", "", ""],
    ]
    path.write_bytes("\r\n".join(",".join(f'"{v}"' for v in row) for row in [head, *rows]).encode("gbk"))
    schema = resident_schema(declared_columns())
    read = read_table(path, schema, regions=shipped_region_index(), skip_bad_rows=True)
    good = read.frame.row(0, named=True)
    assert (good["hukou_region"], good["residence_since"]) == ("510100", datetime.date(2024, 3, 5)), good
    assert (good["income_per_capita_month"], good["employed"]) == (4500.0, True), good
    [error] = read.errors
    assert (error.line, error.value, reason_text(error.reason, Lang.ZH)) == (
        3,
        "２０２４年３月３２日",
        "没有这一天：2024 年 3 月没有 32 日",
    ), error


def test_a_date_kept_as_its_serial_number_is_named_so(tmp_path: Path) -> None:
    """A date cell formatted as General saves as 45356 in a CSV: the clerk is told it is a spreadsheet's date and
    which day, not only the accepted forms."""
    path = tmp_path / "登记.csv"
    row = [_id("51010419880305002"), "张伟", "成都市", "广州市", "45356", "就业", "合同-001"]
    path.write_bytes((",".join(HEAD) + "\r\n" + ",".join(row) + "\r\n").encode("gbk"))
    with pytest.raises(TableRejected) as info:
        read_table(path, resident_schema(declared_columns()), regions=shipped_region_index())
    [error] = info.value.errors
    assert (error.line, error.column, error.value) == (2, "居住起始日期", "45356")
    assert reason_text(error.reason, Lang.ZH) == (
        "45356 像是电子表格的日期序号（即 2024-03-05）：请把此列设为日期格式，或写成 2024-03-05"
    )
    assert reason_text(error.reason, Lang.EN) == (
        "45356 looks like a spreadsheet's date serial number (2024-03-05): format the column as a date, or write "
        "2024-03-05"
    )


def _titled_sheet(path: Path, head: list[str], extra: list[str]) -> Path:
    """Rows 1-5: a title across the sheet, a blank row, the header (then `extra` header cells), two people."""
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("常住人口")
        sheet.merge_range(0, 0, 0, len(head) - 1, "2026年第三季度常住人口登记表")
        for c, value in enumerate(head + extra):
            sheet.write_string(2, c, value)
        for r, row in ((3, _rows()[1]), (4, _rows()[4])):
            for c, value in enumerate(row):
                if c < len(head):
                    sheet.write_string(r, c, str(value))
            for c in range(len(extra)):
                sheet.write_string(r, len(head) + c, "备注" if c else "")
    return path


def test_a_title_above_the_header_is_left_out_and_rows_keep_their_sheet_rows(tmp_path: Path) -> None:
    """An office's sheet starts with its title (a merged cell) and a blank row: the header is the row under them.
    Was refused naming the title as an unknown column and every blank header cell as __UNNAMED__1, __UNNAMED__2..."""
    schema = resident_schema(declared_columns())
    read = read_table(_titled_sheet(tmp_path / "登记.xlsx", HEAD, []), schema, regions=shipped_region_index())
    assert list(read.lines) == [4, 5] and read.frame["name"].to_list() == ["张伟", "刘芳"]
    csv = tmp_path / "登记.csv"  # the same sheet saved as CSV: the title's line has its commas
    lines = ["2026年第三季度常住人口登记表" + "," * (len(HEAD) - 1), ",".join(HEAD), ",".join(map(str, _rows()[1]))]
    csv.write_bytes("\r\n".join(lines).encode("gbk"))
    assert list(read_table(csv, schema, regions=shipped_region_index()).lines) == [3]
    with pytest.raises(TableRejected) as info:  # under a title, a missing column is named on the header's own row
        read_table(_titled_sheet(tmp_path / "缺列.xlsx", HEAD[:3] + HEAD[4:], []), schema)
    found = [(e.line, e.column, reason_text(e.reason, Lang.ZH)) for e in info.value.errors]
    said = "缺少此列：表头可写「常住地」（或 居住地、place of residence）"
    assert found == [(3, "常住地 (residence_region)", said)], found


def test_a_header_cell_left_blank_is_named_by_its_column_number_and_letter(tmp_path: Path) -> None:
    """A column beside the table with no header: left out when it holds nothing, named by its letter when it holds
    data (was "__UNNAMED__8: unknown column; did you mean 姓名?")."""
    schema = resident_schema(declared_columns())
    path = _titled_sheet(tmp_path / "登记.xlsx", HEAD, ["", ""])  # H: empty cells only, I: 备注 with no header
    with pytest.raises(TableRejected) as info:
        read_table(path, schema, regions=shipped_region_index())
    found = [(e.line, e.column, e.value) for e in info.value.errors]
    assert found == [(3, "I", "")], found
    [error] = info.value.errors
    # the error's column is its letter; the reason names it by its number and letter, as an office counts it
    assert reason_text(error.reason, Lang.ZH) == "第 9 列（I）有数据但没有列名：请在表头填上列名，或删去这一列"
    assert reason_text(error.reason, Lang.EN) == (
        "column 9 (I) holds data but has no header: give it a header or delete the column"
    )
    assert "UNNAMED" not in str(info.value)


def test_contribution_months_are_read_as_a_clerk_writes_them(tmp_path: Path) -> None:
    """起始年月 written 2021-03, 2021年3月 or as an Excel date cell is the month 202103 (2021-03 was refused as
    "不是整数", not a whole number); a word that is no month is refused saying how to write one."""
    head = ["身份证号", "险种", "参保地", "起始年月", "截止年月", "月缴费基数"]
    number = _id("51010419880305002")
    book = tmp_path / "缴费.xlsx"
    with xlsxwriter.Workbook(str(book)) as workbook:
        sheet, month = workbook.add_worksheet(), workbook.add_format({"num_format": "yyyy-mm"})
        sheet.write_row(0, 0, head)
        sheet.write_row(1, 0, [number, "养老保险", "广州市"])
        sheet.write_datetime(1, 3, datetime.datetime(2021, 3, 1), month)
        sheet.write_string(1, 4, "2024年2月")
        sheet.write_number(1, 5, 8000)
        sheet.write_row(2, 0, [number, "医疗保险", "440100", "2021/3", "二月", "8000"])
    read = read_table(book, contribution_schema(), regions=shipped_region_index(), skip_bad_rows=True)
    assert read.frame.select("period_from", "period_to").rows() == [(202103, 202402)]
    [error] = read.errors
    assert (error.line, error.column, error.value) == (3, "截止年月", "二月")
    assert reason_text(error.reason, Lang.ZH) == "不是月份：请写成 202103、2021-03 或 2021年3月"
    assert reason_text(error.reason, Lang.EN) == "not a month: write 202103 or 2021-03"
