"""Placeholders in Chromium: each is an example short enough to read whole in its field, in Chinese and English, at
desktop and phone width; a rule the example cannot carry (which characters a name may use) is said under the field."""

from __future__ import annotations

import pytest
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

# the width the placeholder's text needs, in the field's own font, and the width the field gives it
FITS = """(e) => {
  const style = getComputedStyle(e);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = style.font;
  const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [Math.ceil(pen.measureText(e.placeholder).width), Math.floor(room)];
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_the_reform_name_placeholder_is_read_whole(office: Office, lang: str, size: tuple[int, int]) -> None:
    page = office.open(size, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/reforms/new")
    name = page.locator("#scenario-name")
    expect(name).to_have_attribute(
        "placeholder", "e.g. exam_1y_dibao_800" if lang == "en" else "例如 exam_1y_dibao_800"
    )
    needs, room = name.evaluate(FITS)
    assert needs <= room, f"the placeholder needs {needs} px and has {room}"  # it needed 370 and had 255 in English
    rule = "Letters, digits and underscores only" if lang == "en" else "只能用字母、数字和下划线"
    expect(page.locator("#scenario-name-rule")).to_have_text(rule)
