"""The residents list's toolbar (Chromium, zh and en): at 1366 px the search, its kind, the place filter and the
three buttons (search, register, register an arrival from elsewhere) sit on one row, no button's words broken over
two lines; at 390 px the row may break, but between whole items, every one inside the screen."""

from __future__ import annotations

from typing import Any

import pytest
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ITEMS = ("#resident-search", "#resident-search-by", "[data-field=resident-region]", "#resident-search-button",
         "#register-button", "#arrival-button")  # fmt: skip
BUTTONS = ITEMS[3:]


def _toolbar(office: Office, size: tuple[int, int], lang: str) -> Any:
    page = office.open(size, lang)
    office.login(page, "cw_gz")
    page.wait_for_url("**/office/residents")
    expect(page.locator("#arrival-button")).to_be_visible()
    return page


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return dict(box)


def _one_line(page: Any, selector: str) -> bool:
    """The button's words on a single line: its text's height is one line's."""
    return bool(
        page.locator(selector).evaluate(
            "b => { const s = b.querySelector('span') || b; const r = s.getClientRects();"
            " return r.length === 1 && r[0].height < 2 * parseFloat(getComputedStyle(s).lineHeight || 20); }"
        )
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_1366_the_toolbar_is_one_row(office: Office, lang: str) -> None:
    page = _toolbar(office, DESKTOP, lang)
    tops = {selector: round(_box(page, selector)["y"] + _box(page, selector)["height"] / 2) for selector in ITEMS}
    assert max(tops.values()) - min(tops.values()) <= 2, f"the toolbar broke into rows: {tops}"
    for selector in BUTTONS:
        assert _one_line(page, selector), f"{selector}'s words wrap"
    assert _box(page, "#resident-search")["width"] >= 150  # the search box is still a box to type in
    office.shot(page, f"residents_toolbar_{lang}_1366")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_390_the_toolbar_stacks_between_whole_items(office: Office, lang: str) -> None:
    page = _toolbar(office, PHONE, lang)
    for selector in ITEMS:
        box = _box(page, selector)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], f"{selector} leaves the screen: {box}"
    for selector in BUTTONS:
        assert _one_line(page, selector), f"{selector}'s words wrap"
    office.shot(page, f"residents_toolbar_{lang}_390")
