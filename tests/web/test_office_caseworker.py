"""A caseworker in the office (Chromium): search, open a resident, register one from the form, in zh and en."""

from __future__ import annotations

import re

import pytest
from office_support import DESKTOP, PHONE, Office, pick_option
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
NEW_ID = "44010619900307001X"  # a valid GB 11643 number (check character X) nobody in the test data has


def test_search_then_open_a_resident(office: Office) -> None:
    page = office.open()
    office.login(page, "cw_gz")
    page.wait_for_url("**/office/residents")
    page.wait_for_selector("#resident-table .el-table__row")
    rows = page.locator("#resident-table .el-table__row")
    assert rows.count() >= 2  # the worker and the child live in Guangzhou; the mover is moving there
    table = page.inner_text("#resident-table")
    assert "广州市（440100）" in table and "成都市（510100）" in table  # places by name, not bare codes
    assert not re.search(r"\b[0-9a-f]{32}\b", table)  # no hex key in front of a resident
    office.shot(page, "residents_zh_1366")
    page.fill("#resident-search", "510104199001011230")
    page.click("#resident-search-button")
    expect(rows).to_have_count(1)  # the search's answer (the list had at least two), not 500 ms of network idle
    rows.first.click()
    page.wait_for_url(re.compile(r".*/office/residents/[0-9a-f]{32}$"))
    page.wait_for_selector("[data-service='medical_insurance']")
    # the worker was registered without a name: a caseworker, who may see names, reads that none is on file
    assert page.inner_text("#resident-name") == "（未登记姓名）"
    body = page.inner_text("main")
    assert "常住地基本医疗保险" in body and "可享受" in body and "积分" in body
    # the record names the person by the masked identity number a caseworker checks against the card, never by the
    # hex key of its address (it showed "人员编号 3f9c…")
    assert page.inner_text("#resident-id-number") == "51**************30"
    assert not re.search(r"[0-9a-f]{32}", body) and "人员编号" not in body
    office.shot(page, "resident_zh_1366")
    page.click("#lang-switch")
    page.wait_for_selector("main >> text=/basic medical insurance/i")  # labels fetched again in English
    english = page.inner_text("main")
    assert "Entitled" in english
    # plain English for 现状下不符合 and 自…起可享受 (they read "Not under current circumstances" and "From 2028-…")
    assert "Not eligible as things stand" in english and "circumstances" not in english
    assert re.search(r"Eligible from \d{4}-\d{2}-\d{2}", english), english
    assert page.inner_text("#resident-name") == "(no name recorded)"
    office.shot(page, "resident_en_1366")
    # his son was registered without a name, which a caseworker may see: none on file, not "name not shown"
    page.click("#tab-household")
    expect(page.locator("#household-table .el-table__row")).to_contain_text("(no name recorded)")


def test_register_a_resident_from_the_form(office: Office) -> None:
    page = office.open()
    office.login(page, "cw_gz")
    page.click("#register-button")
    dialog = page.locator(".el-dialog:visible")
    dialog.locator(".confirm").click()
    page.wait_for_selector("text=请填写姓名")  # validation in Chinese before anything is sent
    page.fill("[data-field=name] input", "李四")
    # each mistake named as it is: a digit short says the length, a mistyped digit the check character (one message
    # for both, "应为18位，且校验位正确", left the caseworker counting the digits of a number of the right length)
    page.fill("[data-field=id_number] input", "44010619900307002")
    page.fill("[data-field=proof_ref] input", "租赁合同-2026-001")
    page.click("[data-field=name] input")
    page.wait_for_selector("text=公民身份号码为18位，现为 17 位")
    page.fill("[data-field=id_number] input", "440106199003070021")  # wrong check character
    page.click("[data-field=name] input")
    page.wait_for_selector("text=最后一位（校验码）与前17位不符：有一位数字输错了，请与身份证核对")
    page.fill("[data-field=id_number] input", NEW_ID)
    page.fill("[data-field=phone] input", "13800138000")
    pick_option(page, "hukou_region", "成都", "成都市（510100）")
    pick_option(page, "proof_kind", "", "合法稳定住所")
    # the facts come from GET /inputs, labelled by the API: the newest optional column too, without editing the view
    label = dialog.locator("[data-field=parent_lives_here] .el-form-item__label")
    expect(label).to_have_text("父母一方在本市居住（未登记家庭关系时）")
    pick_option(page, "parent_lives_here", "", "是")
    page.locator(".el-dialog:visible .el-dialog__title").click()  # closes the dropdown
    office.shot(page, "register_zh_1366")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/api/v1/residents")) as sent:
        dialog.locator(".confirm").click()
    assert sent.value.post_data_json["attributes"] == {"parent_lives_here": True}  # only the facts given
    page.wait_for_url(re.compile(r".*/office/residents/[0-9a-f]{32}$"))
    page.wait_for_selector("#resident-name")
    assert page.inner_text("#resident-name") == "李四"
    assert "成都市（510100）" in page.inner_text(".record")
    # registered without the core facts: decided under every value they can take, the page names what is needed
    page.wait_for_selector("#facts-needed")
    assert "合法稳定就业" in page.inner_text("#facts-needed")
    page.wait_for_selector(".entitlements [data-service='residence_permit']")
    # the points items that read a missing fact are not counted yet: the sum of the others is a floor, not the total
    points = page.locator(".points-scheme").first.inner_text()
    assert "总分至少" in points and "尚缺信息" in points, points
    office.shot(page, "resident_new_zh_1366")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_register_form_in_english(office: Office, size: tuple[int, int]) -> None:
    page = office.open(size, "en")
    office.login(page, "cw_gz")
    page.wait_for_selector("#resident-table .el-table__row")
    office.shot(page, f"residents_en_{size[0]}")
    page.click("#register-button")
    page.locator(".el-dialog:visible .confirm").click()
    page.wait_for_selector("text=Name is required")
    labels = [text.strip() for text in page.locator(".el-dialog:visible .el-form-item__label").all_inner_texts()]
    # from GET /inputs, its first letter capitalised as a field name
    assert "A parent lives in this city (without a household link)" in labels, labels
    assert not [text for text in labels if re.fullmatch(r"[a-z0-9_]+", text)], labels  # no variable names on screen
    office.shot(page, f"register_en_{size[0]}")


