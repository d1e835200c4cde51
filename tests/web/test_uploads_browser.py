"""The uploads page in Chromium (issue 15): a Guangdong planner loads Shenzhen's facility list, GBK with Chinese
headers, sees the first rows and the bad row, then stores the good rows; /planning/gaps then uses the list. The
tables read in the user's language: headers and services by their labels, regions by name, numbers formatted (no
variable name or code shown alone), in Chinese and English, at desktop and phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from office_support import DESKTOP, PHONE, ROOT, Office, bearer, choose_file, uploads_page
from playwright.sync_api import expect

from sheet_files import xlsx_bytes

FACILITIES = (  # the first row is not the template's example row (深圳市人民医院 SZ-H-001), which is refused as such
    "设施编号,名称,服务,所在地区,容量,经度,纬度\n"
    "SZ-H-001,深圳市罗湖区人民医院,医疗卫生机构床位,440303,2800,114.12,22.55\n"
    "SZ-H-002,北京大学深圳医院,医疗卫生机构床位,福田区,1500,,\n"
    "SZ-H-003,某医院,医疗卫生机构床位,深圳,很多,,\n"
)

# Guangzhou's hospitals (the English test): a city no other test stores a list for, so the estimate it would replace
# is the shipped one
FACILITIES_GZ = (
    "设施编号,名称,服务,所在地区,容量,经度,纬度\n"
    "GZ-H-001,中山大学附属第一医院,医疗卫生机构床位,440104,3000,113.29,23.13\n"
    "GZ-H-002,广州市第一人民医院,医疗卫生机构床位,440104,1800,,\n"
    "GZ-H-003,某医院,医疗卫生机构床位,广州,很多,,\n"
)


def _beds_of_shenzhen(url: str) -> tuple[float, str]:
    items = httpx.get(
        url + "/api/v1/planning/gaps?level=prefecture&service=hospital_beds&basis=resident&province=440000&limit=100",
        headers=bearer(url, "pl_gd"),
        timeout=120,
    ).json()["items"]
    (shenzhen,) = [i for i in items if i["region_code"] == "440300"]
    return shenzhen["supply"], shenzhen["supply_source"]


RAW = ("facility_id", "region_code", "hospital_beds", "facility_list_supply", "estimate_replaced", "list_share")


def _check_facility_list(page: Any, kind: str, skip: str = "", facilities: str = FACILITIES) -> None:
    """Choose the facility list kind (its label `kind`), the GBK file of `facilities`, and check it (leaving out the
    bad row when `skip` names the checkbox)."""
    page.wait_for_selector("#upload-dry-run")
    choose_file(page, "设施.csv", facilities.encode("gbk"), kind)
    if skip:
        page.locator(".el-checkbox", has_text=skip).click()
    page.click("#upload-dry-run")
    page.wait_for_selector("#upload-preview")


def _no_raw_names(text: str) -> None:
    assert not [word for word in RAW if word in text], text


def test_planner_previews_then_stores_a_facility_list(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_gd")
    page.click(".shell-menu >> text=数据上传")
    _check_facility_list(page, "设施清单")
    errors = page.inner_text("#upload-errors")
    assert "4" in errors and "容量" in errors and "很多" in errors and "不是数字" in errors
    assert "深圳市" in errors  # did you mean 深圳市?
    preview = page.inner_text("#upload-preview")
    assert "SZ-H-001" in preview and "440304" in preview and "医疗卫生机构床位" in preview
    assert "设施编号" in preview and "所在地区" in preview and "罗湖区（440303）" in preview and "2,800" in preview
    _no_raw_names(preview)
    office.shot(page, "uploads_facility_check_zh_1366")
    before = _beds_of_shenzhen(office.url)
    assert before[1] != "facility list"
    page.locator(".el-checkbox", has_text="跳过有误的行").click()
    page.click("#upload-store")
    page.wait_for_selector("#upload-replaced")
    replaced = page.inner_text("#upload-replaced")
    assert "深圳市（440300）" in replaced and "估计值" in replaced and "4,300" in replaced and "%" in replaced
    assert "清单供给" in replaced and "被替换的估计供给" in replaced and "清单占估计的比例" in replaced
    assert "请确认清单完整" in replaced
    _no_raw_names(replaced)
    assert "已保存 2 行" in page.inner_text("#upload-result")
    office.shot(page, "uploads_facility_stored_zh_1366")
    assert _beds_of_shenzhen(office.url) == (4300, "facility list")


# every element of a card that is cut off or scrolls sideways inside itself (a table's own scrolling box too)
SIDEWAYS = """(card) => [...document.querySelectorAll(card + ' *')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
  .filter((e) => e.clientWidth > 0)
  .map((e) => `${e.className || e.tagName}: ${e.innerText.slice(0, 40)}`)"""


def test_the_check_reads_in_english_at_desktop_and_phone_width(office: Office) -> None:
    """On a phone the first rows and what the list replaces read in the page, each row a card of its columns: nothing
    scrolls sideways (the preview's seven columns scrolled inside their box, the coordinates off the screen)."""
    for size, width in ((DESKTOP, 1366), (PHONE, 390)):
        page = uploads_page(office, "pl_gd", size, "en")
        _check_facility_list(page, "Facility list", "Skip bad rows", FACILITIES_GZ)
        said = page.inner_text("#upload-result .el-card__header")  # a check stores nothing yet: not "0 stored"
        assert said == "3 rows, checked, nothing stored yet, 2 errors", said
        preview = page.inner_text("#upload-preview")
        assert "Facility id" in preview and "Region" in preview and "Capacity" in preview and "Longitude" in preview
        # a category cell starts with a capital, as other cells and tags do ("hospital beds" until 2026-12-04)
        assert "Hospital beds" in preview and "hospital beds" not in preview
        assert "(440104)" in preview and "3,000" in preview
        _no_raw_names(preview)
        replaced = page.inner_text("#upload-replaced")
        assert "Guangzhou (440100)" in replaced and "Supply in the list" in replaced and "%" in replaced
        assert "check that the list is complete" in replaced
        _no_raw_names(replaced)
        if size == PHONE:
            for card in ("#upload-preview", "#upload-replaced"):
                assert page.evaluate(SIDEWAYS, card) == [], card
            latitude = page.locator("#upload-preview").get_by_text("Latitude").first
            box = latitude.bounding_box()  # the last column's name is on the screen, not past its right edge
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], box
            # a cell the file left empty says so (GZ-H-002 has no coordinates), not a label with nothing beside it
            expect(page.locator("#upload-preview .upload-card").nth(1)).to_contain_text("(empty)")
        office.shot(page, f"uploads_facility_check_en_{width}")


def test_a_phone_s_row_cards_are_written_once() -> None:
    """The preview's rows and the replaced rows are the same cards on a phone: one component draws them
    (components/RowCards.vue), which the uploads page uses for both (the markup was written out twice)."""
    source = ROOT / "frontend" / "src"
    writing = [
        p.relative_to(source).as_posix() for p in source.rglob("*.vue") if 'class="upload-card"' in p.read_text()
    ]
    assert writing == ["components/RowCards.vue"], writing
    uploads = (source / "views" / "UploadsView.vue").read_text()
    assert uploads.count("<RowCards ") == 2 and "<dl" not in uploads


PEOPLE = (
    "person_id,sex,birth_date,hukou_region,residence_region,residence_since,residence_permit_since,si_months_local,"
    "si_months_total,medical_months_local,prior_region,prior_residence_months,prior_si_months,employed,education,"
    "housing,income_per_capita_month,parent_id,criminal_record\n"
    "1,女,1990-03-15,510100,440100,2019-09-01,,60,96,60,,0,0,是,本科,租房,4500,,否\n"
    "2,男,1985-07-01,510100,440100,2024-01-01,,12,120,12,,0,0,是,高中,租房,3800,,否\n"
)


def _people_checked(office: Office, size: tuple[int, int], name: str, text: str) -> Any:
    """A caseworker of Guangzhou, in English, uploads `text` as a person table and waits for its decisions."""
    page = uploads_page(office, "cw_gz", size, "en")
    choose_file(page, name, text.encode(), "People")
    page.click("#upload-store")
    page.wait_for_selector("#upload-decisions")
    return page


def test_a_person_table_s_decisions_read_in_english_on_a_phone(office: Office) -> None:
    page = _people_checked(office, PHONE, "people.csv", PEOPLE)
    decisions = page.inner_text("#upload-decisions")
    assert "Share eligible" in decisions and "Undetermined" in decisions and "%" in decisions
    assert "Basic medical insurance where one lives" in decisions  # a category cell starts with a capital
    assert "eligible_share" not in decisions and "medical_insurance" not in decisions
    preview = page.inner_text("#upload-preview")
    assert "Guangzhou (440100)" in preview and "Chengdu (510100)" in preview and "female" in preview.lower()
    assert "residence_region" not in preview and "hukou_region" not in preview
    office.shot(page, "uploads_person_decisions_en_390")


def test_the_summary_counts_one_row_in_the_singular(office: Office) -> None:
    """A one-person table checked in English: "1 row, evaluated, not stored, 0 errors" (it said "0 stored", as if
    storing had failed: a person table is never stored) and "First row", never "1 rows"."""
    page = _people_checked(office, DESKTOP, "one.csv", "\n".join(PEOPLE.splitlines()[:2]) + "\n")
    assert page.inner_text("#upload-result .el-card__header") == "1 row, evaluated, not stored, 0 errors"
    assert page.inner_text("#upload-preview .el-card__header") == "First row"


NO_PROOF_REF = (
    "身份证号,姓名,户籍地,常住地,居住起始日期,证明类型\n510107198803122046,李娟,510100,440100,2021-03-01,就业\n"
)


def test_a_file_missing_a_column_is_named_in_the_user_s_language(office: Office) -> None:
    """A GBK residents file without its 证明编号 column: the line above the errors says the header is wrong and
    which column is missing, in Chinese and in English, with no row count the reader never made ("0 rows")."""
    for lang, kind, said, counted in (
        ("zh", "居民登记表", "证明编号（缺少此列）", "表头有误，未读取任何数据行：1 处错误"),
        (
            "en",
            "Residents to register",
            "proof reference (column is missing)",
            "The header cannot be used, no row was read: 1 error",
        ),
    ):
        page = uploads_page(office, "cw_gz", DESKTOP, lang)
        choose_file(page, "缺列.csv", NO_PROOF_REF.encode("gbk"), kind)
        page.click("#upload-store")
        page.wait_for_selector("#upload-result")
        banner = page.inner_text(".error-box")
        assert said in banner and "proof_ref" not in banner and "缺列.csv" not in banner, banner
        assert page.inner_text("#upload-result .el-card__header") == counted
        chosen = page.locator(".upload-picker .el-upload-list__item-file-name")
        assert chosen.inner_text() == "缺列.csv"
        # the chosen file's name is read whole, not cut to its first character (it was "缺…")
        assert chosen.evaluate("e => e.scrollWidth <= e.clientWidth")
        office.shot(page, f"uploads_missing_column_{lang}_1366")


# a migrant worker from Chengdu whose start date is mistyped, and one from Chengdu whose row is right
ONE_BAD_DATE = (
    "公民身份号码,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
    "510104198805122310,510100,440100,2023-13-01,就业,contract-0412\n"
    "440106199001011235,440100,440100,2020-05-01,就业,contract-0413\n"
)


def test_after_a_refusal_store_says_what_to_do_before_it_can_store(office: Office) -> None:
    """A refused file cannot be stored as it is: Store is disabled and a line says why and what to do (correct the
    file and choose it again, or skip the bad rows); ticking "skip bad rows" makes Store the next action, and it stores
    the good row. It was enabled, greyed only by its focus colour, and storing again was refused again."""
    for lang, blocked in (
        ("en", "correct the rows listed below and choose the file again, or tick “Skip bad rows”"),
        ("zh", "请按下表改正各行后重新选择文件，或勾选“跳过有误的行”"),
    ):
        page = uploads_page(office, "cw_gz", DESKTOP, lang)
        choose_file(page, "居民.csv", ONE_BAD_DATE.encode())
        page.click("#upload-dry-run")
        page.wait_for_selector("#upload-errors .el-table__row")
        expect(page.locator("#upload-store")).to_be_disabled()
        expect(page.locator("#upload-blocked")).to_contain_text(blocked)
        if lang == "zh":
            office.shot(page, "uploads_refused_blocked_zh_1366")
            continue
        page.locator(".el-checkbox", has_text="Skip bad rows").click()
        expect(page.locator("#upload-store")).to_be_enabled()
        expect(page.locator("#upload-blocked")).to_have_count(0)
        page.click("#upload-store")
        expect(page.locator("#upload-result .el-card__header")).to_have_text("2 rows, 1 stored, 1 error")


def test_a_file_refused_for_its_header_waits_for_a_corrected_file(office: Office) -> None:
    """A header missing a column refuses every row: skipping bad rows cannot help, so the line says only to correct
    the file, and Store stays disabled until another file is chosen."""
    page = uploads_page(office, "cw_gz", DESKTOP, "en")
    choose_file(page, "缺列.csv", NO_PROOF_REF.encode("gbk"))
    page.click("#upload-store")
    page.wait_for_selector("#upload-result")
    expect(page.locator("#upload-blocked")).to_have_text(
        "This file was refused, so it cannot be stored as it is: correct it as listed below and choose the file again."
    )
    page.locator(".el-checkbox", has_text="Skip bad rows").click()
    expect(page.locator("#upload-store")).to_be_disabled()
    choose_file(page, "居民.csv", ONE_BAD_DATE.encode())
    expect(page.locator("#upload-store")).to_be_enabled()


def test_on_a_phone_each_refused_cell_s_reason_is_on_the_screen(office: Office) -> None:
    """At 390 px the refused cells read as one column (row, column and value above the reason), so the reason is on
    the screen, not beyond its right edge in a 720 px wide table."""
    page = uploads_page(office, "cw_gz", PHONE, "zh")
    choose_file(page, "登记.csv", ONE_BAD_DATE.encode("gbk"))
    page.click("#upload-dry-run")
    page.wait_for_selector("#upload-result")
    cell = page.locator("#upload-errors .el-table__row").first
    expect(cell).to_contain_text("第 2 行 · 居住起始日期")
    reason = cell.get_by_text("没有这一天：没有 13 月（月份为 1–12）")
    box = reason.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], box


