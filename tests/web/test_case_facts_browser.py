"""The caseworker's dialogs say what the rules and the funds will use (Chromium, zh and en, 1366 and 390 px): the
facts dialog shows the insurance months counted from the contribution records (not 未知), the medical settlement
fills 参保地 from the medical insurance records (not the place of residence) or leaves it to be asked, and a
points pre-check's earliest date, like the resident page's, says it is an estimate."""

from __future__ import annotations

import re
from typing import Any

import httpx
from office_support import DESKTOP, PHONE, Office, bearer, open_resident
from playwright.sync_api import expect

WORKER_ID = "510104199001011230"  # lives in Guangzhou; 36 months of pension there; medical insurance in Chengdu
MOVER_ID = "440106199503031113"  # lives in Chengdu; no contribution record at all
COUNTED = {"zh": "由缴费记录计算：36 个月", "en": "Counted from the contribution record: 36 months"}
UNKNOWN = {"zh": "未知", "en": "unknown"}
INSURED = {"zh": "成都市", "en": "Chengdu"}
RESIDENCE = {"zh": "广州市", "en": "Guangzhou"}
ESTIMATE = {"zh": "这是估算，不是承诺：", "en": "An estimate, not a promise: "}
REQUIRED = {"zh": "请填写参保地", "en": "Insured in is required"}
ASK = {"zh": "请询问本人在何处参保", "en": "ask where the person is insured"}
SIZES = [("zh", DESKTOP), ("zh", PHONE), ("en", DESKTOP), ("en", PHONE)]


def _resident(office: Office, lang: str, size: tuple[int, int], user: str, id_number: str) -> Any:
    page = office.open(size, lang)
    office.login(page, user)
    page.wait_for_url("**/office/residents")
    open_resident(page, id_number)
    page.wait_for_selector("#action-facts")
    return page


def test_the_facts_dialog_shows_the_months_the_contribution_records_count(office: Office) -> None:
    """The worker gave no number of insurance months, but the registry holds his contribution history: the dialog
    reads 36 months counted from it, as the rules do, not unknown."""
    for lang, size in SIZES:
        page = _resident(office, lang, size, "cw_gz", WORKER_ID)
        page.click("#action-facts")
        local = page.locator(".el-dialog:visible [data-field=si_months_local] .field-recorded")
        expect(local).to_have_text(COUNTED[lang])
        assert UNKNOWN[lang] not in local.inner_text()
        medical = page.locator(".el-dialog:visible [data-field=medical_months_local] .field-recorded")
        expect(medical).to_contain_text(COUNTED[lang])
        page.locator(".el-dialog:visible [data-field=si_months_local]").scroll_into_view_if_needed()
        office.shot(page, f"facts_counted_{lang}_{size[0]}")


def test_the_settlement_dialog_fills_the_insured_place_from_the_medical_records(office: Office) -> None:
    """The worker lives in Guangzhou and is insured in Chengdu: 参保地 reads Chengdu, never his place of residence."""
    for lang, size in SIZES:
        page = _resident(office, lang, size, "cw_gz", WORKER_ID)
        page.click("#action-settlement")
        insured = page.locator(".el-dialog:visible [data-field=insured_region] .el-select__wrapper")
        expect(insured).to_contain_text(INSURED[lang])
        assert RESIDENCE[lang] not in insured.inner_text()
        assert ASK[lang] not in page.locator(".el-dialog:visible").inner_text()  # a record: nothing to ask
        office.shot(page, f"settlement_insured_{lang}_{size[0]}")


def test_without_a_medical_record_the_insured_place_is_asked(office: Office) -> None:
    """The mover has no medical insurance record: 参保地 is empty and required, nothing is sent without it."""
    for lang, size in (("zh", PHONE), ("en", DESKTOP)):
        page = _resident(office, lang, size, "cw_cd", MOVER_ID)
        sent: list[str] = []
        page.on("request", lambda r, sent=sent: sent.append(r.url) if "/medical/settlements" in r.url else None)
        page.click("#action-settlement")
        field = page.locator(".el-dialog:visible [data-field=insured_region]")
        expect(field).to_have_class(re.compile(r"\bis-required\b"))
        assert INSURED[lang] not in field.inner_text() and RESIDENCE[lang] not in field.inner_text()
        expect(field).to_contain_text(ASK[lang])  # asked of the person, with why
        page.locator(".el-dialog:visible .confirm").click()
        expect(field.locator(".el-form-item__error")).to_have_text(REQUIRED[lang])
        assert sent == []
        office.shot(page, f"settlement_insured_asked_{lang}_{size[0]}")


def test_a_points_earliest_date_says_it_is_an_estimate(office: Office) -> None:
    """The worker's points reach Guangzhou's line only later: on his application's pre-check and on his page, the
    date comes with the estimate note the other estimated dates carry."""
    person = httpx.get(
        f"{office.url}/api/v1/residents", params={"q": WORKER_ID}, headers=bearer(office.url, "cw_gz")
    ).json()["items"][0]["person_key"]
    made = httpx.post(
        f"{office.url}/api/v1/applications",
        json={"person_key": person, "kind": "points"},
        headers=bearer(office.url, "cw_gz"),
    )
    assert made.status_code == 201, made.text
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "cw_gz")
        page.goto(f"{office.url}/office/applications/{made.json()['id']}")
        explanation = page.locator(".precheck .explanation")
        expect(explanation).to_contain_text(ESTIMATE[lang])
        office.shot(page, f"precheck_estimate_{lang}_{size[0]}")
        page.goto(f"{office.url}/office/residents/{person}")
        scheme = page.locator(".points-scheme").first
        expect(scheme.locator(".assumption")).to_contain_text(ESTIMATE[lang])
        scheme.scroll_into_view_if_needed()
        office.shot(page, f"points_estimate_{lang}_{size[0]}")
