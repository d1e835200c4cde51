"""A workbook of several sheets read without a sheet named, as the office's upload reads every workbook: a 街道's
填表说明 in front of its 登记表 (the first sheet was read, and refused for lacking every column), and a school list
kept as a 小学 sheet and a 初中 sheet (the second was left out of the plan without a word)."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from changzhu.planning.standards import load_standards, service_catalog
from changzhu.registry.declared import declared_columns
from changzhu.tables import read_table, schema_of
from changzhu.tables.kinds import resident_schema

RESIDENT = ["身份证号", "姓名", "户籍地", "居住地", "来本市日期", "证明类型", "证明编号"]
SCHOOLS = ["学校名称", "学段", "所在区", "学位数"]


def _book(path: Path, sheets: list[tuple[str, list[list[str]]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    return path


def test_the_sheet_holding_the_table_is_read_when_the_first_holds_instructions(tmp_path: Path) -> None:
    row = ["510104199003151229", "王芳", "四川省成都市", "深圳市南山区", "2023/5/1", "就业", "劳动合同-1"]
    path = _book(tmp_path / "登记.xlsx", [("填表说明", [["身份证号请设为文本格式"]]), ("登记表", [RESIDENT, row])])
    schema = resident_schema(declared_columns())
    read = read_table(path, schema)
    assert read.frame["residence_region"].to_list() == ["440300"] and list(read.lines) == [2]
    notes = read.sheets_notes(schema)
    said = "工作簿的第一个工作表「填表说明」里没有常住人口登记表的表头，已读取工作表「登记表」"
    assert [n.zh for n in notes] == [said]
    assert notes[0].en.startswith("the workbook's first sheet, 填表说明, holds no header of this table")


def test_other_sheets_headed_as_the_table_are_named_as_not_read(tmp_path: Path) -> None:
    primary = [SCHOOLS, ["深圳湾学校", "小学", "深圳市南山区", "1800"]]
    junior = [["南山区初中学位统计"], SCHOOLS, ["育才中学", "初中", "深圳市南山区", "1200"]]
    path = _book(tmp_path / "学校.xlsx", [("小学", primary), ("初中", junior), ("说明", [["本表由教育局填报"]])])
    schema = schema_of("facility", service_catalog(load_standards()), ())
    read = read_table(path, schema)
    assert read.frame["capacity"].to_list() == [1800]  # the first sheet, as ever
    assert [n.zh for n in read.sheets_notes(schema)] == [
        "只读取了工作表「小学」；工作簿中另有设施清单表头的工作表「初中」未读取：要用其中的行，请把它们复制到同一个工作表中再上传或导入"
    ]
    one = _book(tmp_path / "一个.xlsx", [("小学", primary), ("Sheet2", [])])  # an empty sheet beside it: nothing said
    assert read_table(one, schema).sheets_notes(schema) == []
