"""Words of the caseworker's pages in English, in Chromium, found walking the caseworker's journey: the resident
search's "search by" choice reads as a choice ("Detect" alone read as a button's verb; "Any (detected)" was too wide
for a phone), and the points items of an
application's pre-check start with a capital as on the resident's page ("years holding the residence permit" began
lower case there, the API's label as used inside a sentence), as do the kinds offered ("points-based
settlement"); a planner's facility list scope is read whole, not
cut off ("Scope: the cities list…" in a 200 px box)."""

from __future__ import annotations

import pytest
from api_support import ID_GZ
from office_support import DESKTOP, PHONE, Office, choose_file, open_resident, pick_option, uploads_page
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_resident_search_by_choice_reads_any(office: Office) -> None:
    page = office.open(DESKTOP, "en")
    office.login(page, "cw_gz")
    page.wait_for_selector("#resident-search")
    expect(page.locator(".toolbar .el-select").first).to_have_text("Any")
    # "Any" alone does not say what the choice is of: the control is named for a screen reader (it had no name)
    expect(page.get_by_role("combobox", name="Search by")).to_have_count(1)


def test_the_points_items_of_a_pre_check_start_with_a_capital(office: Office) -> None:
    page = office.open(DESKTOP, "en")
    office.login(page, "cw_gz")
    open_resident(page, ID_GZ)
    page.click("#action-apply")
    pick_option(page, "kind", "", "Points-based settlement")
    page.click("#application-submit")
    items = page.locator(".el-dialog:visible .precheck .points-scheme .el-table__row td:first-child")
    expect(items.first).to_be_visible()
    labels = [text.strip() for text in items.all_inner_texts()]
    assert "Years holding the residence permit (8 per full year)" in labels, labels
    assert [label for label in labels if not label[0].isupper()] == [], labels


# every element of the select's shown choice, the choice's own box included, whose text is wider than its box (drawn
# cut off, with an ellipsis). The box that cuts is the choice's own (.el-select__selected-item: overflow hidden,
# text-overflow ellipsis); the text inside it is an inline span, whose clientWidth is 0: looking only inside the box
# (selector + ' *') found nothing whatever the width
CUT = """(selector) => [...document.querySelectorAll(selector)].flatMap((e) => [e, ...e.querySelectorAll('*')])
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
  .map((e) => e.innerText)"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1366", "390"])
def test_a_facility_list_s_scope_reads_whole(office: Office, size: tuple[int, int]) -> None:
    page = uploads_page(office, "pl_gd", size, "en")
    choose_file(page, "facilities.csv", b"x", "Facility list")
    scope = page.locator(".el-select", has=page.locator("#upload-scope"))
    expect(scope).to_contain_text("Scope: the cities listed")
    assert page.evaluate(CUT, ".toolbar .el-select:has(#upload-scope) .el-select__selected-item") == []
