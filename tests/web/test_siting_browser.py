"""The office's siting page in Chromium: a province's planner chooses a city, the service and p, starts the run,
sees its progress and then the sites on a map of the city's counties (legend of existing seats and new hospitals,
the access unit, the sources) and in tables with units and estimates marked; the same run read in Chinese and
English, at 1366 px and at a phone's 390 px, without a word of the other language and without scrolling sideways."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from office_support import DESKTOP, PHONE, SMALL_RUN_SECONDS, Office, bearer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")
MAP = "#siting-map .province-map"
WORDS = {  # the legend's marks, the access unit, a seat's name, the estimate note's start
    "zh": ("新建医院（p-中位）", "地级市驻地（分摊床位，估算）", "每千常住人口床位", "深圳市驻地", "估算：建设前"),
    "en": ("New hospital (p-median)", "Prefecture seat (apportioned beds, estimate)", "Beds per 1,000 residents",
           "Seat of Shenzhen", "Estimate: before"),
}  # fmt: skip


def _check(page: object, lang: str, width: int) -> None:
    """The finished run as the planner reads it: map, legend, tables, estimate note, one language, no sideways
    scrolling."""
    run = page.locator("#siting-run[data-status=done]")  # type: ignore[attr-defined]
    run.wait_for(timeout=600_000)  # a city's run on a busy 2-core machine
    drawn = page.locator(f"{MAP}[data-within='440300']")  # type: ignore[attr-defined]
    drawn.wait_for()
    # awaited, not read once: the points are drawn just after the shapes (CI read 0 of 4 between the two)
    expect(drawn).to_have_attribute("data-points", "4")  # Shenzhen's seat and the three new hospitals
    expect(drawn).to_have_attribute("data-filled", "9")  # all nine districts (龙华, 坪山, 光明 too) coloured
    # the city keeps its shape at every width: a phone's tall box stretched Shenzhen 2.4 times too tall
    expect(drawn).to_have_attribute("data-stretch", "1.00")
    expect(page.locator("#siting-left-out")).to_have_count(0)  # type: ignore[attr-defined]  # no one left out
    legend = drawn.get_attribute("aria-label") or ""
    new, seat, unit, seat_name, note = WORDS[lang]
    assert new in legend and seat in legend and unit in legend, legend
    expect(page.locator("#siting-sites")).to_contain_text(seat_name)  # type: ignore[attr-defined]
    expect(page.locator("#siting-estimate-note")).to_contain_text(note)  # type: ignore[attr-defined]
    expect(page.locator("#siting-sites .el-tag").first).to_be_visible()  # type: ignore[attr-defined]
    # a city's supply is the province's apportioned, an estimate: so is the gap computed from it (it was shown as a
    # plain figure beside a supply tagged 估算)
    estimate = "估算" if lang == "zh" else "estimate"
    for figure in ("supply", "gap"):
        tag = page.locator(f"#siting-summary [data-figure={figure}] .el-tag")  # type: ignore[attr-defined]
        expect(tag).to_have_text(re.compile(estimate, re.IGNORECASE))
    # a count in a sentence as the language says it: "共 52,516 张床位" (it read "共 52,516 床位（张）")
    added = page.inner_text("#siting-summary [data-figure=added]")  # type: ignore[attr-defined]
    counted = r"共 [\d,]+ 张床位，每处 [\d,]+ 张床位" if lang == "zh" else r"[\d,]+ beds? in all, [\d,]+ beds? at each"
    assert re.search(counted, added) and "（张）" not in added, added
    if width >= 768:  # the capacity added wraps between its phrases, never within one (it broke mid-phrase at 1366)
        lines = page.evaluate(  # type: ignore[attr-defined]
            """() => [...document.querySelectorAll('#siting-summary [data-figure=added] .phrase')].map((e) =>
              e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize))"""
        )
        assert len(lines) == 3 and max(lines) < 2.2, lines
    parts = ("#siting-run .el-card__header", "#siting-summary", "#siting-models", "#siting-sites", "#siting-counties")
    text = "\n".join(page.locator(part).inner_text() for part in parts)  # type: ignore[attr-defined]
    assert ("p-中位" in text) if lang == "zh" else not CJK.search(text), text  # (the map's sources name 高德)
    assert "p_median" not in text and "hospital_beds" not in text  # no raw key in front of the planner
    scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll <= width, scroll


def test_a_planner_sites_hospitals_in_a_city_and_reads_the_plan_in_both_languages(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_gd")
    page.goto(office.url + "/office/siting")  # type: ignore[attr-defined]
    page.locator(".el-select:has(#siting-region) .el-select__wrapper").click()  # type: ignore[attr-defined]
    page.keyboard.type("440300")  # type: ignore[attr-defined]
    page.locator(".el-select-dropdown__item:visible", has_text="深圳市").first.click()  # type: ignore[attr-defined]
    page.click("#siting-start")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"run=[0-9a-f]+"))  # type: ignore[attr-defined]
    run_id = page.url.split("run=")[1]  # type: ignore[attr-defined]
    _check(page, "zh", DESKTOP[0])
    office.shot(page, "siting_shenzhen_zh_1366")
    expect(page.locator("#siting-past")).to_contain_text("深圳市")  # type: ignore[attr-defined]
    # the recent runs as a file the planner reads: headers in words, the summary in its own columns (it had the raw
    # names and the summary as one JSON column)
    with page.expect_download() as got:  # type: ignore[attr-defined]
        page.click("#siting-past-csv")  # type: ignore[attr-defined]
    listed = got.value.path().read_bytes().decode("utf-8-sig")
    header = listed.splitlines()[0]
    assert header.startswith("选址编号,地区,地区代码,服务,") and "新增能力（估算）" in header, header
    assert "{" not in listed and "summary" not in listed and "深圳市" in listed, listed[:400]

    for size, lang in ((DESKTOP, "en"), (PHONE, "zh"), (PHONE, "en")):
        other = office.open(size, lang)
        office.login(other, "pl_gd")
        other.goto(f"{office.url}/office/siting?run={run_id}")  # type: ignore[attr-defined]
        _check(other, lang, size[0])
        office.shot(other, f"siting_shenzhen_{lang}_{size[0]}")


LEFT_OUT = {  # 伊春: 5 of its 10 census units have no seat point (285,881 residents): its 2019 mergers (伊美区 has a
    # cited point since 2026-12: the municipal government's, docs/data.md)
    "zh": ("未参与本次选址：5 个县级单位，常住人口 285,881 人", "乌翠区"),
    "en": ("Left out of this siting: 5 county-level units (residents: 285,881)", "Wucui"),
}


def test_a_run_that_leaves_units_out_says_which_and_how_many_residents(office: Office) -> None:
    headers = bearer(office.url, "pl_nat")
    runs = office.url + "/api/v1/planning/siting/runs"
    started = httpx.post(runs, json={"region": "230700", "p": 1}, headers=headers, timeout=60)
    assert started.status_code == 202, started.text
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + SMALL_RUN_SECONDS
    while httpx.get(f"{runs}/{run_id}", headers=headers, timeout=60).json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the siting run did not finish"
        time.sleep(1)
    for size, lang in ((DESKTOP, "zh"), (DESKTOP, "en"), (PHONE, "zh"), (PHONE, "en")):
        page = office.open(size, lang)
        office.login(page, "pl_nat")
        page.goto(f"{office.url}/office/siting?run={run_id}")  # type: ignore[attr-defined]
        alert = page.locator("#siting-left-out")  # type: ignore[attr-defined]
        alert.wait_for(timeout=120_000)
        title, unit = LEFT_OUT[lang]
        expect(alert).to_contain_text(title)
        expect(alert).to_contain_text(unit)
        drawn = page.locator(f"{MAP}[data-within='230700']")  # type: ignore[attr-defined]
        drawn.wait_for()
        expect(drawn).to_have_attribute("data-stretch", "1.00")  # its shape kept, not stretched to the box
        legend = drawn.get_attribute("aria-label") or ""
        # with 友好区 and 南岔县 sited (seats2) 伊春's units differ; a scale from a value to itself is never drawn (the
        # one-value legend is held by the report-map tests)
        assert "0.0 – 0.0" not in legend, legend
        if lang == "en":
            assert not CJK.search(alert.inner_text()), alert.inner_text()
            assert not CJK.search(legend), legend
        scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert scroll <= size[0], scroll
        office.shot(page, f"siting_left_out_{lang}_{size[0]}")
    # the same run with its counties at one value but three without one (grey, no data): the legend gives that value as
    # the one of every county with data, not as every county's (it said 各地区相同：均为 0.0)
    for lang, said in (("zh", "有数据的地区相同：均为 0.0"), ("en", "The same in every region with data: 0.0")):
        page = office.open(DESKTOP, lang)
        page.route(f"**/planning/siting/runs/{run_id}/counties*", _at_zero)  # type: ignore[attr-defined]
        office.login(page, "pl_nat")
        page.goto(f"{office.url}/office/siting?run={run_id}")  # type: ignore[attr-defined]
        drawn = page.locator(f"{MAP}[data-within='230700']")  # type: ignore[attr-defined]
        drawn.wait_for(timeout=120_000)
        expect(drawn).to_have_attribute("aria-label", re.compile(re.escape(said)))


def _at_zero(route: Any) -> None:
    """The run's counties as the server gives them, each with access 0.0 before and after but the first three, whose
    access is not known (null)."""
    answer = route.fetch()
    body = answer.json()
    for i, county in enumerate(body["items"]):
        county["access_before_per_1000"] = county["access_after_per_1000"] = None if i < 3 else 0.0
    route.fulfill(response=answer, json=body)
