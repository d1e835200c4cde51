"""The office's menu at 1366 px: every entry of every role shown in the bar by name, in Chinese and in English (the
horizontal menu folds what does not fit into a "•••" entry, where a caseworker did not find "Dashboards" once
"Releases" was added, and the administrator, with every entry, did not find "Uploads" and "Dashboards" in English);
the older dashboards' sub-menu is gone, their work is the office's own views (map, services, fiscal, reforms)."""

from __future__ import annotations

import pytest
from office_support import DESKTOP, Office

ENTRIES = {  # every entry of the role's menu (frontend/src/menu.js), in order
    "cw_gz": ["/residents", "/applications", "/releases", "/handovers", "/approvals", "/quotas", "/map",
              "/admin/uploads"],
    "pl_nat": ["/quotas", "/map", "/services", "/siting", "/reforms/new", "/fiscal", "/admin/uploads"],
    "fo_nat": ["/map", "/services", "/reforms/new", "/fiscal"],
    "ad_nat": ["/residents", "/applications", "/releases", "/quotas", "/map", "/services", "/siting", "/reforms/new",
               "/fiscal", "/admin/users", "/admin/audit", "/admin/uploads"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("username", ["cw_gz", "pl_nat", "fo_nat", "ad_nat"])
def test_every_menu_entry_is_in_the_bar_at_1366(office: Office, username: str, lang: str) -> None:
    page = office.open(DESKTOP, lang)
    office.login(page, username)
    menu = page.locator(".shell-menu")
    menu.wait_for()
    assert menu.locator(":scope > .el-sub-menu").count() == 0, (username, lang)  # nothing folded, no sub-menu
    items = menu.locator(":scope > .el-menu-item").all()
    for item in items:
        assert item.is_visible() and item.inner_text().strip(), (username, lang)
    assert len(items) == len(ENTRIES[username]), (username, lang, [i.inner_text() for i in items])  # none folded
    if username == "ad_nat":
        office.shot(page, f"menu_admin_{lang}_1366")
        page.click(".account-menu")  # the items awaiting approval too: the bar has no room for them
        page.click(".account-approvals")
        page.wait_for_url("**/office/approvals")
        page.locator("#approval-table").wait_for()
        page.click(".account-menu")  # the account's own actions sit under its name, leaving the bar to the menu
        page.click("#change-password")
        page.wait_for_url("**/office/password")


def test_a_womans_sex_is_one_word_in_the_residents_table(office: Office) -> None:
    page = office.open(DESKTOP, "en")
    office.login(page, "ad_nat")
    cell = page.locator(".el-table__row td", has_text="Female").first
    cell.wait_for()
    assert cell.inner_text().strip() == "Female" and cell.bounding_box()["height"] < 45  # "Femal/e" took two lines
