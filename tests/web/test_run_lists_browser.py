"""The analyst's lists of runs in Chromium: the reform builder's runs and the run page's runs to compare name each run
by its reform's title, when it was started (with the time zone) and its sample, never by its id (kept in the URLs);
the gains-and-losses chart draws a band of unknown share as unknown, never as 0%."""

from __future__ import annotations

import re
from typing import Any

import pytest
from office_support import DESKTOP, PHONE, ROOT, Office, settle, small_run

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "images" / "reform"
SHIPPED = "entrance_exam_residence_1y"
TITLES = {"zh": "随迁子女在流入地参加中考的居住年限降至一年", "en": "Entrance exam where one lives after one year"}
RUN_ID = re.compile(r"\b[0-9a-f]{16}\b")
STARTED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d")  # format.js dateTime: with its time zone
SAMPLE = {"zh": re.compile(r"0\.0002%（[\d,]+ 人）"), "en": re.compile(r"0\.0002% \([\d,]+ people\)")}
UNKNOWN = {  # the chart's legend entry and the line under it
    "zh": ("未知（无法估计占比）", "收入第 3 十分位：每一类的占比未知——抽样中该组没有可统计的对象"),
    "en": (
        "Unknown (share cannot be estimated)",
        "Income decile 3: the share of every band is unknown — the sample holds no one",
    ),
}


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _third_decile_unknown(route: Any) -> None:
    """The run's bands as the API answers them, but with the households' shares in the third income decile unknown
    (null), as the API answers the bands of a group with no one sampled (the share's denominator is 0)."""
    answer = route.fetch()
    body = answer.json()
    for row in body["items"]:
        if (row["dimension"], row["group"], row["unit"]) == ("income_decile", "D03", "households"):
            row["share"] = row["share_low"] = row["share_high"] = None
    route.fulfill(response=answer, json=body)


def _runs_listed(page: Any, url: str, lang: str, runs: list[str]) -> None:
    """The builder's runs of the shipped reform: each by its title, status, sample and start, inside the screen."""
    page.goto(f"{url}/office/reforms/{SHIPPED}")
    rows = page.locator("#runs .el-table__body tr")
    rows.nth(len(runs) - 1).wait_for()
    heading = page.inner_text("#reform-heading-name")  # the reform by its title, not its file's name
    assert TITLES[lang] in heading and SHIPPED not in heading, heading
    described = page.input_value("#scenario-description")  # a shipped reform's summary, in the page's language
    assert described.startswith("随迁子女" if lang == "zh" else "Migrant children"), described
    shown = page.inner_text("#runs")
    assert not RUN_ID.search(shown), shown
    width = page.viewport_size["width"]
    for run_id in runs:
        row = page.locator("#runs .el-table__body tr", has=page.locator(f'a[href$="/runs/{run_id}"]'))
        text = row.inner_text()
        assert TITLES[lang] in text and STARTED.search(text) and SAMPLE[lang].search(text), text
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, cell.inner_text())


def _compare_listed(page: Any, url: str, lang: str, run_id: str) -> None:
    """The run page: the other run to compare by title, start and sample; a band of unknown share said unknown."""
    page.route("**/api/v1/scenarios/runs/*/bands*", _third_decile_unknown)
    page.goto(f"{url}/office/runs/{run_id}")
    page.wait_for_selector("#band-chart canvas")
    legend, note = UNKNOWN[lang]
    assert legend in page.get_attribute("#band-chart", "aria-label")  # the chart's legend entry
    assert note in page.inner_text("#bands-card"), page.inner_text("#bands-card")
    page.locator(
        "#compare-select .el-select__wrapper, .el-select:has(#compare-select) .el-select__wrapper"
    ).first.click()
    options = page.locator(".el-select-dropdown__item:visible")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert texts and all(TITLES[lang] in t and STARTED.search(t) and SAMPLE[lang].search(t) for t in texts), texts
    assert not any(RUN_ID.search(t) or SHIPPED in t for t in texts), texts


def test_runs_are_listed_by_title_time_and_sample_and_an_unknown_band_is_unknown(office: Office) -> None:
    runs = [small_run(office.url), small_run(office.url)]
    for lang in ("zh", "en"):
        for size, width in ((DESKTOP, 1366), (PHONE, 390)):
            page = office.open(size, lang)
            office.login(page, "pl_nat")
            _runs_listed(page, office.url, lang, runs)
            _shot(page, f"runs-list-{lang}-{width}")
            _compare_listed(page, office.url, lang, runs[0])
            _shot(page, f"run-compare-list-{lang}-{width}")
