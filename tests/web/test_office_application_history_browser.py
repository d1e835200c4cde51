"""An application's history in the office names the applicant's own steps by role (申请人 / Applicant), as the
office never shows a resident's login name; staff steps keep the staff account that took them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office, settle

SHOTS = Path("/tmp/leaks")  # screenshots to look at, not the documentation's pictures


def _as(office: Office, username: str) -> dict[str, str]:
    answer = httpx.post(office.url + "/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _appealed(office: Office) -> int:
    """The Guangzhou worker's own dibao application, rejected by Guangzhou's caseworker and appealed by her."""
    resident, caseworker = _as(office, "res_gz"), _as(office, "cw_gz")
    me = httpx.get(office.url + "/api/v1/auth/me", headers=resident).json()
    made = httpx.post(
        office.url + "/api/v1/applications",
        json={"person_key": me["person_key"], "kind": "dibao"},
        headers=resident,
        timeout=60,
    )
    assert made.status_code == 201, made.text
    step = f"{office.url}/api/v1/applications/{made.json()['id']}/transition"
    for action in ("review", "reject"):
        assert httpx.post(step, json={"action": action}, headers=caseworker, timeout=60).status_code == 200
    appeal = {"action": "appeal", "reason": "收入已下降"}
    assert httpx.post(step, json=appeal, headers=resident, timeout=60).status_code == 200
    return int(made.json()["id"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_the_applicants_steps_read_applicant_in_the_office(office: Office, lang: str, size: tuple[int, int]) -> None:
    application = _appealed(office)
    page = office.open(size, lang)
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/applications/{application}")
    page.wait_for_selector(".el-timeline-item")
    actors = [a.strip(" ·\n") for a in page.locator(".el-timeline-item .event-actor").all_inner_texts()]
    applicant = "申请人" if lang == "zh" else "Applicant"
    assert actors == [applicant, "cw_gz", "cw_gz", applicant], actors
    assert "res_gz" not in page.inner_text("body")
    SHOTS.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(SHOTS / f"history_{lang}_{size[0]}.png"), full_page=True)
