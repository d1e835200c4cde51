"""A caseworker's journeys on a resident's page (Chromium, zh and en, 1366 and 390 px), as a reviewer walked them:
a second open application for the same child and service is refused in the dialog naming the first, with a link
to it; a settled hospital bill says the split in 元 and why the fund paid nothing; the tabs are read whole on a
phone; the review dialog's box says what it is for; the contribution dialog's month field shows an example."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from office_support import DESKTOP, PHONE, Office, bearer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SIZES = [(DESKTOP, "zh"), (PHONE, "zh"), (DESKTOP, "en"), (PHONE, "en")]


def _keys(url: str) -> dict[str, str]:
    """The worker's and his son's person keys, from the worker's own page."""
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        mine = client.get("/me/overview", headers=bearer(url, "res_gz")).json()["record"]["person_key"]
        kids = client.get(f"/residents/{mine}/household", headers=bearer(url, "res_gz")).json()["children"]
        return {"gz": mine, "child": kids[0]["person_key"]}


def _open_school_place(url: str, child: str) -> int:
    """The number of the child's open school-place application: made now, or the one already open (the refusal
    names it)."""
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        made = client.post(
            "/applications", json={"person_key": child, "kind": "school_place"}, headers=bearer(url, "cw_gz")
        )
        assert made.status_code in (201, 409), made.text
        return int(made.json()["id"] if made.status_code == 201 else made.json()["params"]["application_id"])


def _resident(office: Office, size: tuple[int, int], lang: str, key: str) -> Any:
    page: Any = office.open(size, lang)
    office.login(page, "cw_gz")
    page.goto(office.url + f"/office/residents/{key}")
    page.wait_for_selector("#action-apply")
    return page


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_a_second_school_place_is_refused_in_the_dialog(office: Office, size: tuple[int, int], lang: str) -> None:
    child = _keys(office.url)["child"]
    number = _open_school_place(office.url, child)
    page = _resident(office, size, lang, child)
    page.click("#action-apply")
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("[data-field=kind] .el-select__wrapper").click()
    kind = "随迁子女入学" if lang == "zh" else "School place for a migrant child"
    page.locator(".el-select-dropdown__item:visible", has_text=kind).first.click()
    dialog.locator("#application-submit").click()
    refusal = dialog.locator(".application-refusal .error-box")
    said = f"编号 {number}" if lang == "zh" else f"number {number}"
    expect(refusal).to_contain_text(said)
    expect(refusal).to_contain_text("随迁子女入学" if lang == "zh" else "school place for a migrant child")
    expect(refusal).to_be_in_viewport()  # beside the button pressed, not above a long list out of sight
    link = dialog.locator("#application-open-existing")
    expect(link).to_contain_text(str(number))
    office.shot(page, f"application_already_open_{lang}_{size[0]}")
    link.click()
    page.wait_for_url(re.compile(rf".*/office/applications/{number}$"))


@pytest.mark.parametrize(("size", "lang"), SIZES)
def test_a_bill_under_the_deductible_says_why_the_fund_paid_nothing(
    office: Office, size: tuple[int, int], lang: str
) -> None:
    page = _resident(office, size, lang, _keys(office.url)["gz"])
    hospital = f"测试医院 {lang} {size[0]}"
    page.click("#action-settlement")
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("[data-field=hospital] input").fill(hospital)
    dialog.locator("[data-field=items] textarea").fill("A001 500")
    dialog.locator(".confirm").click()
    message = page.locator(".settled-message")
    if lang == "zh":
        split, why = "医保基金支付 0.00 元，个人支付 500.00 元", "可报销费用 500.00 元未超过起付线 1,000.00 元"
    else:
        split = "the fund pays 0.00 yuan, the person pays 500.00 yuan"
        why = "the eligible amount, 500.00 yuan, is not above the deductible of 1,000.00 yuan"
    expect(message).to_contain_text(split)
    expect(message).to_contain_text(why)
    row = page.locator(".medical-claims .el-table__row", has_text=hospital)
    expect(row).to_contain_text(why)  # the bills' tab, opened on it, says the same
    office.shot(page, f"settled_under_deductible_{lang}_{size[0]}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_tab_is_read_whole_on_a_phone(office: Office, lang: str) -> None:
    page = _resident(office, PHONE, lang, _keys(office.url)["gz"])
    tabs = page.locator(".wrap-tabs .el-tabs__item")
    expect(tabs).to_have_count(8)
    for tab in tabs.all():
        box = tab.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (tab.inner_text(), box)
        assert tab.evaluate("e => e.scrollWidth <= e.clientWidth"), tab.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    tabs.last.click()  # the last tab, reached without scrolling sideways
    expect(tabs.last).to_have_class(re.compile("is-active"))
    office.shot(page, f"resident_tabs_{lang}_390")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_review_box_and_the_month_field_say_what_they_take(office: Office, lang: str) -> None:
    keys = _keys(office.url)
    page = _resident(office, DESKTOP, lang, keys["gz"])
    page.click("#action-contributions")
    month = page.locator(".el-dialog:visible [data-field=from_period] input")
    expect(month).to_have_attribute("placeholder", re.compile(r"^(例如|e\.g\.) \d{4}-\d{2}$"))
    month.fill("2026-06")
    month.press("Enter")
    expect(month).to_have_value("2026-06")  # the example's form is the one the field takes
    page.keyboard.press("Escape")
    number = _open_school_place(office.url, keys["child"])
    with httpx.Client(base_url=office.url + "/api/v1", timeout=60) as client:
        status = client.get(f"/applications/{number}", headers=bearer(office.url, "cw_gz")).json()["status"]
    if status != "submitted":
        pytest.skip("the child's application was taken into review by an earlier test of this module")
    page.goto(office.url + f"/office/applications/{number}")
    page.click("#transition-review")
    dialog = page.locator(".el-dialog:visible")
    label = "受理备注（选填）" if lang == "zh" else "Note on taking it into review (optional)"
    expect(dialog.locator(".el-form-item__label")).to_have_text(label)
    told = "申请人也能看到" if lang == "zh" else "applicant also sees"
    expect(dialog.locator("#review-note-help")).to_contain_text(told)
