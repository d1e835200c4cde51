"""A resident says yes or no to a move another city's office registered for her (我的权益, Chromium, zh and en, 1366
and 390 px): Guangzhou's counter registered her arrival with the identity card she showed (held for Chengdu, where
she lives, or for her); her page asks in plain words, her yes moves her, her no needs a reason and changes nothing,
and a refusal of the server (the item was decided meanwhile) is shown in the page's language. Each test has its own
resident, registered in Chengdu and given a login by Chengdu's caseworker."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
from api_support import PASSWORD
from office_support import DESKTOP, PHONE, Office, bearer
from playwright.sync_api import expect

from changzhu.registry.identity import check_char

pytestmark = pytest.mark.browser
_serial = itertools.count(1)
WORDS = {
    "zh": {"title": "请确认：您搬家了吗？", "asked": "广州市的办事窗口为您登记了搬家：从 2026-11-02 起住在广州市。",
           "yes": "是我办的", "no": "不是我", "why": "请写一句原因", "lives": "广州市", "stays": "成都市",
           "confirmed": "已确认：您现在住在广州市", "decided": "已由 cw_cd 处理",
           "answered": "办事窗口已经处理了这次登记，您不用再回答。", "handled": "这次登记已处理"},
    "en": {"title": "Please confirm: have you moved?",
           "asked": "The office in Guangzhou has registered a move for you: living in Guangzhou from 2026-11-02.",
           "yes": "Yes, it was me", "no": "No, not me", "why": "Please write a short reason", "lives": "Guangzhou",
           "stays": "Chengdu", "confirmed": "Confirmed: you now live in Guangzhou", "decided": "by cw_cd",
           "answered": "The office has already dealt with this move: there is nothing left for you to answer.",
           "handled": "This move has already been dealt with"},
}  # fmt: skip


def _resident_with_a_held_move(url: str, tag: str) -> tuple[str, int]:
    """A new Chengdu resident with a login (her username, returned), whose arrival in Guangzhou Guangzhou's
    caseworker registered with her identity number: held (the approval id, returned)."""
    first17 = f"51010419920304{next(_serial):03d}"  # one new number per resident of this module's server
    id_number = first17 + check_char(first17)
    chengdu = bearer(url, "cw_cd")
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        made = client.post("/residents", headers=chengdu, json={
            "id_number": id_number, "hukou_region": "510100", "residence_region": "510100",
            "residence_since": "2022-05-01", "proof_kind": "employment", "proof_ref": f"contract-{tag}",
            "name": "王小红"})  # fmt: skip
        assert made.status_code == 201, made.text
        key = made.json()["person_key"]
        username = f"res_{tag}"
        login = client.post(f"/residents/{key}/login", json={"username": username}, headers=chengdu)
        assert login.status_code == 201, login.text
        one_time = login.json()["one_time_password"]
        own = {"old_password": one_time, "new_password": PASSWORD}
        assert client.post("/auth/password", json=own, headers=bearer(url, username, one_time)).status_code == 200
        arrival = {"id_number": id_number, "to_region": "440100", "moved_on": "2026-11-02", "proof_kind": "housing",
                   "proof_ref": f"lease-{tag}"}  # fmt: skip
        held = client.post("/residents/arrivals", json=arrival, headers=bearer(url, "cw_gz"))
        assert held.status_code == 202, held.text
    return username, int(held.json()["approval_id"])


def _my_page(office: Office, username: str, size: tuple[int, int], lang: str) -> Any:
    page = office.open(size, lang)
    office.login(page, username)
    page.wait_for_url("**/office/me")
    expect(page.locator("#me-lives-in")).to_be_visible()
    return page


def _decided(url: str, approval_id: int, status: str) -> dict[str, Any]:
    answer = httpx.get(url + "/api/v1/approvals", params={"status": status}, headers=bearer(url, "cw_cd"), timeout=60)
    answer.raise_for_status()
    return next(a for a in answer.json()["items"] if a["approval_id"] == approval_id)


@pytest.mark.parametrize(("size", "lang"), [(PHONE, "zh"), (DESKTOP, "en")])
def test_she_confirms_her_move_and_lives_there(office: Office, size: tuple[int, int], lang: str) -> None:
    words = WORDS[lang]
    username, approval_id = _resident_with_a_held_move(office.url, f"{lang}{size[0]}yes")
    page = _my_page(office, username, size, lang)
    card = page.locator(".me-held-move")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(words["title"])
    expect(card).to_contain_text(words["asked"])
    for jargon in ("residence.move", "440100", "approval", "复核", "待审"):
        expect(card).not_to_contain_text(jargon)
    expect(card.locator(".move-yes")).to_be_in_viewport(ratio=1)
    office.shot(page, f"me_held_move_{lang}_{size[0]}")
    card.locator(".move-yes").click()
    dialog = page.locator(".el-dialog:visible")
    expect(dialog).to_contain_text(words["lives"])
    office.shot(page, f"me_held_move_yes_{lang}_{size[0]}")
    dialog.locator("#move-answer").click()
    expect(page.locator(".el-message")).to_contain_text(words["confirmed"])
    expect(page.locator(".me-held-move")).to_have_count(0)
    expect(page.locator("#me-lives-in")).to_contain_text(words["lives"])  # her page: she lives in Guangzhou now
    decided = _decided(office.url, approval_id, "approved")
    assert decided["checker"] == username, decided


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")])
def test_she_says_no_with_a_reason_and_stays(office: Office, size: tuple[int, int], lang: str) -> None:
    words = WORDS[lang]
    username, approval_id = _resident_with_a_held_move(office.url, f"{lang}{size[0]}no")
    page = _my_page(office, username, size, lang)
    page.locator(".me-held-move .move-no").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#move-answer").click()
    expect(dialog.locator(".el-form-item__error")).to_have_text(words["why"])  # a reason is needed to say no
    reason = "我没有搬家" if lang == "zh" else "I have not moved"
    dialog.locator("#move-why").fill(reason)
    office.shot(page, f"me_held_move_no_{lang}_{size[0]}")
    dialog.locator("#move-answer").click()
    expect(page.locator(".el-dialog:visible")).to_have_count(0)
    expect(page.locator(".me-held-move")).to_have_count(0)
    expect(page.locator("#me-lives-in")).to_contain_text(words["stays"])  # nothing changed
    decided = _decided(office.url, approval_id, "rejected")
    assert decided["note"] == reason, decided


@pytest.mark.parametrize(("size", "lang"), [(PHONE, "zh"), (DESKTOP, "en")])
def test_an_answer_after_chengdu_decided_shows_the_servers_refusal(
    office: Office, size: tuple[int, int], lang: str
) -> None:
    """Her page was open when Chengdu's caseworker returned the move: her yes is refused by the server (code
    held_item_decided); her dialog says only what it means, in plain words in the page's language, never the
    refusal's item number or the caseworker's username (the office's, not hers); nothing moves."""
    words = WORDS[lang]
    username, approval_id = _resident_with_a_held_move(office.url, f"{lang}{size[0]}late")
    page = _my_page(office, username, size, lang)
    expect(page.locator(".me-held-move")).to_have_count(1)
    path = f"{office.url}/api/v1/approvals/{approval_id}/reject"
    returned = httpx.post(path, json={"note": "租约不符"}, headers=bearer(office.url, "cw_cd"), timeout=60)
    assert returned.status_code == 200, returned.text
    page.locator(".me-held-move .move-yes").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#move-answer").click()
    expect(dialog.locator(".move-answered")).to_have_text(words["answered"])  # what it means, in plain words
    expect(dialog.locator(".error-box")).to_have_count(0)  # not the server's refusal: it names staff and the item
    for internal in ("cw_cd", str(approval_id), words["decided"]):
        expect(dialog).not_to_contain_text(internal)
    expect(dialog.locator("#move-answer")).to_have_count(0)  # nothing left to answer: no yes to press again
    expect(dialog.locator(".move-effect")).to_have_count(0)  # nor what a yes would have done
    expect(dialog.locator(".el-dialog__title")).to_have_text(words["handled"])  # the title says so too
    office.shot(page, f"me_held_move_refused_{lang}_{size[0]}")
    assert _decided(office.url, approval_id, "rejected")["checker"] == "cw_cd"
    dialog.locator(".el-dialog__headerbtn").click()
    expect(page.locator(".me-held-move")).to_have_count(0)  # nothing left to answer
    expect(page.locator("#me-lives-in")).to_contain_text(words["stays"])


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "en")])
def test_a_no_after_chengdu_decided_is_titled_as_dealt_with(office: Office, size: tuple[int, int], lang: str) -> None:
    """Her no, with its reason, after Chengdu's caseworker approved the move: the dialog's title says the move has
    been dealt with (not 不同意这次登记 / Say no to this move over a line saying there is nothing to answer), and
    the reason field, the question's, goes with the question. Before: the title and the field stayed."""
    words = WORDS[lang]
    username, approval_id = _resident_with_a_held_move(office.url, f"{lang}{size[0]}lateno")
    page = _my_page(office, username, size, lang)
    expect(page.locator(".me-held-move")).to_have_count(1)
    path = f"{office.url}/api/v1/approvals/{approval_id}/approve"
    approved = httpx.post(path, json={}, headers=bearer(office.url, "cw_cd"), timeout=60)
    assert approved.status_code == 200, approved.text
    page.locator(".me-held-move .move-no").click()
    dialog = page.locator(".el-dialog:visible")
    dialog.locator("#move-why").fill("我没有搬家" if lang == "zh" else "I have not moved")
    dialog.locator("#move-answer").click()
    expect(dialog.locator(".move-answered")).to_have_text(words["answered"])
    expect(dialog.locator(".el-dialog__title")).to_have_text(words["handled"])
    expect(dialog.locator("#move-why")).to_have_count(0)  # nothing left to answer, nor to give a reason for
    expect(dialog.locator("#move-answer")).to_have_count(0)
    office.shot(page, f"me_held_move_refused_no_{lang}_{size[0]}")
