"""A resident's vouchers on their page in Chromium: each with the last day it can be used. The caseworker's tab
showed the service, value, funder, status and provider but not the expiry the resident's own statement shows, so
the counter could not tell someone that a voucher was about to lapse (or had). zh and en, 1366 px and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "size", "label"),
    [("zh", DESKTOP, "有效期至"), ("en", PHONE, "Valid until")],
    ids=["zh-1366", "en-390"],
)
def test_the_voucher_tab_shows_until_when_a_voucher_is_valid(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]], lang: str, size: tuple[int, int], label: str
) -> None:
    page = office.open(size, lang)
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/residents/{populated_sqlite[1]['gz']}")
    page.click("#tab-vouchers")
    tab = page.locator("#pane-vouchers")
    expect(tab).to_contain_text(label)
    expect(tab).to_contain_text("2027-03-01")  # the seeded voucher's last day (api_support.populate)
    office.shot(page, f"resident_vouchers_{lang}_{size[0]}")
