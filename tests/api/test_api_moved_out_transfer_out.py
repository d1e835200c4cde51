"""`POST /interregion/transfers` (a 跨省通办 transfer out) for a person already handed over to another province's
instance, for each kind of caller, on SQLite and PostgreSQL (docs/api.md, "Who may change what"). The route opens her
record first (only a caller who may see her gets past it) and packs her under her lock inside `told_of_move`:

- the place she left (Guangzhou's caseworker, and the national administrator) is told where she moved and since
  when (409 `person_moved_out`);
- her hukou and insured place (Shenzhen's caseworker), which may not read her file, gets the one not-in-reach answer
  as for a key no one has: a transfer out is made only by a caller who may see her, and the no-place answer would
  tell more than the same caller was told before she moved;
- staff with no tie to her (Foshan's caseworker) get that same answer.

No caller sends a second message for her, and the ledger still balances: nothing moved at either end."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from api_support import MOVED_TO_CHENGDU, Service, moved_to_chengdu
from sqlalchemy import func, select

from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import OutboxRow

NEW_CITY = ("510100", "成都", "Chengdu")
NO_ONE = "0123456789abcdef" * 2


def _transfer_out(service: Service, person: str, user: str, lang: str = "en") -> Any:
    body = {"person_key": person, "to_region": "510000", "to_city": "510100", "moved_on": "2026-12-01"}
    headers = {**service.as_(user), "Accept-Language": lang}
    return service.client.post("/api/v1/interregion/transfers", json=body, headers=headers)


@pytest.fixture
def moved(db_service: Service) -> tuple[Service, str]:
    """The Shenzhen-hukou Guangzhou resident, handed over to Sichuan's instance, at Guangdong's instance (which
    serves 440000 and has Sichuan's as a peer)."""
    app: Any = db_service.client.app
    app.state.settings = replace(app.state.settings, instance_region="440000")
    return db_service, moved_to_chengdu(db_service)


def _nothing_moved(service: Service, person: str, before: list[dict[str, Any]]) -> None:
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1  # the hand-over's own message
    assert balances_frame(service.engine, person_key=person).to_dicts() == before
    assert ledger_problems(service.engine) == []


@pytest.mark.parametrize("user", ["cw_gz", "ad_nat"])
def test_the_place_she_left_is_told_where_she_moved(moved: tuple[Service, str], user: str) -> None:
    service, person = moved
    before = balances_frame(service.engine, person_key=person).to_dicts()
    refused, in_zh = _transfer_out(service, person, user), _transfer_out(service, person, user, "zh")
    assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out", refused.text
    assert refused.json()["params"] == {"on": MOVED_TO_CHENGDU.isoformat(), "region": "510100"}
    assert "Chengdu" in refused.json()["message"] and "成都" in in_zh.json()["message"]
    _nothing_moved(service, person, before)


@pytest.mark.parametrize("user", ["cw_sz", "cw_fs"])
def test_her_hukou_place_and_staff_with_no_tie_get_the_answer_to_a_key_no_one_has(
    moved: tuple[Service, str], user: str
) -> None:
    service, person = moved
    before = balances_frame(service.engine, person_key=person).to_dicts()
    refused, in_zh = _transfer_out(service, person, user), _transfer_out(service, person, user, "zh")
    nobody = _transfer_out(service, NO_ONE, user)
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    assert (refused.status_code, refused.json()) == (nobody.status_code, nobody.json())
    for answer in (refused, in_zh):
        assert not any(word in answer.text for word in NEW_CITY), answer.text
        assert MOVED_TO_CHENGDU.isoformat() not in answer.text and "another province" not in answer.text
    _nothing_moved(service, person, before)
