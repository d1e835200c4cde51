"""The planner's dashboards (/app/*) on a phone, 390 px wide: the page is as wide as the screen, in Chinese and
English; a wide table scrolls sideways inside it and a long choice is cut to the screen, instead of widening the page
(services was 675 px wide, the map 537, fiscal 504, the header squeezed into the left part)."""

from __future__ import annotations

import pytest
from office_support import PHONE, Office
from playwright.sync_api import expect


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dashboards_fit_a_phone(office: Office, lang: str) -> None:
    page = office.open(PHONE, lang)
    office.login(page, "pl_nat")
    for name, ready in (("services", "#services-table tr"), ("map", "#region-table tr"), ("fiscal", "table.data tr")):
        page.goto(f"{office.url}/app/{name}")
        expect(page.locator(ready).nth(1)).to_be_visible()
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= PHONE[0], f"/app/{name} is {wide} px wide on a {PHONE[0]} px screen"
