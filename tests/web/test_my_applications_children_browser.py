"""The resident's 我的申请 page (the menu's My applications) in Chromium: a parent's own applications and those they
made for their child, as 我的权益 lists them. The page asked the server for the parent's own only (person_key), so a
school place applied for her son was on her home page but missing from the page named for her applications."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def school_place_for_her_son(server: str, populated_sqlite: tuple[Any, dict[str, str]]) -> None:
    """The Guangzhou worker applies for her son's school place, once for the module's server (a child may have one
    school-place application open at a time)."""
    login = httpx.post(f"{server}/api/v1/auth/login", json={"username": "res_gz", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    body = {"person_key": populated_sqlite[1]["child"], "kind": "school_place"}
    made = httpx.post(f"{server}/api/v1/applications", json=body, headers=headers, timeout=60)
    assert made.status_code == 201, made.text


@pytest.mark.parametrize(
    ("lang", "size", "school", "for_child"),
    [
        ("zh", PHONE, "随迁子女入学", "为您的子女（未登记姓名）申请"),
        ("en", DESKTOP, "School place for a migrant child", "For your child (no name recorded)"),
    ],
    ids=["zh-390", "en-1366"],
)
@pytest.mark.usefixtures("school_place_for_her_son")
def test_my_applications_lists_those_made_for_my_child(
    office: Office,
    lang: str,
    size: tuple[int, int],
    school: str,
    for_child: str,
) -> None:
    page: Any = office.open(size, lang)
    office.login(page, "res_gz")
    page.goto(f"{office.url}/office/me/applications")
    row = page.locator("#application-table .el-table__row", has_text=school).first
    expect(row).to_be_visible()
    expect(row).to_contain_text(for_child)
    office.shot(page, f"my_applications_child_{lang}_{size[0]}")
