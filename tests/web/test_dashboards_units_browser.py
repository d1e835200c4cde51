"""What a planner and a fiscal official read on the dashboards says its unit, its language and what is estimated:
every chart's axis and table column of amounts has its unit (the fiscal chart's axis read "yuan / 常住人口" in
Chinese), the compensation table says its origins are a gravity-model estimate, the national map's inset is named
in the page's language, and the office's maps say sketch map, where the data come from and grey for no data."""

from __future__ import annotations

import pytest
from office_support import DESKTOP, Office
from playwright.sync_api import expect

WORDS = {
    "zh": {"axis": "元 / 常住人口", "yuan": "（元）", "estimate": "估算", "beds": "床位（张）", "inset": "南海诸岛"},
    "en": {"axis": "yuan per resident", "yuan": "(yuan)", "estimate": "estimate", "beds": "beds", "inset": "South"},
}
NOTE = {"zh": ("示意图", "灰色：无数据", "数据：", "估算"), "en": ("Sketch map", "grey: no data", "data: ", "estimate")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dashboards_say_units_estimates_and_the_inset_in_the_pages_language(office: Office, lang: str) -> None:
    words = WORDS[lang]
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(f"{office.url}/app/fiscal")
    expect(page.locator("#fiscal-chart .ytitle")).to_have_text(words["axis"])
    expect(page.locator("#fiscal-table th").nth(2)).to_contain_text(words["yuan"])
    expect(page.locator("h2[data-i18n='fiscal.flows']")).to_contain_text(words["estimate"])
    page.goto(f"{office.url}/app/services")
    titles = page.locator(".service-chart .ytitle")
    expect(titles.first).to_be_visible()
    assert all(t.strip() for t in titles.all_text_contents())  # every chart's axis has its unit
    assert words["beds"] in titles.all_text_contents()
    page.goto(f"{office.url}/app/map")
    expect(page.locator("#map .annotation-text").first).to_contain_text(words["inset"])
    page.goto(f"{office.url}/office/fiscal")
    note = page.locator("#fiscal-map .map-note")
    for word in NOTE[lang]:
        expect(note).to_contain_text(word)