def test_a_facility_lists_coordinates_are_previewed_as_written(office: Office) -> None:
    """A planner checks the coordinates in the preview: 113.2871, 23.1290 are shown to their decimals, not rounded
    to 113.29 (about a kilometre)."""
    page = uploads_page(office, "pl_gd")
    listed = (
        "设施编号,名称,服务,所在地区,容量,经度,纬度,坐标系\nGZ-H-009,广州医院,床位,440104,900,113.2871,23.129,WGS-84\n"
    )
    _check_facility_list(page, "设施清单", facilities=listed)
    preview = page.inner_text("#upload-preview")
    assert "113.2871" in preview and "23.129" in preview, preview


def test_a_masked_identity_number_in_the_preview_stays_on_one_line(office: Office) -> None:
    """A caseworker checks a residents file (nothing stored): the preview's identity number column is as wide as its
    masked numbers (44**************02), which broke after the asterisks in a column sized for its header alone."""
    residents = (  # the columns an office's register has: thirteen share the page's width
        "身份证号,姓名,手机号,户籍地,常住地,居住起始日期,证明类型,证明编号,合法稳定就业,学历,住房,家庭人均月收入,犯罪记录\n"
        "440106199102021002,王芳,13912345678,510100,440100,2021-03-01,就业,合同-1,是,本科,租房,4500,否\n"
    )
    page = uploads_page(office, "cw_gz")
    choose_file(page, "常住人口.csv", residents.encode("gbk"))
    page.click("#upload-dry-run")
    cell = page.locator("#upload-preview .el-table__body .cell", has_text="44**************02")
    expect(cell).to_be_visible()
    height, line = cell.evaluate(
        "(e) => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)]"
    )
    assert height < 1.5 * line, f"the masked number takes {height} px, {height / line:.1f} lines"


