"""`changzhu serve` prepares the rules as it starts: one registered person of each city decided and explained as
the person pages do, so the first resident of a city does not wait for its policies to be read; nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_support import SCENARIOS, Service
from sqlalchemy import func, select

from changzhu.api import ApiSettings, warm
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, PersonRow

ON = date(2026, 6, 1)


def test_warming_decides_one_person_of_each_city_as_the_person_pages_do(
    service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    decided: list[int] = []
    explained: list[int] = []
    evaluate_registered, person_explanation = warm.evaluate_registered, warm.person_explanation

    def deciding(table: Any, on: date) -> Any:
        decided.append(int(table["person_id"][0]))
        return evaluate_registered(table, on)

    def explaining(*args: Any) -> Any:
        explained.append(args[2].id)
        return person_explanation(*args)

    monkeypatch.setattr(warm, "evaluate_registered", deciding)
    monkeypatch.setattr(warm, "person_explanation", explaining)
    settings = ApiSettings(
        database_url=str(service.engine.url), jwt_secret=b"k" * 32, keys_dir=tmp_path, scenarios_dir=SCENARIOS
    )
    with session_scope(service.engine) as session:
        where = {pid: city for pid, city in session.execute(select(PersonRow.id, PersonRow.residence_region))}
        records = session.scalar(select(func.count()).select_from(AuditRow))
    said: list[tuple[str, int, int]] = []

    cities = warm.warm_rules(service.engine, settings, ON, lambda *ready: said.append(ready))

    assert sorted(cities) == sorted(set(where.values())) and len(cities) >= 2
    assert decided == explained and [where[p] for p in decided] == cities
    assert all(p == min(q for q, city in where.items() if city == where[p]) for p in decided)
    assert said[-1] == (cities[-1], len(cities), len(cities))
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(AuditRow)) == records  # read, never recorded
