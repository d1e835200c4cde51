"""跨省通办 in Chromium: a Guangzhou caseworker opens a worker insured in Chengdu before he moved and reads the account,
vouchers and transfers with places by name (they were bare codes, 510100); applies to move his pension to Guangzhou
and is told whose release it waits for; a national administrator (covering the old place) releases it, and the
pension months paid in Chengdu are then held in Guangzhou."""

from __future__ import annotations

from typing import Any

from office_support import DESKTOP, PHONE, Office, pick_option
from playwright.sync_api import expect


def _resident(office: Office, username: str, people: dict[str, str], size: tuple[int, int], lang: str) -> Any:
    page = office.open(size, lang)
    office.login(page, username)
    page.goto(f"{office.url}/office/residents/{people['gz']}")
    page.wait_for_selector(".record")
    return page


def _rows(page: Any, pane: str) -> list[list[str]]:
    """The cells of each row of the table on tab `pane`, as read."""
    page.click(f"#tab-{pane}")
    table = page.locator(f"#pane-{pane} .el-table").first
    expect(table.locator(".el-table__row").first).to_be_visible()
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in table.locator(".el-table__row").all()]


def test_a_transfer_is_applied_here_released_there_with_places_by_name(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    people = populated_sqlite[1]
    page = _resident(office, "cw_gz", people, DESKTOP, "en")
    account = _rows(page, "account")
    assert ["Pension insurance", "Chengdu (510100)", "Chengdu (510100)", "38", "2018-01 – 2021-02"] in account, account
    assert not [cell for row in account for cell in row if cell in ("510100", "440100")], account  # no bare code
    assert _rows(page, "vouchers")[0][2] == "Chengdu (510100)"  # the voucher's funder

    page.click("#action-transfer")
    pick_option(page, "scheme", "", "Pension insurance")
    page.locator(".el-dialog:visible button", has_text="Confirm").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    transfer = _rows(page, "transfers")[0]
    assert transfer[:3] == ["Pension insurance", "Chengdu (510100)", "Guangzhou (440100)"], transfer
    # Guangzhou applied; Chengdu's fund releases: not a button Guangzhou's staff would press in vain
    expect(page.locator("#pane-transfers .transfer-waiting")).to_have_text("Waiting for Chengdu (510100) to release")
    expect(page.locator("#pane-transfers .transfer-complete")).to_have_count(0)

    page = _resident(office, "ad_nat", people, PHONE, "zh")
    page.click("#tab-transfers")
    page.locator("#pane-transfers .transfer-complete").click()
    release = "确认由成都市（510100）转出养老保险记录并在广州市（440100）接续"
    expect(page.locator(".el-message-box")).to_contain_text(release)
    page.locator(".el-message-box button", has_text="确定").click()
    expect(page.locator("#pane-transfers .el-table__row").first).to_contain_text("已完成")
    # on the phone each month range is one column: the scheme, then each value under its name
    moved = "养老保险\n缴费地：成都市（510100）\n记账地：广州市（440100）\n月数：38\n期间：2018-01 – 2021-02"
    assert [moved] in _rows(page, "account")
