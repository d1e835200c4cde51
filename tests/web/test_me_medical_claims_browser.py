"""A resident sees her own hospital bills settled directly (医疗结算) on 我的权益 (Chromium, zh and en, 1366 and
390 px): hospital, day, the total, what the fund paid and what she paid, each in 元, in plain words; the office's
codes and the places' columns of the staff tab are not hers to read. Her overview holds only her own bills."""

from __future__ import annotations

import httpx
import pytest
from office_support import DESKTOP, PHONE, Office, bearer
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
# Guangzhou's counter settles the worker's bill (insured in Chengdu), 5,000 yuan in all; the server splits it
BILL = {"insured_region": "510100", "treatment_region": "440100", "hospital": "中山大学附属第一医院",
        "treated_on": "2026-07-01", "idempotency_key": "me-bill-0001",
        "items": [{"item_code": "A001", "amount_fen": 300000},
                  {"item_code": "B001", "amount_fen": 200000}]}  # fmt: skip
WORDS = {
    "zh": {"title": "看病的费用（医保直接结算）", "on": "看病日期", "total": "一共花费", "fund": "医保报销",
           "self": "您自己付", "amount": "5,000.00 元"},
    "en": {"title": "Hospital bills (settled directly by your insurance)", "on": "Date", "total": "Total",
           "fund": "Your insurance paid", "self": "You paid", "amount": "5,000.00 yuan"},
}  # fmt: skip


def _settled(url: str) -> dict[str, object]:
    """The worker's (res_gz's) bill settled at Guangzhou's counter: the fund's and her parts, as the server split it."""
    with httpx.Client(base_url=url + "/api/v1", timeout=60) as client:
        mine = client.get("/me/overview", headers=bearer(url, "res_gz")).json()
        known = [c for c in mine["medical_claims"] if c["hospital"] == BILL["hospital"]]
        if known:  # settled by the module's earlier test
            return dict(known[0])
        made = client.post("/medical/settlements", json={**BILL, "person_key": mine["record"]["person_key"]},
                           headers=bearer(url, "cw_gz"))  # fmt: skip
        assert made.status_code == 201, made.text
        return dict(made.json())


def _yuan(fen: object, lang: str) -> str:
    amount = f"{int(str(fen)) / 100:,.2f}"
    return f"{amount} 元" if lang == "zh" else f"{amount} yuan"


@pytest.mark.parametrize(("size", "lang"), [(DESKTOP, "zh"), (PHONE, "zh"), (DESKTOP, "en"), (PHONE, "en")])
def test_she_sees_her_own_hospital_bill_in_plain_words(office: Office, size: tuple[int, int], lang: str) -> None:
    words = WORDS[lang]
    bill = _settled(office.url)
    page = office.open(size, lang)
    office.login(page, "res_gz")
    page.wait_for_url("**/office/me")
    card = page.locator("#me-medical")
    expect(card).to_contain_text(words["title"])
    for said in (BILL["hospital"], "2026-07-01", words["on"], words["total"], words["fund"], words["self"],
                 words["amount"], _yuan(bill["fund_fen"], lang), _yuan(bill["self_fen"], lang)):  # fmt: skip
        expect(card).to_contain_text(str(said))
    for office_word in ("510100", "440100", "参保地", "就医地", "Insured in", "Treated in", "fen", "分"):
        expect(card).not_to_contain_text(office_word)
    expect(card.locator(".el-table__row")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0], f"the page is wider than the screen: {width}"
    card.scroll_into_view_if_needed()
    office.shot(page, f"me_medical_{lang}_{size[0]}")


def test_her_overview_holds_only_her_own_bills(office: Office) -> None:
    """The bill is the worker's: Chengdu's resident (res_cd) reads none of it on her own page, and may not read the
    worker's overview."""
    bill = _settled(office.url)
    with httpx.Client(base_url=office.url + "/api/v1", timeout=60) as client:
        worker = client.get("/me/overview", headers=bearer(office.url, "res_gz")).json()
        assert [c["hospital"] for c in worker["medical_claims"]] == [bill["hospital"]]
        other = client.get("/me/overview", headers=bearer(office.url, "res_cd")).json()
        assert other["medical_claims"] == []
        key = worker["record"]["person_key"]
        peeked = client.get(f"/residents/{key}/overview", headers=bearer(office.url, "res_cd"))
        assert peeked.status_code in (403, 404), peeked.text