def test_a_sheet_refused_for_its_header_under_a_title_waits_for_a_corrected_file(office: Office) -> None:
    """An office's sheet with its title and a blank row above the header, and a column of notes with no header: the
    header (sheet row 3) is refused naming the column by its letter; skipping rows cannot help, so the line says only
    to correct the file (the page took any error below line 1 for a refused row and offered "skip bad rows")."""
    head = ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", ""]
    row = ["510104198803050020", "张伟", "成都市", "广州市", "2024-03-05", "就业", "合同-1", "备注"]
    book = xlsx_bytes("常住人口", ["2026年第三季度常住人口登记表"] + [""] * 7, [[""] * 8, head, row])
    page = uploads_page(office, "cw_gz", DESKTOP, "zh")
    page.set_input_files(".el-upload__input", files=[{"name": "登记表.xlsx", "mimeType": "text/plain", "buffer": book}])
    page.click("#upload-dry-run")
    page.wait_for_selector("#upload-result")
    errors = page.locator("#upload-errors")
    # the column named once, by its number and letter (a CSV read in a text editor has no letters), the reason beside
    expect(errors).to_contain_text("第 8 列（H）")
    expect(errors).to_contain_text("有数据但没有列名")
    said = page.inner_text(".error-box") + page.inner_text("#upload-errors")
    assert "（第 8 列" not in said and "（H 列）" not in said, said  # not named twice over, "H（第 8 列（H 列）…）"
    expect(page.locator("#upload-blocked")).to_have_text("此文件被拒收，不能原样存入：请按下表改正后重新选择文件。")
    page.locator(".el-checkbox", has_text="跳过有误的行").click()
    expect(page.locator("#upload-store")).to_be_disabled()


