"""The receiving city's history after a 跨省通办 move: before, the resident's page at Chengdu read only "registered:
成都市 2026-11-01"; the years lived in Guangzhou, known to the sending authority, were not handed over. The account
transfer carries the sending end's residence periods, and the receiving end shows them as reported by it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from api_support import Service
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from changzhu.api.interregion import inbox, outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.protocol import Message
from changzhu.api.interregion.transfer import KIND
from changzhu.api.keys import public_key_text
from changzhu.api.overview import history_of, reported_residence_of
from changzhu.data.census import census_2020
from changzhu.registry.census_import import load_census
from changzhu.registry.migrate import upgrade
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import OutboxRow
from changzhu.store.resident_models import PersonRow


def test_the_receiving_city_shows_the_periods_lived_before_as_reported(service: Service, tmp_path: Path) -> None:
    add_peer(service.engine, "510000", "http://sichuan.invalid", public_key_text(Ed25519PrivateKey.generate()))
    moved_on = date(2026, 11, 1)
    message_id = outbox.start_transfer(
        service.engine,
        service.people["gz"],
        "440000",
        "510000",
        "510100",
        moved_on,
        actor="test",
        authorize=lambda _r: None,
    )
    with session_scope(service.engine) as session:
        row = session.scalars(select(OutboxRow).where(OutboxRow.message_id == message_id)).one()
        message = Message(message_id, "440000", "510000", KIND, outbox.unseal(message_id, row.payload))
    # the Guangzhou worker registered in Guangzhou on 2021-03-01 (api_support) and moves on 2026-11-01
    assert message.payload["residence_periods"] == [{"region": "440100", "from": "2021-03-01", "to": "2026-11-01"}]
    sichuan = make_engine(f"sqlite:///{tmp_path / 'sichuan.sqlite3'}")
    upgrade(sichuan)
    load_census(sichuan, census_2020())
    receipt = inbox.receive(sichuan, "440000", message, "510000")
    with session_scope(sichuan) as session:
        arrived = session.scalars(select(PersonRow).where(PersonRow.person_key == receipt["person_key"])).one().id
    assert [e["to_region"] for e in history_of(sichuan, arrived)] == ["510100"]  # its own register starts here
    [before] = reported_residence_of(sichuan, arrived)
    assert before == {
        "region": "440100",
        "from": "2021-03-01",
        "to": "2026-11-01",
        "reported_by": "440000",
        "region_name": "广州市",
        "region_name_en": "Guangzhou",
    }
    # a malformed period is refused with the message, as any malformed record
    bad = {**message.payload, "residence_periods": [{"region": "4401", "from": "2021-03-01", "to": "2026-11-01"}]}
    refused = Message("f" * 32, "440000", "510000", KIND, bad)
    try:
        inbox.receive(sichuan, "440000", refused, "510000")
    except inbox.MessageRefused as exc:
        assert "residence period" in str(exc)
    else:
        raise AssertionError("a malformed residence period was taken in")
