"""The resident's own page (/me) as a migrant reads it (Chromium, zh and en, phone and desktop): no project notes in
the points, one plain sentence where the values are not checked, places by name without their codes, and a points
group's row on one line on a phone."""

from __future__ import annotations

import re
from typing import Any

from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

SMALL_PHONE = (360, 780)
UNCHECKED = {
    "zh": "此项分值尚未与本市公布的文件核对，仅供参考。",
    "en": "These point values have not yet been checked against the city's published document; for reference only.",
}
# where the cell's first words are drawn (the label's first line; a long label wraps under it, as text does)
FIRST_LINE = """cell => {
  const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, (n) => n.data.trim() ? 1 : 3);
  const range = document.createRange();
  range.selectNodeContents(walk.nextNode());
  const r = range.getClientRects()[0];
  return {x: r.x, y: r.y, height: r.height};
}"""
INTERNAL = re.compile(r"占位|未经核实|placeholder|not verified", re.IGNORECASE)


def test_unchecked_points_read_as_one_plain_sentence_and_places_as_names(office: Office) -> None:
    """Chengdu's placeholder scheme: the sentence under its title, none of the project's notes; the resident's head
    line and history name places ("成都市"), never "成都市（510100）"."""
    for lang, size in (("zh", PHONE), ("en", PHONE), ("zh", DESKTOP), ("en", DESKTOP)):
        page = office.open(size, lang)
        office.login(page, "res_cd")
        page.wait_for_selector("#me-points .points-scheme")
        points = page.locator("#me-points")
        expect(points.locator(".points-unverified")).to_have_text(UNCHECKED[lang])
        text = points.inner_text()
        assert not INTERNAL.search(text), text
        head, history = page.inner_text(".me-head"), page.inner_text("#me-history")
        assert ("成都市" if lang == "zh" else "Chengdu") in head, head
        assert not re.search(r"[(（]\d{6}[)）]", head + history), head + history
        office.shot(page, f"me_unchecked_points_{lang}_{size[0]}")


def _open_group(body: dict[str, Any]) -> None:
    """The Guangzhou worker's table as an open group makes it (合法稳定就业 not yet assessed: its parts below it, as
    for a resident whose insurance facts are not on record)."""
    items = body["points"][0]["items"]
    group, parts = items[3], items[4:6]
    body["points"][0]["items"] = [{**group, "points": None, "parts": parts}, *items[:3], *items[6:]]


def test_a_points_group_row_reads_on_one_line_on_a_phone(office: Office) -> None:
    """A group row (合法稳定就业 with its parts): its tree chevron sat on a line of its own above the label at 390 px.
    The chevron and the label share one line at 390 and 360 px."""
    for lang, size in (("zh", PHONE), ("en", PHONE), ("zh", SMALL_PHONE)):
        page = office.open(size, lang)

        def handle(route: Any) -> None:
            response = route.fetch()
            body = response.json()
            _open_group(body)
            route.fulfill(response=response, json=body)

        page.route("**/api/v1/me/overview*", handle)
        office.login(page, "res_gz")
        page.wait_for_selector("#me-points .points-scheme")
        row = page.locator("#me-points .el-table__row", has=page.locator(".el-table__expand-icon")).first
        chevron, cell = row.locator(".el-table__expand-icon"), row.locator(".cell").first
        icon = chevron.bounding_box()
        words = cell.evaluate(FIRST_LINE)
        assert icon is not None
        middle = icon["y"] + icon["height"] / 2
        assert words["y"] <= middle <= words["y"] + words["height"], (icon, words)
        assert icon["x"] < words["x"], (icon, words)  # beside it, to its left
        office.shot(page, f"me_points_group_{lang}_{size[0]}")


REPORTED = {"region": "440100", "from": "2021-03-01", "to": "2026-11-01", "reported_by": "440000"}


def test_the_years_lived_before_a_move_read_as_reported_by_the_sending_authority(office: Office) -> None:
    """After a cross-province move the history read only "登记常住地：成都市": the periods the hand-over carried
    (`reported_residence`, tests/api/test_api_transfer_residence.py) are listed by name, from and to, as reported."""
    said = {
        "zh": ("此前的居住经历（由转出地经办机构报送）", "广州市：2021-03-01 至 2026-11-01"),
        "en": ("Earlier residence (as reported by the sending authority)", "Guangzhou: 2021-03-01 to 2026-11-01"),
    }
    for lang, size in (("zh", PHONE), ("en", PHONE), ("zh", DESKTOP), ("en", DESKTOP)):
        page = office.open(size, lang)

        def handle(route: Any) -> None:
            response = route.fetch()
            body = response.json()
            body["reported_residence"] = [{**REPORTED, "region_name": "广州市", "region_name_en": "Guangzhou"}]
            route.fulfill(response=response, json=body)

        page.route("**/api/v1/me/overview*", handle)
        office.login(page, "res_cd")
        history = page.locator("#me-history")
        expect(history.locator(".reported-title")).to_have_text(said[lang][0])
        expect(history.locator(".reported-periods li")).to_have_text([said[lang][1]])
        office.shot(page, f"me_reported_residence_{lang}_{size[0]}")