def test_a_national_office_registers_with_every_place_s_facts(office: Office) -> None:
    """An office without a city of its own (the national administrator) is offered every place's facts."""
    page = office.open(DESKTOP, "en")
    office.login(page, "ad_nat")
    page.goto(office.url + "/office/residents")
    page.click("#register-button")
    dialog = page.locator(".el-dialog:visible")
    expect(dialog.locator("[data-field=parent_lives_here]")).to_have_count(1)
    tianjin_only = dialog.locator("[data-field=tianjin_si_continuous_12m]")  # declared by Tianjin's file
    expect(tianjin_only).to_have_count(1)
    office.shot(page, "register_national_en_1366")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_points_table_fits_a_phone(office: Office, lang: str) -> None:
    """On a 390 px phone the resident page's points table shows what each item was scored on (依据 / Based on) on
    the screen, under the item, its texts wrapping (was a third column squeezing the items: test_phone_fit_browser)."""
    page = office.open(PHONE, lang)
    office.login(page, "cw_gz")
    page.wait_for_selector("#resident-table .el-table__row")
    page.fill("#resident-search", "510104199001011230")
    page.click("#resident-search-button")
    rows = page.locator("#resident-table .el-table__row")
    expect(rows).to_have_count(1)  # the search's answer, so the row opened is the one searched for
    rows.first.click()
    page.wait_for_selector(".points-table")
    table = page.locator(".points-table").first
    # the page scrolled down to the table only (scrolling to the cell would scroll the table sideways too): the
    # basis must then be on the screen as laid out, not clipped by the table's edge or beyond the phone's
    table.evaluate("t => window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY - 80)")
    expect(table.locator("th.points-basis")).to_have_count(0)
    basis = table.locator(".points-why").filter(has_text=re.compile(r"\S")).first
    expect(basis).to_contain_text("：" if lang == "zh" else ": ")
    expect(basis).to_be_in_viewport(ratio=1)
    box = basis.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], box
    office.shot(page, f"resident_points_{lang}_390")


def test_a_date_typed_as_people_write_it_is_read_not_replaced_by_today(office: Office) -> None:
    """A caseworker types the residence start as it is written on a contract (2021/3/1, 2021年3月1日, 20210301):
    the form reads that day. The date picker alone read only 2021-03-01 and put today's date in place of anything
    else when the field was left, a residence starting today. Text that is no date empties the field, and the form
    asks for the date."""
    page = office.open(DESKTOP, "zh")
    office.login(page, "cw_gz")
    page.click("#register-button")
    dialog = page.locator(".el-dialog:visible")
    since = dialog.locator("[data-field=residence_since] input")
    for typed in ("2021/3/1", "2021年3月1日", "20210301", "2021.3.1"):
        since.fill("")
        since.type(typed)
        dialog.locator(".el-dialog__title").click()  # the field is left, as a caseworker moves on
        expect(since).to_have_value("2021-03-01")
    since.fill("")
    since.type("三月一日")
    dialog.locator(".el-dialog__title").click()
    expect(since).to_have_value("")
    expect(dialog.locator("[data-field=residence_since]")).to_contain_text("请填写")
