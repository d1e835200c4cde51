"""A peer authority's answer to a hand-over that no refusal code names, on the 跨省转出 / Cross-province hand-overs
screen, in Chromium (zh and en, 1366 and 390 px).

Guangdong's instance answered Sichuan's hand-over with an uncoded error (its text an exception's message, in
English). Until 2026-12-04 the Chinese screen read "对方省份的系统答复：操作未能完成：peer database is locked": English
as the reason on a Chinese screen. Now the screen says in its own language that the peer gave a reason it cannot
translate, and shows the peer's words apart, labelled as the other system's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from api_support import months, serving, sqlite_copy
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from office_support import DESKTOP, PHONE, Office
from playwright.sync_api import expect

from changzhu.api.errors import error_body
from changzhu.api.interregion import outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.keys import public_key_text
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import uncoded
from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.store.db import make_engine

pytestmark = pytest.mark.browser

PEERS_WORDS = "peer database is locked"
SAID = {
    "zh": "其说明本系统无法翻译",
    "en": "gave a reason this system cannot translate",
}
OWN = {"zh": "对方系统原文：", "en": "The other system's own words:"}


@pytest.fixture(scope="module")
def server(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Sichuan's instance (CHANGZHU_INSTANCE_REGION=510000) trusting Guangdong's: the mover (living in Chengdu, six
    pension months there) handed over to Guangzhou, and Guangdong's API answered with an uncoded conflict, as it
    answers a request without Accept-Language (its head in Chinese, its text the exception's English)."""
    folder = tmp_path_factory.mktemp("peer_words")
    database = sqlite_copy(populated_sqlite[0], folder)
    engine = make_engine(database)
    mover = populated_sqlite[1]["mover"]
    add_peer(engine, "440000", "http://440000.invalid", public_key_text(Ed25519PrivateKey.generate()))
    paid = months((2025, 1), (2025, 6), 500000)
    record_contributions(engine, mover, Scheme.PENSION, "510100", paid, actor="test", key="mv")
    message_id = outbox.start_transfer(
        engine, mover, "510000", "440000", "440100", date(2026, 2, 1), actor="test", authorize=lambda _r: None
    )
    said = error_body("conflict", uncoded(PEERS_WORDS), Lang.ZH)
    answered = httpx.MockTransport(lambda _request: httpx.Response(409, json=said))
    with httpx.Client(transport=answered) as client:
        (delivery,) = outbox.deliver(engine, "510000", Ed25519PrivateKey.generate(), client, message_id)
    assert delivery.status == outbox.DISPUTED
    engine.dispose()
    with serving(database, folder, "p", "/office/login", {"CHANGZHU_INSTANCE_REGION": "510000"}) as url:
        yield url


def test_an_uncoded_answer_is_told_in_the_screens_language_with_the_peers_words_apart(office: Office) -> None:
    for lang, size in [(lang, size) for lang in ("zh", "en") for size in (DESKTOP, PHONE)]:
        page = office.open(size, lang)
        office.login(page, "cw_cd")
        page.goto(f"{office.url}/office/handovers")
        table = page.locator("#handover-table")
        expect(table.locator(".el-table__row")).to_have_count(1)
        told = table.locator(".what-happened")
        expect(told).to_contain_text(SAID[lang])
        expect(told).to_contain_text("409")
        expect(told).not_to_contain_text(PEERS_WORDS)  # the reason in the screen's language, not the peer's
        expect(table).not_to_contain_text("操作未能完成")
        own = table.locator(".peer-own-words")
        expect(own).to_have_text(f"{OWN[lang]}{'' if lang == 'zh' else ' '}{PEERS_WORDS}")
        wide = page.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert wide <= size[0], f"{lang} {size[0]}: the page is {wide} px wide"
        page.locator(".resolve-handover").click()  # the dialog repeats both, apart
        dialog = page.locator(".el-dialog")
        expect(dialog).to_contain_text(SAID[lang])
        expect(dialog.locator(".peer-own-words")).to_contain_text(PEERS_WORDS)
        office.shot(page, f"handovers_peer_words_{lang}_{size[0]}")
