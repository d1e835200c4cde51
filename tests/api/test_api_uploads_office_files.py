"""A residents file as an office makes it (an Excel sheet, a GBK CSV, Chinese headers, the mistakes clerks make: a
month 13, a district name several cities share, a city name without 市, a missing column) refused with a line in
the user's language above the cells, and nothing of it stored."""

from __future__ import annotations

from datetime import date
from typing import Any

from api_support import Service
from sqlalchemy import func, select

from changzhu.registry.identity import check_char
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonAttributeRow, PersonRow
from sheet_files import gbk_csv_bytes, xlsx_bytes

HEADERS = ["身份证号", "姓名", "联系电话", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", "就业", "学历"]


FILE_COLUMNS = (
    "id_number",
    "name",
    "phone",
    "hukou_region",
    "residence_region",
    "residence_since",
    "proof_kind",
    "proof_ref",
    "employed",
    "education",
)


def _id(tail: str) -> str:
    first17 = f"51010719880312{tail}"
    return first17 + check_char(first17)


ROWS: list[list[Any]] = [
    [_id("204"), "李娟", "13912345678", "510100", "440100", date(2021, 3, 1), "就业", "劳动合同-1", "是", "本科"],
    [_id("304"), "张伟", "13912345679", "成都市", "广州市", "2024.13.01", "就业", "劳动合同-2", "是", "大专"],
    [_id("404"), "刘芳", "", "430100", "南山区", "2022-05-01", "住房", "租赁合同-3", "否", "高中"],
    [_id("504"), "陈强", "", "赣州", "440100", "2023/1/5", "就业", "合同-4", "是", "硕士"],
]


def _persons(service: Service) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PersonRow)) or 0)


def _upload(service: Service, name: str, content: bytes, **params: str) -> Any:
    files = {"file": (name, content, "application/octet-stream")}
    return service.client.post("/api/v1/uploads/resident", params=params, files=files, headers=service.as_("cw_gz"))


def test_an_office_file_with_bad_rows_is_refused_in_both_languages(db_service: Service) -> None:
    before = _persons(db_service)
    for name, content in (
        ("常住人口.xlsx", xlsx_bytes("常住人口", HEADERS, ROWS)),
        ("常住人口.csv", gbk_csv_bytes(HEADERS, ROWS)),
    ):
        for params in ({"dry_run": "true"}, {}):
            refused = _upload(db_service, name, content, **params)
            assert refused.status_code == 422, refused.text
            body = refused.json()
            assert body["code"] == "file_rows_wrong" and body["params"] == {"bad": "3", "rows": "4"}
            assert body["message"] == "rows with errors: 3 of 4, nothing imported"  # not the reader's internal line
            chinese = _upload(db_service, name, content, lang="zh", **params).json()["message"]
            assert chinese == "文件有 3 行有误，未导入任何数据"
            by_row = {p["row"]: p for p in body["errors"]}
            assert sorted(by_row) == [3, 4, 5]
            month = by_row[3]
            assert month["value"] == "2024.13.01" and month["column_en"] == "resident since"
            assert month["reason_en"] == "no such day: there is no month 13 (year 2024, month 13, day 1)"
            assert month["reason_zh"] == "没有这一天：没有 13 月（月份为 1–12）"
            assert "深圳市南山区（440305）" in by_row[4]["reason_zh"] and "赣州市" in by_row[5]["reason_zh"]
            # the first rows in the file's own columns, not every other city's optional inputs, empty in each row
            assert set(body["preview"][0]) == set(FILE_COLUMNS), body["preview"][0]
            assert [c["name"] for c in body["preview_columns"]] == list(FILE_COLUMNS)
    assert _persons(db_service) == before


def test_a_file_missing_a_required_column_names_it_not_its_variable(db_service: Service) -> None:
    before = _persons(db_service)
    cut = HEADERS.index("证明编号")
    rows = [row[:cut] + row[cut + 1 :] for row in ROWS[:1]]
    refused = _upload(db_service, "缺列.csv", gbk_csv_bytes(HEADERS[:cut] + HEADERS[cut + 1 :], rows))
    assert refused.status_code == 422, refused.text
    en = refused.json()["message"]
    zh = _upload(db_service, "缺列.csv", gbk_csv_bytes(HEADERS[:cut] + HEADERS[cut + 1 :], rows), lang="zh").json()[
        "message"
    ]
    assert zh == "文件的表头（第 1 行）有误，未导入任何数据：证明编号（缺少此列）"
    assert en == "The header (row 1) is wrong, nothing imported: proof reference (column is missing)"
    assert "proof_ref" not in zh + en and "upload" not in en
    assert _persons(db_service) == before


