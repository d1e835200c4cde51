"""The dashboard in a real browser (Chromium via Playwright): a resident and a planner log in and see their pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PASSWORD, serving, sqlite_copy

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`changzhu serve` on a free loopback port, on a copy of the populated database."""
    folder = tmp_path_factory.mktemp("browser")
    with serving(sqlite_copy(populated_sqlite[0], folder), folder, "b", "/login") as url:
        yield url


@pytest.fixture
def page(server: str, chromium: object) -> Iterator[object]:
    """A fresh page in a context of its own (storage apart) that fails the test on any request leaving the loopback
    address."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    page = context.new_page()
    page.set_default_timeout(120_000)  # generous: a busy 2-core CI machine; a real failure still fails
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == [], f"script errors: {errors}"


def _login(page, server: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#login-button")


def test_a_resident_lands_on_the_office(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """The resident's page is the office's (/office/me: services and points schemes by title, in either language);
    the older /app/me, which showed scheme codes, is gone (docs/api-office.md, "Self-service")."""
    _login(page, server, "res_gz")
    page.wait_for_url("**/office/me")
    page.wait_for_selector("#me-missing")
    shown = page.inner_text("body")
    assert "广州市来穗人员积分" in shown and "_points" not in shown  # the city's scheme by its title, not its name
    assert page.request.get(server + "/app/me").status == 404
    # the resident cannot open the planners' map: the API refuses their token there
    page.goto(server + "/app/caseload")
    page.wait_for_selector("#error:not([hidden])")
    assert "不能查看或更改居民记录" in page.inner_text("#error")  # the page is in Chinese (zh-CN), so is the reason


def test_planner_sees_the_national_map_and_drills_down(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "pl_nat")
    page.wait_for_url("**/app/map")
    page.wait_for_selector("#map .main-svg")
    page.wait_for_selector("#region-table tbody tr")
    assert page.locator("#region-table tbody tr").count() == 31
    assert page.is_visible("nav a[href='/app/fiscal']")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "planner_map_national.png"), full_page=True)
    page.select_option("#drill", "440000")
    page.locator("#crumbs a", has_text="广东省").wait_for()
    page.wait_for_selector("#region-table tbody tr:has-text('广州市')")  # the table is redrawn for the province
    assert page.locator("#region-table tbody tr").count() == 21  # Guangdong's 21 prefecture-level cities
    page.locator("#region-table tbody tr", has_text="广州市").click()
    page.locator("#crumbs a", has_text="广州市").wait_for()
    page.wait_for_selector("#region-table tbody tr:has-text('天河区')")
    assert page.locator("#region-table tbody tr").count() >= 10  # Guangzhou's districts
    page.screenshot(path=str(ARTIFACTS / "planner_map_guangzhou.png"), full_page=True)
    # a planner sees aggregates only: a person's record is refused
    token = page.request.post(server + "/api/v1/auth/login", data={"username": "pl_nat", "password": PASSWORD})
    response = page.request.get(
        server + "/api/v1/residents", headers={"Authorization": "Bearer " + token.json()["access_token"]}
    )
    assert response.status == 403


def test_planner_sees_services_fiscal_allocation_and_scenarios(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "pl_nat")
    page.wait_for_url("**/app/map")
    page.goto(server + "/app/services")
    page.wait_for_selector("#services-table tbody tr:nth-child(7)")  # seven services with standards
    page.wait_for_selector(".service-chart .main-svg")
    assert "小学学位" in page.inner_text("#services-table")
    definition = page.inner_text("main")
    assert "缺口 = 需求 − 供给" in definition and "闲置" in definition  # one definition; idle capacity apart
    assert "按户籍人口计算的需求之差" not in definition  # the old, wrong definition is gone
    assert "广东省" in (page.locator(".service-chart").first.text_content() or "")  # the provinces on the x axis
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "planner_services.png"), full_page=True)
    page.click("#lang-toggle")  # in English the charts name the provinces in English too
    page.wait_for_selector(".service-chart .main-svg")
    charts = page.locator(".service-chart").first.text_content() or ""
    assert "Guangdong" in charts and "广东省" not in charts, charts
    page.click("#lang-toggle")  # back to Chinese for the pages below
    page.goto(server + "/app/fiscal")
    page.wait_for_selector("#fiscal-table tbody tr:nth-child(31)")
    page.wait_for_selector("#fiscal-chart .main-svg")
    page.wait_for_selector("#fiscal-flows tbody tr")
    assert "广东省" in page.inner_text("#fiscal-table")
    assert "按户籍人口（引力模型估算）平均" in page.inner_text("#fiscal-table")  # the registered basis is an estimate
    equity = page.inner_text("#fiscal-equity")  # measures by label, allocations by name: no variable names
    assert "指标" in equity and "线性规划分配" in equity and "total_yuan" not in equity and "gini_" not in equity
    assert "净额（元）" in page.inner_text("#fiscal-flows")
    page.screenshot(path=str(ARTIFACTS / "planner_fiscal.png"), full_page=True)
    page.click("#lang-toggle")
    page.wait_for_selector("#fiscal-flows tbody tr")
    assert "Guangdong" in page.inner_text("#fiscal-table") and "Net (yuan)" in page.inner_text("#fiscal-flows")
    assert "广东省" not in page.inner_text("#fiscal-flows") and "Measure" in page.inner_text("#fiscal-equity")
    page.click("#lang-toggle")
    page.goto(server + "/app/scenarios")
    page.wait_for_selector("#scenario-list tbody tr")
    listed = page.inner_text("#scenario-list")  # each changed parameter by its label, under translated headers
    assert "改变的参数" in listed and "overrides" not in listed
    assert "residence_permit.min_residence_months" not in listed
    page.select_option("#scenario-name", "entrance_exam_residence_1y")
    page.click("#scenario-run")
    page.wait_for_selector("#scenario-table tbody tr:has-text('随迁子女在流入地参加中考的居住年限降至一年')")
    page.wait_for_selector("#scenario-chart .main-svg")
    assert "entrance_exam_residence_1y" not in page.inner_text("#scenario-table")  # the title, not the file's id
    page.screenshot(path=str(ARTIFACTS / "planner_scenarios.png"), full_page=True)


def test_caseworker_sees_the_caseload_by_name_of_place(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _login(page, server, "cw_gz")
    page.wait_for_url("**/app/caseload")
    page.wait_for_selector("#caseload-table tbody tr")
    table = page.inner_text("#caseload-table")
    assert "广州市 (440100)" in table and "成都市 (510100)" in table
    assert page.locator("#caseload-table th").all_inner_texts() == ["姓名", "常住地", "户籍地", "居住起始"]
    assert not re.search(r"[0-9a-f]{32}", table), table  # the person key is an address, never shown to people
    assert "（未登记姓名）" in table and "姓名不可见" not in table  # staff see names: a missing one is not on file
    page.click("#lang-toggle")
    page.wait_for_selector("#caseload-table tbody tr")
    english = page.inner_text("#caseload-table")
    assert "Guangzhou (440100)" in english and "Chengdu (510100)" in english and "Person key" not in english
    page.goto(server + "/app/map")  # the map's table in English: no Chinese header left
    page.wait_for_selector("#region-table tbody tr")
    headers = page.locator("#region-table th").all_inner_texts()
    assert "Living away from hukou" in headers and "人户分离" not in headers, headers
