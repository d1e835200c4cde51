"""跨省通办 in Chromium, the old city's side: Guangzhou applies to take over a worker's pension paid in Chengdu;
Chengdu's caseworker (jurisdiction 510100 only, who may not open the worker's page) finds the transfer in the list
of transfers awaiting release, with whom, what, from and to where, how many months and who applied, releases it,
and the months are then held in Guangzhou."""

from __future__ import annotations

from typing import Any

from office_support import DESKTOP, PHONE, Office, pick_option
from playwright.sync_api import expect


def _page(office: Office, username: str, size: tuple[int, int], lang: str) -> Any:
    page = office.open(size, lang)
    office.login(page, username)
    return page


def _apply_in_guangzhou(office: Office, person_key: str) -> Any:
    """Guangzhou's caseworker applies for the worker's pension from the worker's page; that page."""
    page = _page(office, "cw_gz", DESKTOP, "en")
    page.goto(f"{office.url}/office/residents/{person_key}")
    page.wait_for_selector(".record")
    page.click("#action-transfer")
    pick_option(page, "scheme", "", "Pension insurance")
    page.locator(".el-dialog:visible button", has_text="Confirm").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator("#pane-transfers .transfer-waiting")).to_have_count(1)
    return page


def _rows(page: Any) -> list[list[str]]:
    table = page.locator("#release-table")
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in table.locator(".el-table__row").all()]


def test_chengdu_finds_and_releases_what_guangzhou_applied_for(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    people = populated_sqlite[1]
    guangzhou = _apply_in_guangzhou(office, people["gz"])

    phone = _page(office, "cw_cd", PHONE, "zh")
    phone.click("#menu-button")
    phone.locator(".drawer-menu .el-menu-item", has_text="待转出").click()
    expect(phone.locator("#release-table .el-table__row")).to_have_count(2)
    expect(phone.locator("#release-table .release-transfer").first).to_be_in_viewport(ratio=1)  # no sideways scroll
    nothing = phone.locator("#release-table .el-table__row").first  # the mover's: Chengdu holds none of it
    expect(nothing).to_contain_text("无可转移")
    expect(nothing.locator(".release-transfer")).to_have_text("办结（无可转移）")
    office.shot(phone, "releases_zh_390")

    page = _page(office, "cw_cd", DESKTOP, "en")
    page.goto(f"{office.url}/office/residents/{people['gz']}")  # the worker's page stays closed to Chengdu
    expect(page.locator(".record")).to_have_count(0)
    page.locator(".shell-menu .el-menu-item", has_text="Releases").click()
    expect(page.locator("#release-table .el-table__row")).to_have_count(2)
    rows = _rows(page)
    worker = next(r for r in rows if "38 months" in r)
    assert worker[:7] == [
        "(no name recorded)\n51**************30",  # as on every other list (was "Name not on file")
        "Pension insurance",
        "Chengdu (510100)",
        "Guangzhou (440100)",
        "38 months",
        worker[5],
        "cw_gz",
    ], rows
    office.shot(page, "releases_en_1366")

    page.locator("#release-table .el-table__row", has_text="38 months").locator(".release-transfer").click()
    expect(page.locator(".el-message-box")).to_contain_text(
        "Release the pension insurance record held in Chengdu (510100) and receive it in Guangzhou (440100)?"
    )
    page.locator(".el-message-box button", has_text="Confirm").click()
    expect(page.locator("#release-table .el-table__row")).to_have_count(1)
    expect(page.locator("#release-table")).not_to_contain_text("38 months")

    # the populated mover's application: Chengdu holds none of the mover's pension months. The row says so and its
    # button closes the application (the server completes it moving nothing); it does not promise to move a record
    empty = page.locator("#release-table .el-table__row").first
    expect(empty).to_contain_text("Nothing to move")
    expect(empty.locator(".release-transfer")).to_have_text("Close: nothing to move")
    empty.locator(".release-transfer").click()
    expect(page.locator(".el-message-box")).to_contain_text(
        "No pension insurance record of this person is held in Chengdu (510100): nothing will move."
    )
    office.shot(page, "releases_nothing_en_1366")
    page.locator(".el-message-box button", has_text="Confirm").click()
    expect(page.locator("#release-table .el-table__row")).to_have_count(0)
    expect(page.locator("#release-table")).to_contain_text("No transfer waits for your release")

    guangzhou.goto(f"{office.url}/office/residents/{people['gz']}")
    guangzhou.wait_for_selector(".record")
    guangzhou.click("#tab-account")
    account = guangzhou.locator("#pane-account .el-table").first
    expect(account).to_contain_text("Guangzhou (440100)")
    cells = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in account.locator(".el-table__row").all()]
    assert ["Pension insurance", "Chengdu (510100)", "Guangzhou (440100)", "38", "2018-01 – 2021-02"] in cells, cells
