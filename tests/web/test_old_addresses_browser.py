"""The office is the one UI: the older dashboard pages (/app/*) and their login (/login) are gone, and each old
address answers with a redirect to the office view that does its work now, so a bookmark still lands there; a
shipped reform (the older scenarios page's) is run from the office."""

from __future__ import annotations

import re

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, Office
from playwright.sync_api import expect

from changzhu.web.routes import MOVED

pytestmark = pytest.mark.browser
EXAM = "entrance_exam_residence_1y"
EXAM_TITLE = "随迁子女在流入地参加中考的居住年限降至一年"


def test_each_old_address_redirects_to_its_office_view(server: str) -> None:
    assert MOVED == {
        "map": "/office/map",
        "services": "/office/services",
        "fiscal": "/office/fiscal",
        "scenarios": "/office/reforms/new",
        "caseload": "/office/residents",
    }
    for page, view in MOVED.items():
        answer = httpx.get(f"{server}/app/{page}", follow_redirects=False)
        assert answer.status_code == 301 and answer.headers["location"] == view, (page, answer.status_code)
        assert httpx.get(server + view).status_code == 200  # the office answers for its view's path
    login = httpx.get(server + "/login", follow_redirects=False)
    assert login.status_code == 301 and login.headers["location"] == "/office/login"
    for gone in ("/app/me", "/app/nothing", "/vendor/plotly.min.js", "/static/app.js", "/static/i18n.js"):
        assert httpx.get(server + gone, follow_redirects=False).status_code == 404, gone


def test_old_bookmarks_open_the_office_views(office: Office) -> None:
    planner = office.open(DESKTOP, "zh")
    office.login(planner, "pl_nat")
    planner.goto(office.url + "/app/map")
    planner.wait_for_url("**/office/map")
    planner.locator("#population-map .province-map[data-drawn=province]").wait_for()
    planner.goto(office.url + "/app/services")
    planner.wait_for_url("**/office/services")
    expect(planner.locator("#services-table .el-table__body-wrapper tr")).to_have_count(7)
    caseworker = office.open(DESKTOP, "en")
    office.login(caseworker, "cw_gz")
    caseworker.goto(office.url + "/app/caseload")
    caseworker.wait_for_url("**/office/residents")
    table = caseworker.locator("#resident-table")
    expect(table).to_contain_text("Guangzhou (440100)")
    assert "Chengdu (510100)" in table.inner_text() and not re.search(r"\b[0-9a-f]{32}\b", table.inner_text())


def test_the_old_login_address_is_the_offices_login(office: Office) -> None:
    """A resident's bookmark of /login opens the office's form and lands on her page (services and points schemes by
    their titles)."""
    page = office.open(DESKTOP, "zh")
    page.goto(office.url + "/login")
    page.wait_for_url("**/office/login")
    page.fill("#username", "res_gz")
    page.fill("#password", PASSWORD)
    page.click("#login-button")
    page.wait_for_url("**/office/me")
    page.wait_for_selector("#me-missing")
    shown = page.inner_text("body")
    assert "广州市来穗人员积分" in shown and "_points" not in shown  # the city's scheme by its title, not its name


def test_a_shipped_reform_runs_from_the_office(office: Office) -> None:
    """The older scenarios page listed the shipped reforms and ran one on a small sample; its bookmark opens the
    reform builder, which lists them by title and summary, and runs the one chosen."""
    page = office.open(DESKTOP, "zh")
    office.login(page, "pl_nat")
    page.goto(office.url + "/app/scenarios")
    page.wait_for_url("**/office/reforms/new")
    listed = page.locator("#reform-list .el-table__body tr", has_text=EXAM_TITLE)  # each by title and summary
    expect(listed).to_contain_text("父母社保缴费年限由 36 个月降至 12 个月")
    assert EXAM not in page.inner_text("#reform-list")  # by its title, not the file's name
    listed.locator("a").click()
    page.wait_for_url(f"**/office/reforms/{EXAM}")
    expect(page.locator("#reform-list")).to_have_count(0)  # the list is the builder's empty page only
    page.wait_for_selector("#start-run")
    changes = page.inner_text("#changes")
    assert "12" in changes and "个月" in changes, changes  # the changed parameters with their new values
    page.fill("#sample", "0.0005")
    page.click("#start-run")
    page.wait_for_url("**/office/runs/*")
    status = page.locator("#run-status", has_text=re.compile("已完成|失败"))
    status.wait_for(timeout=1_800_000)  # a small sample on a busy 2-core machine; a failed run fails at once
    assert page.inner_text("#run-status") == "已完成"
    expect(page.locator("#run-scenario")).to_have_text(EXAM_TITLE)  # the reform by its title
    page.wait_for_selector("#headline .el-table__body tr")
    assert "随迁子女流入地中考" in page.inner_text("#headline")
