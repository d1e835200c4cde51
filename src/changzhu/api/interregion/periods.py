"""The residence periods an account transfer carries (跨省转移接续): where the person lived by the sending authority's
register, from and to which day. The receiving city shows them beside its own history as reported by the sending
authority (its own register starts at the hand-over)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.store.resident_models import ResidenceEventRow

FIELD = "residence_periods"  # the payload's key, and the receipt's (what the receiving end took in)


def residence_periods(session: Session, person_id: int, moved_on: date) -> list[dict[str, str]]:
    """The sending end's periods of residence of the person before `moved_on`: {region, from, to}, one per place
    lived in (a settlement in the same place continues its period)."""
    events = session.execute(
        select(ResidenceEventRow.to_region, ResidenceEventRow.on_date)
        .where(ResidenceEventRow.person_id == person_id, ResidenceEventRow.on_date < moved_on)
        .order_by(ResidenceEventRow.on_date, ResidenceEventRow.id)
    ).all()
    return periods_of([(region, on) for region, on in events], moved_on)


def periods_of(events: list[tuple[str, date]], moved_on: date) -> list[dict[str, str]]:
    """Periods from residence events (the place lived in from a day), oldest first, up to `moved_on`. An event
    followed by another on the same day held no day of residence (a hand-over reversed on its move date: the
    move_out and move_out_undone events) and makes no period; the periods either side of it are one."""
    periods: list[dict[str, str]] = []
    for (region, since), following in zip(events, [*events[1:], None], strict=True):
        until = following[1] if following is not None else moved_on
        if until == since:
            continue
        if periods and periods[-1]["region"] == region:
            periods[-1]["to"] = until.isoformat()
        else:
            periods.append({"region": region, "from": since.isoformat(), "to": until.isoformat()})
    return periods


def reported_periods(payload: dict[str, Any]) -> list[dict[str, str]]:
    """The periods a received payload carries, checked (a region's six digits, two days in order); none in a
    message of an instance that did not send them yet. Raises ValueError or TypeError on a malformed one."""
    out = []
    for raw in payload.get(FIELD) or []:
        region, since, until = str(raw["region"]), date.fromisoformat(raw["from"]), date.fromisoformat(raw["to"])
        if not (len(region) == 6 and region.isdigit()) or until < since:
            raise ValueError(f"malformed residence period {raw!r}")
        out.append({"region": region, "from": since.isoformat(), "to": until.isoformat()})
    return out
