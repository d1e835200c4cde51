"""A person handed over to another province (跨省通办) as the place she left shows her, in Chromium (zh and en, 1366
and 390 px): the office's resident page opens with where she moved and since when and offers no write action; her
own page says her residence is in Guangzhou since the move and that its office holds her record, never "no points
scheme"; an open application of hers offers only its close, which records the move as its reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import MOVED_TO_CHENGDU, PASSWORD, hand_over, months, serving, sqlite_copy, start_hand_over
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

from changzhu.casework import application_records as records
from changzhu.casework.applications import Action, ApplicationKind
from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.registry.residents import ProofKind, record_move
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import PersonRow

SIZES = [(lang, size) for lang in ("zh", "en") for size in (DESKTOP, PHONE)]
GUANGZHOU = {"zh": "广州市", "en": "Guangzhou"}
WRITES = (
    "facts",
    "move",
    "permit",
    "contributions",
    "transfer",
    "voucher",
    "settlement",
    "household",
    "apply",
    "login",
)


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The office on a copy of the populated database where the Chengdu resident had two applications (one
    submitted, one in review) when Sichuan's instance handed her over to Guangdong's."""
    folder = tmp_path_factory.mktemp("moved_out")
    database = sqlite_copy(populated_sqlite[0], folder)
    engine = make_engine(database)
    with session_scope(engine) as session:
        person = session.query(PersonRow).filter_by(person_key=populated_sqlite[1]["cd"]).one()
        session.expunge(person)
    records.submit(engine, person, ApplicationKind.POINTS, None, "cw_cd")
    in_review = records.submit(engine, person, ApplicationKind.RESIDENCE_PERMIT, None, "cw_cd")
    records.transition(engine, in_review["id"], Action.REVIEW, None, "cw_cd")
    hand_over(engine, person.person_key)
    _worker_left_from_shenzhen(engine, populated_sqlite[1]["gz"])
    engine.dispose()
    with serving(database, folder, "m", "/office/login") as url:
        yield url


def _worker_left_from_shenzhen(engine: Any, worker: str) -> None:
    """The Guangzhou worker applies in Guangzhou, moves to Shenzhen, and from there is handed over to Sichuan's
    instance (Chengdu): Guangzhou's caseworker holds her application but may not see where she lives."""
    with session_scope(engine) as session:
        person = session.query(PersonRow).filter_by(person_key=worker).one()
        session.expunge(person)
    records.submit(engine, person, ApplicationKind.POINTS, None, "cw_gz")
    record_move(engine, worker, "440300", date(2025, 6, 1), ProofKind.EMPLOYMENT, "sz-1", actor="test")
    paid = months((2025, 6), (2025, 12), 800000)
    record_contributions(engine, worker, Scheme.PENSION, "440300", paid, actor="test", key="browser-sz")
    start_hand_over(engine, worker, ("440000", "510000", "510100"), MOVED_TO_CHENGDU)


