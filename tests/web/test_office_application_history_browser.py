"""An application's history in the office names the applicant's own steps by role (申请人 / Applicant), as the
office never shows a resident's login name; staff steps keep the staff account that took them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from api_support import ID_CHILD, PASSWORD
from office_support import DESKTOP, PHONE, Office, settle

SHOTS = Path("/tmp/leaks")  # screenshots to look at, not the documentation's pictures


def _as(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(url + "/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture(scope="module")
def appealed(server: str) -> int:
    """The Guangzhou worker's own dibao application, rejected by Guangzhou's caseworker and appealed by her: made
    once for the module's server, as an appealed application stays open and she may have one open at a time."""
    resident, caseworker = _as(server, "res_gz"), _as(server, "cw_gz")
    me = httpx.get(server + "/api/v1/auth/me", headers=resident).json()
    made = httpx.post(
        server + "/api/v1/applications",
        json={"person_key": me["person_key"], "kind": "dibao"},
        headers=resident,
        timeout=60,
    )
    assert made.status_code == 201, made.text
    step = f"{server}/api/v1/applications/{made.json()['id']}/transition"
    for action in ("review", "reject"):
        assert httpx.post(step, json={"action": action}, headers=caseworker, timeout=60).status_code == 200
    appeal = {"action": "appeal", "reason": "收入已下降"}
    assert httpx.post(step, json=appeal, headers=resident, timeout=60).status_code == 200
    return int(made.json()["id"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE])
def test_the_applicants_steps_read_applicant_in_the_office(
    office: Office, appealed: int, lang: str, size: tuple[int, int]
) -> None:
    application = appealed
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


SECOND_PARENT_ID = "440104198805050021"  # the Guangzhou child's mother, living in Guangzhou
NEW_PASSWORD = "another long pass phrase for her"


def _by_the_other_parent(office: Office) -> int:
    """The child's mother, linked to him and given her own login, applies for his school place."""
    caseworker = _as(office.url, "cw_gz")
    registered = httpx.post(
        office.url + "/api/v1/residents",
        json={
            "id_number": SECOND_PARENT_ID,
            "hukou_region": "440100",
            "residence_region": "440100",
            "residence_since": "2015-01-01",
            "proof_kind": "housing",
            "proof_ref": "穗房-9",
        },
        headers=caseworker,
        timeout=60,
    )
    assert registered.status_code == 201, registered.text
    mother = registered.json()["person_key"]
    found = httpx.get(office.url + "/api/v1/residents", params={"q": ID_CHILD}, headers=caseworker).json()
    child = found["items"][0]["person_key"]
    link = {"parent_key": mother, "child_key": child}
    linked = httpx.post(office.url + "/api/v1/households/links", json=link, headers=caseworker)
    assert linked.status_code == 201, linked.text
    login = httpx.post(f"{office.url}/api/v1/residents/{mother}/login", json={}, headers=caseworker).json()
    first = httpx.post(
        office.url + "/api/v1/auth/login", json={"username": login["username"], "password": login["one_time_password"]}
    ).json()
    pending = {"Authorization": f"Bearer {first['access_token']}"}
    change = {"old_password": login["one_time_password"], "new_password": NEW_PASSWORD}
    assert httpx.post(office.url + "/api/v1/auth/password", json=change, headers=pending).status_code == 200
    answer = httpx.post(
        office.url + "/api/v1/auth/login", json={"username": login["username"], "password": NEW_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    made = httpx.post(
        office.url + "/api/v1/applications",
        json={"person_key": child, "kind": "school_place"},
        headers=headers,
        timeout=60,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_the_other_guardians_step_reads_guardian_to_the_first_parent(office: Office) -> None:
    """The child's father reads the application his mother made: her step is the guardian's (监护人 / Guardian),
    never the office's, and her login name is not shown. It read "the office" (经办机构) since actors became roles."""
    application = _by_the_other_parent(office)
    for lang, guardian in (("zh", "监护人"), ("en", "Guardian")):
        page = office.open(PHONE, lang)
        office.login(page, "res_gz")
        page.goto(f"{office.url}/office/applications/{application}")
        page.wait_for_selector(".el-timeline-item")
        actors = [a.strip(" ·\n") for a in page.locator(".el-timeline-item .event-actor").all_inner_texts()]
        assert actors == [guardian], actors
        SHOTS.mkdir(parents=True, exist_ok=True)
        settle(page)
        page.screenshot(path=str(SHOTS / f"guardian_{lang}.png"), full_page=True)
