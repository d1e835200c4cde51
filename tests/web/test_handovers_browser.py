"""Cross-province hand-overs (跨省通办) in the office, in Chromium (zh and en, 1366 and 390 px), on Sichuan's instance
(CHANGZHU_INSTANCE_REGION=510000) trusting Guangdong's (440000, unreachable here: messages stay waiting):

- Chengdu's caseworker hands a resident over to Guangzhou from her page: the province and city chosen by name with
  code, the move date in a date picker, a confirmation naming what moves (12 pension months, the pension account),
  then the message's state in words; her page says she moved out and shows the hand-over's state;
- the 跨省转出 / Cross-province hand-overs screen lists both hand-overs with their state in words, filters by state,
  and resolves the disputed one (a reason required; the confirmation says what undoing does), the peer's answer in
  the screen's language; Guangzhou's caseworker sees none of Chengdu's;
- an instance with no peer, and the single-instance demo (no province set), say so plainly instead of an error."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_support import months, serving, sqlite_copy
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect
from sqlalchemy import Engine, delete

from changzhu.api.errors import error_body
from changzhu.api.interregion import outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.keys import public_key_text
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import PeerRow

SIZES = [(lang, size) for lang in ("zh", "en") for size in (DESKTOP, PHONE)]
STATE = {
    "pending": {"zh": "待对方确认", "en": "Waiting for the other province"},
    "disputed": {"zh": "有争议，待核实", "en": "Disputed: to be checked"},
    "reversed": {"zh": "已撤回本地", "en": "Undone here"},
}


def _sichuan(populated_sqlite: tuple[Path, dict[str, str]], folder: Path) -> str:
    """A copy of the populated database as Sichuan's instance, trusting Guangdong's: the Chengdu resident has 12
    pension months in Chengdu; the mover (living in Chengdu) was handed over to Guangzhou and Guangdong answered with a
    coded conflict, so that message is disputed."""
    database = sqlite_copy(populated_sqlite[0], folder)
    engine = make_engine(database)
    people = populated_sqlite[1]
    add_peer(engine, "440000", "http://440000.invalid", public_key_text(Ed25519PrivateKey.generate()))
    record_contributions(
        engine, people["cd"], Scheme.PENSION, "510100", months((2024, 1), (2024, 12), 600000), actor="test", key="cd"
    )
    record_contributions(
        engine, people["mover"], Scheme.PENSION, "510100", months((2025, 1), (2025, 6), 500000), actor="test", key="mv"
    )
    said = error_body("conflict", refusal(RefusalCode.NOT_A_PEER, region="510000"), Lang.EN)
    (delivery,) = _handed_over(engine, people["mover"], date(2026, 2, 1), httpx.Response(409, json=said))
    assert delivery.status == outbox.DISPUTED
    engine.dispose()
    return database


def _handed_over(engine: Engine, person: str, moved_on: date, answer: httpx.Response | None) -> list[outbox.Delivery]:
    """Hand `person` over from Chengdu to Guangzhou and deliver it once: Guangdong gives `answer`, or (None) cannot be
    reached, as from the office (http://440000.invalid)."""
    message_id = outbox.start_transfer(
        engine, person, "510000", "440000", "440100", moved_on, actor="test", authorize=lambda _r: None
    )

    def reply(request: httpx.Request) -> httpx.Response:
        if answer is None:
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        return answer

    with httpx.Client(transport=httpx.MockTransport(reply)) as client:
        return outbox.deliver(engine, "510000", Ed25519PrivateKey.generate(), client, message_id)


@pytest.fixture
def database(populated_sqlite: tuple[Path, dict[str, str]], tmp_path: Path) -> str:
    """Each test its own Sichuan database (`_sichuan`): a test's hand-overs and removed peers are not another's."""
    return _sichuan(populated_sqlite, tmp_path)


@pytest.fixture
def server(database: str, tmp_path: Path) -> Iterator[str]:
    """`changzhu serve` on `database` as Sichuan's instance (CHANGZHU_INSTANCE_REGION=510000)."""
    folder = tmp_path / "sichuan"
    folder.mkdir()
    with serving(database, folder, "h", "/office/login", {"CHANGZHU_INSTANCE_REGION": "510000"}) as url:
        yield url


def _pick(page: Any, box: str, option: str) -> None:
    page.click(box)
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def test_a_caseworker_hands_a_resident_over_from_her_page(
    office: Office, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    person = populated_sqlite[1]["cd"]
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.goto(f"{office.url}/office/residents/{person}")
        page.click("#action-hand-over")
        province = "广东省（440000）" if lang == "zh" else "Guangdong (440000)"
        expect(page.locator(".hand-over-province")).to_contain_text(province)  # the one peer, chosen already
        _pick(page, ".hand-over-city", "广州市（440100）" if lang == "zh" else "Guangzhou (440100)")
        what = page.locator("#hand-over-what")
        expect(what).to_contain_text("养老保险 12 个月" if lang == "zh" else "pension 12 months")
        expect(what).to_contain_text("养老保险个人账户" if lang == "zh" else "pension individual account")
        date_box = page.locator("#hand-over-date")
        date_box.fill("2026-03-01")
        date_box.press("Enter")
        expect(date_box).to_have_value("2026-03-01")
        office.shot(page, f"hand_over_dialog_{lang}_{size[0]}")
        if (lang, size) == ("en", PHONE):  # the last one hands her over (afterwards no hand-over is offered)
            _hand_over(office, page)

    for lang, size in SIZES:  # her page afterwards: moved out, the hand-over waiting for Guangdong
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.goto(f"{office.url}/office/residents/{person}")
        expect(page.locator("#moved-out")).to_contain_text("2026-03-01")
        expect(page.locator("#hand-over-message")).to_contain_text(STATE["pending"][lang])
        expect(page.locator("#action-hand-over")).to_have_count(0)
        office.shot(page, f"hand_over_resident_after_{lang}_{size[0]}")


def _hand_over(office: Office, page: Any) -> None:
    """Submit the filled dialog: the confirmation names the city, the date and what moves; then the state."""
    page.click("#hand-over-submit")
    box = page.locator(".el-message-box")
    expect(box).to_contain_text("Guangzhou (440100)")
    expect(box).to_contain_text("2026-03-01")
    expect(box).to_contain_text("pension 12 months")
    expect(box).to_contain_text("kept as history")
    office.shot(page, "hand_over_confirm_en_390")
    box.get_by_role("button", name="Hand over").click()
    expect(page.locator("#hand-over-state")).to_contain_text(STATE["pending"]["en"])
    office.shot(page, "hand_over_sent_en_390")


def test_the_hand_overs_screen_lists_filters_and_resolves(
    office: Office, database: str, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    engine = make_engine(database)  # the Chengdu resident handed over meanwhile, Guangdong not reached
    (waiting,) = _handed_over(engine, populated_sqlite[1]["cd"], date(2026, 3, 1), None)
    engine.dispose()
    assert waiting.status == outbox.PENDING
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        if size == DESKTOP:  # from the menu (on a phone it folds under 菜单 / Menu: the address)
            page.click("text=跨省转出" if lang == "zh" else "text=Cross-province hand-overs")
        else:
            page.goto(f"{office.url}/office/handovers")
        rows = page.locator("#handover-table .el-table__row")
        expect(rows).to_have_count(2)
        table = page.locator("#handover-table")
        expect(table).to_contain_text(STATE["pending"][lang])
        expect(table).to_contain_text(STATE["disputed"][lang])
        expect(table).to_contain_text("成都市（510100）" if lang == "zh" else "Chengdu (510100)")
        answer = "四川省（510000）不是本实例登记的对端" if lang == "zh" else "Sichuan (510000) is not a registered peer"
        expect(table).to_contain_text(answer)  # the peer's answer in the screen's language
        unreached = "尚未联系上对方省份的系统" if lang == "zh" else "could not be reached yet"
        expect(table).to_contain_text(unreached)
        for raw in ("HTTP", "ConnectError", "disputed", "pending", "not_a_peer"):
            expect(table).not_to_contain_text(raw)
        office.shot(page, f"handovers_{lang}_{size[0]}")
        page.locator("#state-filter").get_by_text(STATE["disputed"][lang]).click()
        expect(rows).to_have_count(1)
        page.locator(".resolve-handover").click()
        dialog = page.locator(".el-dialog")
        expect(dialog).to_contain_text("对方确认没有接收" if lang == "zh" else "confirms it took nothing in")
        page.click("#resolve-submit")
        expect(dialog).to_contain_text("请填写原因" if lang == "zh" else "Enter a reason")
        office.shot(page, f"handovers_resolve_{lang}_{size[0]}")
        if (lang, size) != ("en", PHONE):  # the last one resolves it (afterwards it is no longer disputed)
            continue
        dialog.get_by_text("Undo here").first.click()
        page.fill("#resolve-reason", "Called the Guangdong office: nothing was recorded there")
        page.click("#resolve-submit")
        box = page.locator(".el-message-box")
        expect(box).to_contain_text("the person is a resident here again")
        box.get_by_role("button", name="Confirm").click()
        expect(page.locator(".el-message")).to_contain_text(STATE["reversed"]["en"])
        page.locator("#state-filter").get_by_text(STATE["reversed"]["en"]).click()
        expect(rows).to_have_count(1)
        expect(page.locator(".resolve-handover")).to_have_count(0)

    page = office.open(DESKTOP, "zh")  # Guangzhou's caseworker: the people live in Guangzhou now, the list is Chengdu's
    office.login(page, "cw_gz")
    page.goto(f"{office.url}/office/handovers")
    expect(page.locator("#handover-table")).to_contain_text("本辖区暂无跨省转出")
    expect(page.locator("#handover-table .el-table__row")).to_have_count(0)


def test_without_a_peer_the_screens_say_so(
    office: Office, database: str, populated_sqlite: tuple[Any, dict[str, str]]
) -> None:
    """The peer removed: the hand-over dialog and the list say that no other province is connected."""
    engine = make_engine(database)
    with session_scope(engine) as session:
        session.execute(delete(PeerRow))
    engine.dispose()
    person = populated_sqlite[1]["gz"]  # lives in Guangzhou: Guangdong's administrator may hand her over
    for lang, size in SIZES:
        page = office.open(size, lang)
        office.login(page, "ad_gd")
        page.goto(f"{office.url}/office/residents/{person}")
        page.click("#action-hand-over")
        notice = page.locator(".el-dialog #no-peer")
        expect(notice).to_contain_text("尚未与其他省份的系统连通" if lang == "zh" else "Not connected to any other")
        expect(page.locator("#hand-over-submit")).to_have_count(0)
        office.shot(page, f"hand_over_no_peer_{lang}_{size[0]}")


def test_the_single_instance_demo_says_hand_overs_are_not_set_up(
    database: str, chromium: object, tmp_path: Path
) -> None:
    """The demo runs one instance and sets no province (no CHANGZHU_INSTANCE_REGION): the list and the dialog say
    that cross-province hand-overs are not set up, not a raw error."""
    (tmp_path / "demo").mkdir()
    with serving(database, tmp_path / "demo", "d", "/office/login") as url:
        office = Office(url, chromium)
        for lang, size in SIZES:
            page = office.open(size, lang)
            office.login(page, "cw_gz")
            page.goto(f"{url}/office/handovers")
            notice = page.locator("#no-peer")
            expect(notice).to_contain_text("本系统未开通跨省通办" if lang == "zh" else "not set up here")
            expect(page.locator("#deliver-now")).to_have_count(0)
            expect(page.locator(".error-box")).to_have_count(0)
            office.shot(page, f"handovers_not_set_up_{lang}_{size[0]}")
        for context in chromium.contexts:  # type: ignore[attr-defined]
            context.close()
        assert office.outside == [] and office.errors == []