def test_a_column_with_data_and_no_header_is_named_once(db_service: Service) -> None:
    """A CSV whose 11th column holds notes under a blank header: refused naming the column once, by its number and
    letter (it read "K（第 11 列（K 列）有数据但没有列名…）", the letter three times; then "K 列", no number to count to
    in a CSV opened in a text editor)."""
    content = gbk_csv_bytes([*HEADERS, ""], [[*ROWS[0], "备注"]])
    answers = {lang: _upload(db_service, "备注.csv", content, lang=lang) for lang in ("zh", "en")}
    for answer in answers.values():
        assert answer.status_code == 422, answer.text
    zh, en = answers["zh"].json(), answers["en"].json()
    assert zh["message"] == (
        "文件的表头（第 1 行）有误，未导入任何数据：第 11 列（K）（有数据但没有列名：请在表头填上列名，或删去这一列）"
    )
    assert en["message"] == (
        "The header (row 1) is wrong, nothing imported: column 11 (K) (holds data but has no header: give it a"
        " header or delete the column)"
    )
    (cell,) = en["errors"]
    assert (cell["row"], cell["column_zh"], cell["column_en"], cell["header"]) == (
        1,
        "第 11 列（K）",
        "column 11 (K)",
        None,
    )
    assert cell["reason_en"] == "holds data but has no header: give it a header or delete the column"


def test_a_police_station_export_is_read_by_its_own_headers_and_every_header_problem_is_named_at_once(
    db_service: Service,
) -> None:
    """A 派出所 export heads the start of residence 来本市日期 (read as 居住起始日期) and carries columns the
    import does not know (参保月数): the unknown ones are named together with a missing one, not one round each."""
    before = _persons(db_service)
    headers = [h if h != "居住起始日期" else "来本市日期" for h in HEADERS]
    stored = _upload(db_service, "派出所.csv", gbk_csv_bytes(headers, [ROWS[0]]), dry_run="true")
    assert stored.status_code == 200, stored.text
    assert stored.json()["preview"][0]["residence_since"] == "2021-03-01"
    cut = headers.index("证明编号")
    extra = [*headers[:cut], *headers[cut + 1 :], "参保月数"]
    row = [*ROWS[0][:cut], *ROWS[0][cut + 1 :], "36"]
    refused = _upload(db_service, "派出所.csv", gbk_csv_bytes(extra, [row]), lang="zh")
    assert refused.status_code == 422, refused.text
    named = {(p["header"], p["column_zh"], p["reason_zh"]) for p in refused.json()["errors"]}
    unknown = "未知的列，不读取：如果它就是缺少的那一列，请把表头改成该列的名称"  # it may be the missing one
    assert named == {("参保月数", None, unknown), (None, "证明编号", "缺少此列")}
    assert _persons(db_service) == before


def test_a_police_station_export_s_birth_date_and_sex_are_checked_against_the_identity_number(
    db_service: Service,
) -> None:
    """A 派出所 export's 出生日期 and 性别 are read, not refused as unknown: where they agree with the identity number
    (born 1988-03-12, digit 17 even: female) nothing new is stored; where they do not, the row is refused naming
    the column, the value and why, in both languages."""
    headers = [*HEADERS, "出生日期", "性别"]
    agrees = _upload(db_service, "派出所.csv", gbk_csv_bytes(headers, [[*ROWS[0], "1988/3/12", "女"]]))
    assert agrees.status_code == 200, agrees.text
    with session_scope(db_service.engine) as session:
        names = set(session.scalars(select(PersonAttributeRow.name)))
    assert not names & {"birth_date", "sex"}  # the identity number is the source
    before = _persons(db_service)
    wrong = [[*ROWS[1][:5], "2021-03-01", *ROWS[1][6:], "1988-03-21", "男"]]
    for lang in ("zh", "en"):
        refused = _upload(db_service, "派出所.csv", gbk_csv_bytes(headers, wrong), lang=lang)
        assert refused.status_code == 422, refused.text
        problems = {p["column_zh"]: p for p in refused.json()["errors"]}
        assert set(problems) == {"出生日期", "性别"}, problems
        born, sex = problems["出生日期"], problems["性别"]
        assert born["row"] == 2 and born["value"] == "1988-03-21" and sex["row"] == 2 and sex["value"] == "男"
        assert born["reason_zh"] == "出生日期与公民身份号码第7–14位所记的出生日期不符"
        assert born["reason_en"] == "the date of birth differs from the one the identity number gives (its digits 7–14)"
        assert sex["reason_zh"] == "性别与公民身份号码第17位不符（奇数为男，偶数为女）"
        assert "digit 17" in sex["reason_en"] and sex["column_en"] == "sex"
    assert _persons(db_service) == before


def test_a_row_the_registry_refuses_is_named_by_its_column_in_words(db_service: Service) -> None:
    """A residence that starts in the future or before the birth in the identity number is refused on its row in the
    column 居住起始日期 (not the whole row), with a reason that names no variable; nothing of the file is stored."""
    before = _persons(db_service)
    future = [_id("604"), "王敏", "", "510100", "440100", date(2031, 1, 1), "就业", "合同-6", "是", "本科"]
    unborn = [_id("704"), "赵磊", "", "510100", "440100", date(1980, 1, 1), "就业", "合同-7", "是", "本科"]
    refused = _upload(db_service, "常住人口.xlsx", xlsx_bytes("常住人口", HEADERS, [ROWS[0], future, unborn]))
    assert refused.status_code == 422, refused.text
    by_row = {p["row"]: p for p in refused.json()["errors"]}
    assert sorted(by_row) == [3, 4]
    for row, value in ((3, "2031-01-01"), (4, "1980-01-01")):
        cell = (by_row[row]["column_zh"], by_row[row]["header"], by_row[row]["value"])
        assert cell == ("居住起始日期", "居住起始日期", value)
        assert "residence_since" not in by_row[row]["reason_en"]
    assert by_row[3]["reason_en"] == "the residence start date is in the future"
    assert _persons(db_service) == before


