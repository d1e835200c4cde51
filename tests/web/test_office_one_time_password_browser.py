"""An account's one-time password in the office: the dialog that shows it gives its expiry in the office's local
time with the zone (as every timestamp of the office), and the first login, which can only replace it, shows no menu
whose every entry would lead back to the password page: only the password form, logging out and the language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office, settle
from playwright.sync_api import expect

SHOTS = Path("/tmp/leaks")  # screenshots to look at, not the documentation's pictures
CHINA = timezone(timedelta(hours=8))


def _in_china(page: Any) -> None:
    """The page's clock in the office's zone (Asia/Shanghai), whatever the test machine's is."""
    page.context.new_cdp_session(page).send("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Shanghai"})


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _new_account(office: Office, username: str) -> str:
    """A caseworker account made by Guangdong's administrator; its one-time password."""
    token = httpx.post(office.url + "/api/v1/auth/login", json={"username": "ad_gd", "password": PASSWORD}).json()
    made = httpx.post(
        office.url + "/api/v1/users",
        json={"username": username, "role": "caseworker", "jurisdictions": ["440106"]},
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=60,
    )
    assert made.status_code == 201, made.text
    return str(made.json()["one_time_password"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reset_password_expires_at_a_time_of_the_offices_zone(office: Office, lang: str) -> None:
    page = office.open(DESKTOP, lang)
    _in_china(page)
    office.login(page, "ad_gd")
    page.goto(office.url + "/office/admin/users")
    row = page.locator("#user-table .el-table__row", has_text="cw_gz")
    row.locator("button", has_text="重置密码" if lang == "zh" else "Reset password").click()
    page.wait_for_selector("#new-user-password")
    dialog = page.locator(".el-dialog:visible")
    shown = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \(UTC\+8\)", dialog.inner_text())
    assert shown is not None, dialog.inner_text()
    # 72 hours from now (CHANGZHU_ONE_TIME_HOURS), read on a clock in China
    expires = datetime.strptime(shown.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    assert abs(expires - (datetime.now(CHINA) + timedelta(hours=72))) < timedelta(minutes=5), shown.group(0)
    _shot(page, f"reset_password_{lang}_1366")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_the_first_login_offers_only_the_password_logging_out_and_the_language(
    office: Office, lang: str, size: tuple[int, int]
) -> None:
    username = f"cw_first_{lang}_{size[0]}"
    one_time = _new_account(office, username)
    page = office.open(size, lang)
    page.goto(office.url + "/office/login")
    page.fill("#username", username)
    page.fill("#password", one_time)
    page.click("#login-button")
    page.wait_for_url("**/office/password")
    expect(page.locator("#password-required")).to_be_visible()
    # every one of the three boxes is needed and marked so: the repeat had no red star beside the other two
    for field in ("old_password", "new_password", "again"):
        expect(page.locator(f"[data-field={field}]")).to_have_class(re.compile(r"\bis-required\b"))
    expect(page.locator("#logout")).to_be_visible()
    expect(page.locator("#lang-switch")).to_be_visible()
    if size == DESKTOP:
        assert page.locator(".shell-menu .el-menu-item").count() == 0
        _shot(page, f"first_login_{lang}_1366")
    else:
        page.click("#menu-button")
        drawer = page.locator(".drawer-menu .el-menu-item")
        expect(drawer).to_have_count(1)  # the password form itself, nothing that leads back to it
        expect(drawer).to_have_text("修改密码" if lang == "zh" else "Change password")
        _shot(page, f"first_login_{lang}_390")
