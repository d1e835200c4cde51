"""A voucher cancelled by its holder's hand-over to another province's instance (跨省通办), presented for redemption
by a provider where she lived: refused as cancelled, on the day the hand-over cancelled it, in the API's and the
command line's language, without telling the provider why (her move is not the provider's to learn).

Before, the provider was told "voucher … was cancelled when its holder moved to another province" (in Chinese
"已在持券人跨省迁出时作废"): the wrong reason for the provider, and no date."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from console_support import run_console
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from changzhu.api import ApiSettings, create_app
from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.auth.tokens import issue_token
from changzhu.api.interregion import outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.keys import public_key_text
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.vouchers import HAND_OVER_KEY, issue_voucher, vouchers_frame
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import LedgerTransactionRow, PersonRow

ID17 = "51010419900303002"
CANCELLED_AT = "2026-11-03T02:15:00+00:00"  # the hand-over's transaction, as the test dates it
CANCELLED_ON = "2026-11-03"  # its day in the server's time zone (TZ=UTC here)
WHY = ("moved", "province", "迁出", "外省", "成都", "Chengdu", "510100")  # what the provider is not told


@pytest.fixture
def utc() -> Iterator[None]:
    """The process's local time zone (the server's) set to UTC, whatever the machine's, and restored after: TZ and
    time.tzset(), without which a changed TZ is not read."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def cancelled(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, utc: None) -> str:
    """The number of a Guangzhou voucher of a Guangzhou resident handed over to Chengdu (the hand-over dated
    CANCELLED_AT); Guangzhou's caseworker cw_gz; the CLI on the database."""
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", database_url)
    monkeypatch.delenv("CHANGZHU_OPERATOR", raising=False)
    reg = Registration(ID17 + check_char(ID17), "510100", "440100", date(2021, 3, 1), ProofKind.EMPLOYMENT, "c", {})
    person = str(register_resident(engine, reg, actor="test")["person_key"])
    record_contributions(engine, person, Scheme.PENSION, "440100", [MonthPaid(202301, 700000)], actor="test")
    issue_voucher(engine, person, "440100", "托育服务", 200_000, date(2026, 1, 5), date(2026, 12, 31), actor="test")
    add_peer(engine, "510000", "http://510000.invalid", public_key_text(Ed25519PrivateKey.generate()))
    outbox.start_transfer(
        engine, person, "440000", "510000", "510100", date(2026, 11, 1), actor="test", authorize=lambda _r: 0
    )
    with session_scope(engine) as session:
        message_id = session.scalar(select(PersonRow.moved_out_by).where(PersonRow.person_key == person))
        session.execute(
            update(LedgerTransactionRow)
            .where(LedgerTransactionRow.idempotency_key == HAND_OVER_KEY + str(message_id))
            .values(created_at=CANCELLED_AT)
        )
    create_user(engine, "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"])
    [voucher_no] = vouchers_frame(engine, person)["voucher_no"].to_list()
    return str(voucher_no)


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    def _run(lang: str, *args: str) -> tuple[int, str]:
        return run_console(capsys, monkeypatch, *args, lang=lang)

    return _run


EXPECTED = {
    "en": ("was cancelled on " + CANCELLED_ON, "can no longer be redeemed", "Guangzhou (440100)"),
    "zh": ("已于 " + CANCELLED_ON + " 作废", "不能再兑付", "广州市（440100）"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_says_the_voucher_was_cancelled_and_when(cancelled: str, run: Run, engine: Engine, lang: str) -> None:
    redeem = ["voucher", "redeem", cancelled, "--provider", "托育园", "--region", "440100", "--on", "2026-11-05"]
    code, out = run(lang, *redeem, "--key", f"r-{lang}", "--as", "cw_gz")
    assert code == 1 and cancelled in out, out
    assert all(part in out for part in EXPECTED[lang]), out
    assert not any(word in out for word in WHY), out
    assert "Traceback" not in out
    assert ledger_problems(engine) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_api_says_the_voucher_was_cancelled_and_when(
    cancelled: str, engine: Engine, tmp_path: Path, lang: str
) -> None:
    settings = ApiSettings(database_url=str(engine.url), jwt_secret=b"k" * 32, keys_dir=tmp_path)
    with session_scope(engine) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == "cw_gz"))
    token = {"Authorization": f"Bearer {issue_token(user_id, settings.jwt_secret, 900)}", "Accept-Language": lang}
    body = {
        "provider": "托育园",
        "provider_region": "440100",
        "redeemed_on": "2026-11-05",
        "idempotency_key": "redeem-api-1",
    }
    answer = TestClient(create_app(settings, engine)).post(
        f"/api/v1/vouchers/{cancelled}/redeem", json=body, headers=token
    )
    refused = answer.json()
    assert answer.status_code == 400 and refused["code"] == "voucher_cancelled_on", answer.text
    assert all(part in refused["message"] for part in EXPECTED[lang]), refused
    assert not any(word in refused["message"] for word in WHY), refused


def test_without_the_hand_over_s_date_it_says_the_date_is_unknown(cancelled: str, run: Run, engine: Engine) -> None:
    """A voucher cancelled by a hand-over no longer on record (the person came back since): cancelled, date unknown."""
    with session_scope(engine) as session:
        session.execute(update(PersonRow).values(moved_out_by=None))
    redeem = ["voucher", "redeem", cancelled, "--provider", "托育园", "--region", "440100", "--on", "2026-11-05"]
    code, out = run("en", *redeem, "--key", "r-unknown", "--as", "cw_gz")
    assert code == 1 and "has been cancelled (the date is not known here)" in out, out
    code, out = run("zh", *redeem, "--key", "r-unknown-zh", "--as", "cw_gz")
    assert code == 1 and "已作废（作废日期未知）" in out, out
