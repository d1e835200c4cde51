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
