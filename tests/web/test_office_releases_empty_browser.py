"""The releases list with nothing to release, on a phone (390 px): its empty message sits on one line right under
the header, in either language, with no gap of blank table below it (Element's own style broke the English one into
two lines 60 px apart)."""

from __future__ import annotations

import pytest
from office_support import PHONE, Office, settle
from playwright.sync_api import expect

MESSAGES = [("zh", "暂无待本地转出的申请"), ("en", "No transfer waits for your release")]


@pytest.mark.parametrize(("lang", "message"), MESSAGES)
def test_the_empty_releases_list_on_a_phone(office: Office, lang: str, message: str) -> None:
    page = office.open(PHONE, lang)
    office.login(page, "cw_gz")  # Guangzhou holds nothing another place has applied for
    page.goto(f"{office.url}/office/releases")
    empty = page.locator("#release-table .el-table__empty-text")
    expect(empty).to_have_text(message)
    settle(page)
    line = float(empty.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    text, block = empty.bounding_box(), page.locator("#release-table .el-table__empty-block").bounding_box()
    assert text is not None and block is not None
    assert line <= 24 and text["height"] <= 60 and block["height"] <= 60, (line, text, block)  # one line, no gap
