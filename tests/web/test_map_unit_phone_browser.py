"""The unit of the office's national map on a phone (390 px), in Chinese and English: a gap's unit is two lines
("Gap (demand − supply)" over "beds"), and its second line lay on the scale's end values under it until 2026-12-04.
ProvinceMap says the unit's least room from the scale, the country, the 南海诸岛 inset's frame and the box's edges
(data-unit-clear, in px; negative where it overlaps)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from office_support import PHONE, Office, settle
from playwright.sync_api import expect
from test_planning_views_browser import MAP, ROWS, SERVICES, _choose

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ROOM = 6  # px the unit keeps clear of everything else


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_maps_unit_fits_a_phone(office: Office, lang: str) -> None:
    page = office.open(PHONE, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/map")
    expect(page.locator(ROWS).nth(1)).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    beds = SERVICES[lang][1]
    for measure in ("share", beds):
        if measure != "share":
            _choose(page, "measure-select", measure)
            expect(page.locator(MAP)).to_have_attribute("aria-label", re.compile("床位" if lang == "zh" else "beds"))
        settle(page)
        clear = page.locator(MAP).get_attribute("data-unit-clear") or ""
        assert clear and int(clear) >= ROOM, f"{lang} {measure}: the unit has {clear} px of room"
        name = "share" if measure == "share" else "beds"
        page.locator(MAP).screenshot(path=str(ARTIFACTS / f"map_unit_{lang}_{name}_{PHONE[0]}.png"))
