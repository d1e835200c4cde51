"""Files as offices really have them: a CSV split by tabs or semicolons, a PDF or a workbook under a table's name, an
empty file, an identity number a spreadsheet saved in scientific notation. Each is read, or refused saying what the
file is and what to do, in Chinese and English."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import xlsxwriter

from changzhu.api.upload_tables import UploadKind, read_upload
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode
from changzhu.registry.identity import check_char
from changzhu.tables.formats import FileUnreadable
from changzhu.tables.places import reason_text

HEADERS = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号"]


def _id(tail: str) -> str:
    first17 = f"51010719880312{tail}"
    return first17 + check_char(first17)


ROWS = [
    [_id("214"), "王芳", "510100", "440100", "2021年3月1日", "就业", "劳动合同-1"],
    [_id("314"), "张伟", "成都市", "广州市", "2021/3/1", "住房", "租赁合同-2"],
    [_id("414"), "刘芳", "510100", "440100", "2021.03.01", "就学", "学籍-3"],
]


def _text(separator: str) -> str:
    return "\r\n".join(separator.join(row) for row in [HEADERS, *ROWS]) + "\r\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("分号.csv", _text(";").encode("utf-8-sig")),  # Excel in a European locale saves CSV with semicolons
        ("制表符.csv", _text("\t").encode("utf-8")),
        ("制表符.txt", _text("\t").encode("gbk")),  # Excel's "Unicode text"/"文本文件（制表符分隔）"
    ],
)
def test_a_csv_split_by_tabs_or_semicolons_is_read_like_one_split_by_commas(
    name: str, content: bytes, tmp_path: Path
) -> None:
    """Was refused as one unknown column "身份证号;姓名;户籍地;…" and every required column missing."""
    path = tmp_path / name
    path.write_bytes(content)
    read = read_upload(path, UploadKind.RESIDENT)
    assert read.errors == [] and list(read.lines) == [2, 3, 4]
    assert read.frame["residence_since"].cast(str).to_list() == ["2021-03-01"] * 3
    assert read.frame["hukou_region"].to_list() == ["510100", "510100", "510100"]


def test_a_comma_in_the_header_keeps_the_comma_as_separator(tmp_path: Path) -> None:
    """A comma CSV whose cells hold semicolons (a set of categories) is not re-split by them."""
    path = tmp_path / "逗号.csv"
    path.write_text(_text(",").replace("劳动合同-1", '"合同;附件"'), encoding="utf-8")
    read = read_upload(path, UploadKind.RESIDENT)
    assert read.errors == [] and read.frame["proof_ref"][0] == "合同;附件"


def _refusal(path: Path) -> tuple[RefusalCode, str, str]:
    with pytest.raises(FileUnreadable) as info:
        read_upload(path, UploadKind.RESIDENT)
    why = info.value.refusal
    assert why is not None, str(info.value)  # a reason in both languages, not the reader's English words
    return why.code, reason_text(why, Lang.ZH), reason_text(why, Lang.EN)


@pytest.mark.parametrize("name", ["常住人口.csv", "常住人口.xlsx"])
def test_a_pdf_under_a_table_s_name_is_refused_saying_it_is_a_pdf(name: str, tmp_path: Path) -> None:
    """A PDF renamed .csv was read as text ("%PDF-1.4: unknown column" and every column missing); renamed .xlsx it
    gave calamine's "Zip error: invalid Zip archive: Could not find EOCD"."""
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n")
    code, zh, en = _refusal(path)
    assert code == RefusalCode.FILE_NOT_A_TABLE
    assert zh.startswith("这不是表格文件，而是 PDF 文件") and "另存为 Excel 工作簿或 CSV 文件" in zh
    assert en.startswith("this is not a table but a PDF file") and "save the table as Excel (.xlsx) or CSV" in en


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n", b"\r\n\r\n"])
def test_an_empty_file_is_refused_in_both_languages(content: bytes, tmp_path: Path) -> None:
    """Was "…/upload.csv: the file is empty" in English only (and a BOM alone read as a header)."""
    path = tmp_path / "空.csv"
    path.write_bytes(content)
    assert _refusal(path) == (
        RefusalCode.FILE_EMPTY,
        "文件是空的（没有表头，也没有数据）：请上传填好的表格",
        "the file is empty (no header and no rows): upload the filled-in table",
    )


def test_a_file_that_is_no_text_is_refused_saying_how_to_save_it(tmp_path: Path) -> None:
    path = tmp_path / "乱码.csv"
    path.write_bytes(bytes(range(128, 256)) * 4)
    code, zh, en = _refusal(path)
    assert code == RefusalCode.FILE_NOT_TEXT and "CSV UTF-8" in zh and "neither UTF-8 nor GBK" in en


def test_a_damaged_workbook_is_refused_without_the_library_s_words(tmp_path: Path) -> None:
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    code, zh, en = _refusal(path)
    assert code == RefusalCode.WORKBOOK_UNREADABLE and "另存为 Excel 工作簿" in zh
    assert "calamine" not in en and "Zip" not in en


