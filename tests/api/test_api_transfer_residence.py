"""The receiving city's history after a 跨省通办 move: before, the resident's page at Chengdu read only "registered:
成都市 2026-11-01"; the years lived in Guangzhou, known to the sending authority, were not handed over. The account
transfer carries the sending end's residence periods, and the receiving end shows them as reported by it."""

from __future__ import annotations

from pathlib import Path

from api_support import Service, hand_over_to_sichuan, received_in_sichuan

from changzhu.api.interregion import inbox
from changzhu.api.interregion.protocol import Message
from changzhu.api.interregion.transfer import KIND
from changzhu.api.overview import history_of, reported_residence_of


def test_the_receiving_city_shows_the_periods_lived_before_as_reported(service: Service, tmp_path: Path) -> None:
    arrival = received_in_sichuan(service, hand_over_to_sichuan(service), tmp_path)
    message, sichuan, arrived = arrival.message, arrival.sichuan, arrival.person.id
    # the Guangzhou worker registered in Guangzhou on 2021-03-01 (api_support) and moves on 2026-11-01
    assert message.payload["residence_periods"] == [{"region": "440100", "from": "2021-03-01", "to": "2026-11-01"}]
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
