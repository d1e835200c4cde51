"""The office's font follows its language, in Chromium: <html lang> is the language the office shows from the first
page on (it said zh-CN on a page in English until the language was switched by hand), English text is drawn in a
Latin font (the body's stack put "Noto Sans CJK SC" first, so English was drawn in the CJK font's wide Latin letters)
and Chinese in the CJK font; buttons take the page's font too."""

from __future__ import annotations

from typing import Any

import pytest
from office_support import DESKTOP, Office

pytestmark = pytest.mark.browser


def _drawn_in(page: Any, selector: str) -> set[str]:
    """The fonts Chromium drew the text of `selector` with (not the stack asked for: the fonts it found and used)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts if f["glyphCount"] > 0}


def _login_page(office: Office, lang: str) -> Any:
    page = office.open(DESKTOP, lang)
    page.goto(office.url + "/office/login")
    page.wait_for_selector("#login-button")
    return page


def test_english_is_drawn_in_a_latin_font_and_chinese_in_a_cjk_one(office: Office) -> None:
    english = _login_page(office, "en")
    assert english.evaluate("document.documentElement.lang") == "en"  # from the first page, not after a switch
    assert "Basic public services" in english.inner_text(".login-card .muted")
    for selector in (".login-card .muted", "#login-button > span"):
        drawn = _drawn_in(english, selector)
        assert drawn and not [f for f in drawn if "CJK" in f], (selector, drawn)
    chinese = _login_page(office, "zh")
    assert chinese.evaluate("document.documentElement.lang") == "zh-CN"
    for selector in (".login-card .muted", "#login-button > span"):
        assert [f for f in _drawn_in(chinese, selector) if "CJK" in f], selector
    chinese.click("#lang-switch")  # switched on the page: the language and the font follow at once
    chinese.wait_for_selector("text=Log in")
    assert chinese.evaluate("document.documentElement.lang") == "en"
    assert not [f for f in _drawn_in(chinese, ".login-card .muted") if "CJK" in f]