def test_a_workbook_saved_under_a_csv_name_is_read_as_the_workbook(tmp_path: Path) -> None:
    """An .xlsx renamed .csv was refused as "neither UTF-8 nor GBK/GB18030 text"."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADERS, *ROWS]):
            sheet.write_row(r, 0, row)
    path = tmp_path / "常住人口.csv"
    path.write_bytes(buffer.getvalue())
    read = read_upload(path, UploadKind.RESIDENT)
    assert read.errors == [] and read.frame.height == 3


def test_an_identity_number_in_scientific_notation_is_named_so_not_too_long(tmp_path: Path) -> None:
    """4.4010619900101E+17 (a CSV saved from a General cell) is 19 characters: it was refused as "is longer than
    allowed: at most 18 characters", which sends the clerk to count digits instead of formatting the column."""
    path = tmp_path / "科学计数.csv"
    path.write_bytes(_text(",").replace(ROWS[0][0], "4.4010619900101E+17").encode("gbk"))
    [error] = read_upload(path, UploadKind.RESIDENT).errors
    assert (error.line, error.column, error.reason.code) == (2, "身份证号", RefusalCode.ID_AS_NUMBER)
    assert "科学计数法" in reason_text(error.reason, Lang.ZH) and "scientific notation" in reason_text(
        error.reason, Lang.EN
    )


def test_a_published_school_list_is_read_with_its_notes_and_its_addresses(tmp_path: Path) -> None:
    """A city's list as published: its own column order, the coordinate system written with a note (GCJ-02（高德）,
    refused as "not one of …; did you mean GCJ-02"), a school whose 所在区 is left empty but whose address names its
    district (refused as missing although the address says 天河区). A note that names another system is refused, and
    a district neither the cell nor the address gives stays missing."""
    path = tmp_path / "学校名录.csv"
    path.write_bytes(
        (
            "学校名称,详细地址,学位数,学段,坐标系,经度,纬度,所在区\r\n"
            "天河第一小学,广州市天河区体育东路1号,1800,小学,GCJ-02（高德）,113.33,23.13,天河区\r\n"
            "天河第二小学,广州市天河区天河北路2号,1500,小学,,,,\r\n"
            "越秀小学,广州市越秀区中山路3号,1200,小学,,,,越秀区\r\n"
            "海珠小学,广州市海珠区江南大道4号,1100,小学,GCJ-02（百度）,113.27,23.10,海珠区\r\n"
            "某小学,体育东路5号,900,小学,,,,\r\n"
        ).encode("gbk")
    )
    read = read_upload(path, UploadKind.FACILITY)
    kept = read.frame.select("name", "region_code", "coord_system").rows()
    assert kept == [
        ("天河第一小学", "440106", "wgs84"),  # converted from GCJ-02
        ("天河第二小学", "440106", None),
        ("越秀小学", "440104", None),
    ]
    assert abs(read.frame["lon"][0] - 113.33) > 0.003  # GCJ-02 is about 500 m off WGS-84 here: it was converted
    refused = {(e.line, e.column, e.reason.code) for e in read.errors}
    assert refused == {(5, "坐标系", RefusalCode.CATEGORY_NOT_ONE_OF_NEAR), (6, "所在区", RefusalCode.VALUE_MISSING)}


def test_a_sheet_the_workbook_lacks_is_refused_naming_the_sheets_it_has(tmp_path: Path) -> None:
    """`--sheet Sheet1` on a workbook whose sheets are 常住人口 and 说明: was the reader's English words after the
    file's path ("…: cannot be read as a workbook (no matching sheet found when `sheet_name` is 'Sheet1')")."""
    path = tmp_path / "常住人口.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        book.add_worksheet("常住人口").write_row(0, 0, HEADERS)
        book.add_worksheet("说明")
    with pytest.raises(FileUnreadable) as info:
        read_upload(path, UploadKind.RESIDENT, sheet="Sheet1")
    why = info.value.refusal
    assert why is not None and why.code == RefusalCode.SHEET_NOT_IN_WORKBOOK, str(info.value)
    assert reason_text(why, Lang.ZH) == "工作簿中没有名为 Sheet1 的工作表：请写它有的工作表之一（常住人口、说明）"
    en = "the workbook has no sheet named Sheet1: name one of its sheets (常住人口 or 说明)"
    assert reason_text(why, Lang.EN) == en


def test_a_district_two_cities_share_is_read_by_the_city_its_address_names(tmp_path: Path) -> None:
    """Shenzhen's hospital list writes 所在区 南山区, a name 鹤岗市 has too, and the 地址 深圳市南山区桃园路89号: the
    row was refused as an ambiguous name although its own address says which. The address's city decides; where
    the address names no city (桃园路89号), or another district, the cell is read (and refused) as it was."""
    path = tmp_path / "医院名录.csv"
    path.write_bytes(
        (
            "医院名称,所在区,详细地址,床位数,类别\r\n"
            "深圳市南山区人民医院,南山区,深圳市南山区桃园路89号,1000,床位\r\n"
            "深圳市人民医院,罗湖区,广东省深圳市罗湖区东门北路1017号,2800,床位\r\n"
            "某医院,南山区,桃园路1号,100,床位\r\n"
            "另一医院,南山区,深圳市福田区莲花路1号,100,床位\r\n"
        ).encode("gbk")
    )
    read = read_upload(path, UploadKind.FACILITY)
    assert read.frame.select("name", "region_code").rows() == [
        ("深圳市南山区人民医院", "440305"),
        ("深圳市人民医院", "440303"),
    ]
    refused = sorted((e.line, e.column, e.value, e.reason.code) for e in read.errors)
    assert refused == [
        (4, "所在区", "南山区", RefusalCode.AMBIGUOUS_REGION_NAME),
        (5, "所在区", "南山区", RefusalCode.AMBIGUOUS_REGION_NAME),
    ]
