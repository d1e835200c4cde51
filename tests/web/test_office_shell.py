"""The office in Chromium: served under /office/ with its CSP, login, the menu by role, both languages."""

from __future__ import annotations

import httpx
import pytest
from office_support import PHONE, Office

pytestmark = pytest.mark.browser


def test_office_is_served_with_history_fallback_and_csp(server: str) -> None:
    root = httpx.get(server + "/", follow_redirects=False)
    assert root.status_code in (302, 307) and root.headers["location"] == "/office/"
    page = httpx.get(server + "/office/residents/abc")  # any view path answers with the one page
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script type="module"' in page.text and "<script>" not in page.text  # no inline script
    asset = page.text.split('src="')[1].split('"')[0]
    assert asset.startswith("/office/assets/") and httpx.get(server + asset).status_code == 200
    assert httpx.get(server + "/office/assets/missing.js").status_code == 404


def test_login_then_menu_by_role_in_both_languages(office: Office) -> None:
    page = office.open()
    page.goto(office.url + "/office/")
    page.wait_for_url("**/office/login?**")
    page.fill("#username", "cw_gz")
    page.fill("#password", "wrong password")
    page.click("#login-button")
    page.wait_for_selector("text=用户名或密码不正确")
    office.login_through_form(page, "cw_gz")
    menu = page.inner_text(".shell-menu")
    assert "居民查询" in menu and "申请办理" in menu and "用户管理" not in menu
    page.click("#lang-switch")
    page.wait_for_selector("text=Residents")
    assert "Log out" in page.inner_text(".shell-header")
    resident = office.open(PHONE, "zh")
    office.login_through_form(resident, "res_gz")
    assert resident.is_hidden(".shell-menu")  # on a phone the menu is a drawer
    resident.click("#menu-button")
    drawer = resident.locator(".drawer-menu")
    drawer.wait_for()
    assert "我的权益" in drawer.inner_text() and "居民查询" not in drawer.inner_text()