def test_a_refused_facility_list_still_says_its_gaode_rows_were_converted(office: Office) -> None:
    """A planner's list of Gaode (GCJ-02) coordinates with a bad capacity: the refusal shows the bad row and, above
    the preview, that the good rows were read as GCJ-02 and converted to WGS-84 (the refusal's page dropped it), and
    that a row without a coordinate system was read as WGS-84, in Chinese and English, on a desktop and a phone."""
    facilities = (
        "设施编号,名称,服务,所在地区,容量,经度,纬度,坐标系\n"
        "SZ-H-101,深圳市人民医院,医疗卫生机构床位,440303,2800,114.12,22.55,高德\n"
        "SZ-H-102,某医院,医疗卫生机构床位,440303,很多,114.13,22.56,高德\n"
        "SZ-H-103,北大深圳医院,医疗卫生机构床位,440304,1500,114.05,22.54,\n"
    )
    for size, lang, converted, unlabelled in (
        (DESKTOP, "zh", "已转换为 WGS-84（第 2 行）", "未注明坐标系（第 4 行）"),
        (PHONE, "en", "converted to WGS-84 (row 2)", "without a coordinate system (row 4)"),
    ):
        page = uploads_page(office, "pl_gd", size, lang)
        choose_file(page, "设施.csv", facilities.encode("gbk"), "设施清单" if lang == "zh" else "Facility list")
        page.click("#upload-dry-run")
        page.wait_for_selector("#upload-preview")
        expect(page.locator("#upload-errors")).to_contain_text("很多")
        expect(page.locator("#upload-preview .upload-note")).to_contain_text(converted)
        expect(page.locator("#upload-preview .upload-refused-warning")).to_contain_text(unlabelled)
        office.shot(page, f"upload_facility_refused_notes_{lang}_{size[0]}")