def test_a_number_written_with_its_unit_is_refused_naming_the_unit(service: Service) -> None:
    """Clerks type the unit into the cell (4500元, 36个月): the reason names the unit and asks for the number alone,
    not only 不是数字; both the decimal column (income) and the whole-number one (insurance months); nothing stored."""
    before = _persons(service)
    headers = [*HEADERS, "家庭人均月收入", "本地社保缴费月数"]
    rows = [ROWS[0] + ["4500元", "60"], [_id("604"), *ROWS[0][1:], "3200", "36个月"]]
    refused = _upload(service, "常住人口.csv", gbk_csv_bytes(headers, rows), lang="zh")
    assert refused.status_code == 422, refused.text
    by_row = {p["row"]: p for p in refused.json()["errors"]}
    assert sorted(by_row) == [2, 3]
    assert by_row[2]["reason_zh"] == "4500元 带有单位「元」：此列只填数字，不写单位", by_row[2]
    assert by_row[2]["reason_en"] == "4500元 has a unit (元): write the number alone, without its unit"
    assert by_row[3]["column_zh"] == "本地社保缴费月数" and "「个月」" in by_row[3]["reason_zh"], by_row[3]
    assert _persons(service) == before


def test_a_gbk_csv_row_split_by_a_comma_is_refused_naming_its_line(service: Service) -> None:
    """An amount typed with a thousands separator into a CSV saved by hand (3,200, unquoted) gives its row one cell
    more than the header: the GBK file was answered 500 (the reader's error escaped), the UTF-8 one with the
    reader's English words. Both are refused naming the line and what to do; nothing is stored."""
    before = _persons(service)
    headers = [*HEADERS, "家庭人均月收入"]
    rows = [ROWS[0] + ["4500"], [_id("704"), *ROWS[0][1:], "3,200"]]
    gbk = gbk_csv_bytes(headers, rows)
    for content in (gbk, gbk.decode("gbk").encode("utf-8")):
        refused = _upload(service, "常住人口.csv", content, lang="zh")
        assert refused.status_code == 422, refused.text
        body = refused.json()
        assert body["code"] == "csv_row_too_many_cells", body
        assert body["message"].startswith("文件无法读取：第 3 行有 12 个单元格，表头只有 11 列"), body["message"]
        english = _upload(service, "常住人口.csv", content).json()["message"]
        assert english.startswith("the file cannot be read: row 3 has 12 cells but the header has 11 columns")
    assert _persons(service) == before


def test_a_pdf_renamed_csv_is_refused_saying_so_and_nothing_is_stored(db_service: Service) -> None:
    """A PDF under a .csv name was answered "%PDF-1.4 (unknown column)" and every required column missing."""
    before = _persons(db_service)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
    answers = {lang: _upload(db_service, "常住人口.csv", pdf, lang=lang) for lang in ("zh", "en")}
    for answer in answers.values():
        assert answer.status_code == 422 and answer.json()["code"] == "file_not_a_table", answer.text
    assert answers["zh"].json()["message"].startswith("这不是表格文件，而是 PDF 文件")
    assert answers["en"].json()["message"].startswith("this is not a table but a PDF file")
    assert _persons(db_service) == before


def test_a_semicolon_csv_is_stored_like_a_comma_one(db_service: Service) -> None:
    """Excel in a European locale saves CSV with semicolons: it was refused as one unknown column."""
    before = _persons(db_service)
    text = "\r\n".join(";".join(str(v) for v in row) for row in [HEADERS, [_id("614"), *ROWS[0][1:]]]) + "\r\n"
    stored = _upload(db_service, "分号.csv", text.encode("utf-8-sig"))
    assert stored.status_code == 200 and stored.json()["stored"] == 1, stored.text
    assert _persons(db_service) == before + 1


def test_the_empty_template_sent_back_is_refused_saying_it_has_no_rows(db_service: Service) -> None:
    """A residents file with its header and no row (the template sent back unfilled) was answered 200, "0 stored"."""
    before = _persons(db_service)
    answers = {lang: _upload(db_service, "模板.csv", gbk_csv_bytes(HEADERS, []), lang=lang) for lang in ("zh", "en")}
    for answer in answers.values():
        assert answer.status_code == 422 and answer.json()["code"] == "file_no_rows", answer.text
    assert answers["zh"].json()["message"] == "文件只有表头，没有数据行：请在表头下填上要导入的行再上传"
    assert answers["en"].json()["message"].startswith("the file has a header but no rows")
    assert _persons(db_service) == before