def _applications(office: Office, person_key: str, user: str = "cw_cd") -> dict[str, int]:
    """The person's applications by status, read over the API as `user` (Chengdu's caseworker)."""
    login = httpx.post(f"{office.url}/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    found = httpx.get(f"{office.url}/api/v1/applications", params={"person_key": person_key}, headers=headers)
    return {a["status"]: a["id"] for a in found.json()["items"]}


def test_the_office_page_says_where_she_moved_and_offers_no_write(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    """Before, the page looked like any resident's: ten write buttons, each answered 409 or 404."""
    person = populated_sqlite[1]["cd"]
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.goto(f"{office.url}/office/residents/{person}")
        notice = page.locator("#moved-out")
        expect(notice).to_contain_text("广州市（440100）" if lang == "zh" else "Guangzhou (440100)")
        expect(notice).to_contain_text("2026-03-01")
        expect(notice).to_contain_text("成都市（510100）" if lang == "zh" else "Chengdu (510100)")
        for name in WRITES:
            expect(page.locator(f"#action-{name}")).to_have_count(0)
        expect(page.locator("#decided-there")).to_contain_text(GUANGZHOU[lang])
        page.get_by_role("tab", name="居住经历" if lang == "zh" else "Residence history").click()
        moved = "跨省迁出（跨省通办）：成都市（510100） → 广州市（440100）"
        if lang == "en":
            moved = "Moved to another province: Chengdu (510100) → Guangzhou (440100)"
        expect(page.locator(".el-timeline")).to_contain_text(moved)  # her history is still read
        office.shot(page, f"resident_moved_out_{lang}_{size[0]}")


def test_her_own_page_says_she_lives_in_guangzhou_since_the_move(office: Office) -> None:
    """Before, her page said 暂无可享受的服务, 没有欠缺的条件 and 本市没有积分制度 / No points scheme in this city."""
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "res_cd")
        notice = page.locator("#me-moved-out")
        expect(notice).to_contain_text(GUANGZHOU[lang])
        expect(notice).to_contain_text("2026-03-01")
        expect(notice).to_contain_text("成都市" if lang == "zh" else "Chengdu")
        for gone in ("#me-entitled", "#me-missing", "#me-points", "#me-apply"):
            expect(page.locator(gone)).to_have_count(0)
        text = page.inner_text("main")
        for misleading in (
            "本市没有积分制度",
            "No points scheme",
            "没有欠缺的条件",
            "Nothing is missing",
            "(440100)",
            "（440100）",
        ):
            assert misleading not in text, text
        expect(page.locator("#me-history")).to_be_visible()
        office.shot(page, f"me_moved_out_{lang}_{size[0]}")


def test_an_open_application_offers_only_its_close_and_records_the_move(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    """Before, an application of hers still offered 批准 / 不予批准, which the server then granted or refused here."""
    person = populated_sqlite[1]["cd"]
    number = _applications(office, person)["in_review"]
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.goto(f"{office.url}/office/applications/{number}")
        notice = page.locator("#application-moved-out")
        expect(notice).to_contain_text("广州市（440100）" if lang == "zh" else "Guangzhou (440100)")
        expect(notice).to_contain_text("2026-03-01")
        expect(page.locator("#transition-close")).to_have_text(
            "终止办理（已迁出）" if lang == "zh" else "Close: applicant moved out"
        )
        for step in ("approve", "reject", "review"):
            expect(page.locator(f"#transition-{step}")).to_have_count(0)
        office.shot(page, f"application_moved_out_{lang}_{size[0]}")

    page = office.open(DESKTOP, "en")
    office.login(page, "cw_cd")
    page.goto(f"{office.url}/office/applications/{number}")
    page.click("#transition-close")
    expect(page.locator("#close-note")).to_be_visible()
    page.click("#transition-confirm")
    expect(page.locator("#application-status")).to_have_text("Closed (applicant moved out)")
    expect(page.locator("#application-reason")).to_contain_text("moved to Guangzhou on 2026-03-01")
    expect(page.locator("#transition-close")).to_have_count(0)

    for lang, size in (("zh", PHONE), ("en", PHONE)):  # the applicant reads the close on her own page
        mine = office.open(size, lang)
        office.login(mine, "res_cd")
        mine.goto(f"{office.url}/office/applications/{number}")
        expect(mine.locator("#application-status")).to_have_text(
            "已终止办理（申请人已迁出）" if lang == "zh" else "Closed (applicant moved out)"
        )
        expect(mine.locator("#application-reason")).to_contain_text("广州市" if lang == "zh" else "Guangzhou")
        said = "您已于 2026-03-01 迁往广州市" if lang == "zh" else "You moved to Guangzhou on 2026-03-01"
        expect(mine.locator("#application-moved-out")).to_contain_text(said)  # to her, not of "the applicant"
        expect(mine.locator("#transition-appeal")).to_have_count(0)
        office.shot(mine, f"application_closed_moved_out_{lang}_{size[0]}")


def test_staff_of_her_application_who_may_not_see_her_read_that_she_moved_to_another_province(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    """Guangzhou's caseworker opens the application of the worker who left the province from Shenzhen: the notice
    says she moved to another province, naming no place and no date, and offers only the close. Before: 迁往成都市
    (510100) and 2026-11-01."""
    number = _applications(office, populated_sqlite[1]["gz"], "cw_gz")["submitted"]
    said = {"zh": "申请人已迁往外省", "en": "The applicant moved to another province"}
    for lang in ("zh", "en"):
        page = office.open(DESKTOP, lang)
        office.login(page, "cw_gz")
        page.goto(f"{office.url}/office/applications/{number}")
        notice = page.locator("#application-moved-out")
        expect(notice).to_contain_text(said[lang])
        for shown in ("成都", "Chengdu", "510100", "2026-11-01", "—"):
            expect(notice).not_to_contain_text(shown)
        expect(page.locator("#transition-close")).to_have_count(1)
        expect(page.locator("#transition-review")).to_have_count(0)
        office.shot(page, f"application_moved_out_elsewhere_{lang}_{DESKTOP[0]}")
