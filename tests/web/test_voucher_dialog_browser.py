"""The voucher dialog's date boxes give an example of this year, today's date in the two ways it may be typed (they
said "e.g. 2021-03-01 or 2021/3/1", a date years past, to a caseworker issuing a voucher now)."""

from __future__ import annotations

from datetime import date

import pytest
from office_support import DESKTOP, PHONE, Office, open_resident
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
WORKER_ID = "510104199001011230"


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")])
def test_the_voucher_dialogs_date_example_is_today(office: Office, size: tuple[int, int], lang: str) -> None:
    page = office.open(size, lang)
    office.login(page, "cw_gz")
    page.wait_for_url("**/office/residents")
    open_resident(page, WORKER_ID)
    page.get_by_role("button", name="发放服务券" if lang == "zh" else "Issue a voucher").click()
    box = page.locator("[data-field=issued_on] input")
    expect(box).to_be_visible()
    today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    iso, slash = date(*today).isoformat(), "/".join(map(str, today))
    said = f"例如 {iso}、{slash}" if lang == "zh" else f"e.g. {iso} or {slash}"
    expect(box).to_have_attribute("placeholder", said)
    expect(page.locator("[data-field=expires_on] input")).to_have_attribute("placeholder", said)
    office.shot(page, f"voucher_dialog_{lang}_{size[0]}")


def test_a_dialog_opens_without_the_last_dialogs_messages(office: Office) -> None:
    """The caseworker confirms an empty contributions dialog (each field says it is required), cancels, and opens the
    transfer dialog: its "what moves" field (the same name, scheme, as the contributions' scheme) opens clean, not
    red with "请填写转移项目" before anything was done (one form serves every action and kept the last messages)."""
    page = office.open(DESKTOP, "zh")
    office.login(page, "cw_gz")
    page.wait_for_url("**/office/residents")
    open_resident(page, WORKER_ID)
    page.click("#action-contributions")
    dialog = page.locator(".el-dialog:visible")
    dialog.get_by_role("button", name="确定").click()
    expect(dialog.locator("[data-field=scheme] .el-form-item__error")).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    page.click("#action-transfer")
    dialog = page.locator(".el-dialog:visible")
    expect(dialog).to_contain_text("申请转移接续")
    expect(dialog.locator("[data-field=applied_on] input")).to_be_visible()
    expect(dialog.locator(".el-form-item__error")).to_have_count(0)
