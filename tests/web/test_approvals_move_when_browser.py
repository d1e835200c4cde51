"""A move held in 待复核, as the old place's caseworker reads it in Chromium: Chengdu's office registered the arrival
of a Guangzhou resident (登记外地迁入), and Guangzhou's caseworker decides it. The row said where to (迁入成都市
（510100）) but not from when, the one date the person is asked to confirm; and on a phone the amount a move does not
have read as a bare dash before the region ("— · Guangzhou (440100)")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from api_support import ID_CHILD, ID_GZ, PASSWORD
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _arrival_in_chengdu(url: str, id_number: str, moved_on: str) -> None:
    """Chengdu's caseworker registers the arrival of the person with `id_number` (held for Guangzhou or the person)."""
    login = httpx.post(f"{url}/api/v1/auth/login", json={"username": "cw_cd", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    body = {"id_number": id_number, "to_region": "510100", "moved_on": moved_on, "proof_kind": "employment"}
    held = httpx.post(f"{url}/api/v1/residents/arrivals", json={**body, "proof_ref": "HT-CD-1"}, headers=headers)
    assert held.status_code == 202, held.text


@pytest.mark.parametrize(
    ("lang", "size", "id_number", "said"),
    [
        ("zh", DESKTOP, ID_GZ, "迁入成都市（510100），自 2026-11-20 起"),
        ("en", PHONE, ID_CHILD, "Moving to Chengdu (510100) from 2026-11-20"),
    ],
    ids=["zh-1366", "en-390"],
)
def test_a_held_move_says_from_when(
    office: Office, lang: str, size: tuple[int, int], id_number: str, said: str
) -> None:
    _arrival_in_chengdu(office.url, id_number, "2026-11-20")
    page: Any = office.open(size, lang)
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/approvals")
    row = page.locator("#approval-table .el-table__row", has_text=said).first
    expect(row).to_be_visible()
    if size == PHONE:  # a move has no amount: on the card nothing stands for one (the desktop's column keeps its dash)
        assert "—" not in row.inner_text(), row.inner_text()
    office.shot(page, f"approvals_move_{lang}_{size[0]}")