def test_a_residents_workbook_says_which_sheet_was_read_and_which_columns_were_left_out(office: Office) -> None:
    """A 街道's workbook: its first sheet 填表说明, the register on the second with a 备注 column. The check reads the
    register (the first sheet was refused for lacking every column) and says so above the preview, with the column
    left out, in Chinese and English; an accepted residents file's warnings were shown nowhere on the page."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("填表说明").write(0, 0, "身份证号请设为文本格式")
    sheet = book.add_worksheet("登记表")
    sheet.write_row(0, 0, ["身份证号", "姓名", "户籍地", "常住地", "居住起始日期", "证明类型", "证明编号", "备注"])
    sheet.write_row(1, 0, ["440106199102021002", "王芳", "成都市", "广州市", "2021/3/1", "就业", "合同-1", "新来"])
    book.close()
    for size, lang, read, left in (
        (DESKTOP, "zh", "已读取工作表「登记表」", "未读取，也不会保存：备注"),
        (PHONE, "en", "the sheet 登记表 was read", "neither read nor stored (not columns of this table"),
    ):
        page = uploads_page(office, "cw_gz", size, lang)
        page.set_input_files(
            ".el-upload__input", files=[{"name": "登记表.xlsx", "mimeType": "text/plain", "buffer": buffer.getvalue()}]
        )
        page.click("#upload-dry-run")
        page.wait_for_selector("#upload-preview")
        warnings = page.locator("#upload-preview .upload-warning")
        expect(warnings.first).to_contain_text(read)
        expect(warnings.nth(1)).to_contain_text(left)


SHOTS_TMP = Path("/tmp/unknownfacts")  # looked at by hand, not kept in docs/images
CHILD = (  # a 9-year-old whose 犯罪记录 and insurance months are left empty: unknown, never 否 or 0
    "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
    "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录\n"
    "1,女,2017-03-15,510100,440100,2019-09-01,,,,,,0,0,否,小学,租房,4500,,\n"
)


@pytest.mark.parametrize(
    ("lang", "missing", "undetermined"), [("zh", "缺少数值", "无法判定"), ("en", "value is missing", "Undetermined")]
)
def test_a_child_s_empty_facts_are_decided_not_refused(
    office: Office, lang: str, missing: str, undetermined: str
) -> None:
    """A caseworker uploads a GBK person table whose child row leaves 犯罪记录 and the insurance months empty: the
    decisions come back (undetermined where the months matter), the file is not refused cell by cell as before."""
    page = uploads_page(office, "cw_gz", DESKTOP, lang)
    choose_file(page, "儿童.csv", CHILD.encode("gbk"), "人员表" if lang == "zh" else "People")
    page.click("#upload-store")
    page.wait_for_selector("#upload-decisions")
    shown = page.inner_text("body")
    assert missing not in shown and undetermined in shown, shown
    SHOTS_TMP.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_TMP / f"child_upload_{lang}_1366.png"), full_page=True)
