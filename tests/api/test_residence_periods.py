"""The residence periods a hand-over carries, from the sending end's residence events."""

from __future__ import annotations

from datetime import date

from changzhu.api.interregion.periods import periods_of


def test_a_reversed_hand_over_leaves_no_day_in_the_destination() -> None:
    """Registered in Chengdu, handed over to Guangzhou on 2024-05-01 and the hand-over reversed (move_out and
    move_out_undone on the same day), then moving on 2025-01-01: one period in Chengdu, none in Guangzhou."""
    events = [("510100", date(2021, 3, 1)), ("440100", date(2024, 5, 1)), ("510100", date(2024, 5, 1))]
    assert periods_of(events, date(2025, 1, 1)) == [{"region": "510100", "from": "2021-03-01", "to": "2025-01-01"}]


def test_places_lived_in_follow_each_other_and_a_settlement_continues_its_period() -> None:
    events = [("510100", date(2019, 1, 1)), ("440100", date(2021, 3, 1)), ("440100", date(2023, 7, 1))]
    assert periods_of(events, date(2025, 1, 1)) == [
        {"region": "510100", "from": "2019-01-01", "to": "2021-03-01"},
        {"region": "440100", "from": "2021-03-01", "to": "2025-01-01"},
    ]
