"""Registry operations, their errors (nothing changed), moves_frame / person_frame, and the audit chain."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest
from sqlalchemy import Engine, func, select, text, update

from changzhu.casework.worked_example import example_id
from changzhu.domain.person import PERSON_COLUMNS
from changzhu.registry import moves_frame, person_frame
from changzhu.registry.residents import (
    ProofKind,
    Registration,
    RegistryError,
    issue_permit,
    link_household,
    person_summary,
    record_move,
    register_resident,
    renew_permit,
    settle_hukou,
)
from changzhu.store.audit import verify
from changzhu.store.db import session_scope
from changzhu.store.models import RegionRow
from changzhu.store.resident_models import AuditRow, PersonRow
from changzhu.store.txn import IdempotencyConflict


def _register(engine: Engine, born: date, seq: int, **kw: object) -> str:
    reg = Registration(
        example_id("510104", born, seq),
        str(kw.get("hukou", "510100")),
        str(kw.get("residence", "440300")),
        date(2020, 1, 1),
        ProofKind.EMPLOYMENT,
        "contract",
        {"education": "bachelor"},
    )
    return str(register_resident(engine, reg, actor="t", key=f"reg-{born}-{seq}-{kw.get('residence')}")["person_key"])


def test_life_of_a_resident(engine: Engine) -> None:
    mum, kid = _register(engine, date(1985, 1, 1), 2), _register(engine, date(2015, 6, 1), 4)
    with pytest.raises(RegistryError, match="6 months"):
        issue_permit(engine, mum, date(2020, 3, 1), actor="t")
    permit = issue_permit(engine, mum, date(2020, 8, 1), actor="t")
    renewed = renew_permit(engine, str(permit["permit_no"]), date(2021, 7, 25), actor="t")
    assert renewed["expires_on"] == "2022-08-01"
    link_household(engine, mum, kid, actor="t")
    with pytest.raises(RegistryError, match="already linked"):
        link_household(engine, mum, kid, actor="t")
    with pytest.raises(RegistryError, match="born before"):
        link_household(engine, kid, mum, actor="t")
    record_move(engine, mum, "320500", date(2022, 3, 1), ProofKind.HOUSING, "deed", actor="t")
    settle_hukou(engine, mum, date(2025, 3, 1), actor="t")
    summary = person_summary(engine, mum)
    assert summary["hukou_region"] == summary["residence_region"] == "320500"
    assert summary["prior_region"] == "440300" and summary["prior_residence_months"] == 26
    assert summary["residence_permit_since"] is None  # the permit was Shenzhen's
    moves = moves_frame(engine)
    assert moves.columns == ["person_key", "from_region", "to_region", "moved_on", "kind"]
    assert moves.filter(pl.col("person_key") == mum)["kind"].to_list() == ["registration", "move", "settlement"]
    assert moves.schema["moved_on"] == pl.Date
    people = person_frame(engine)
    assert people.columns[: len(PERSON_COLUMNS)] == [c.name for c in PERSON_COLUMNS]  # then the declared inputs
    child_row = people.filter(pl.col("birth_date") == date(2015, 6, 1))
    assert child_row["parent_id"].item() == people.filter(pl.col("birth_date") == date(1985, 1, 1))["person_id"].item()
    # optional columns not given at registration take the schema default (professional_title -> 'none')
    optional = [c for c in PERSON_COLUMNS if c.optional and c.default is not None]
    for column in optional:
        assert people[column.name].null_count() == 0, column.name
    assert verify(engine).ok


def test_bad_input_changes_nothing(engine: Engine) -> None:
    key = _register(engine, date(1985, 1, 1), 2)
    before = moves_frame(engine)
    for bad in ("999999", "51010", "5101x0"):
        with pytest.raises(RegistryError):
            record_move(engine, key, bad, date(2022, 1, 1), ProofKind.HOUSING, "deed", actor="t")
    with pytest.raises(RegistryError, match="before residence"):
        record_move(engine, key, "320500", date(2019, 1, 1), ProofKind.HOUSING, "deed", actor="t")
    with pytest.raises(RegistryError, match="already registered"):
        _register(engine, date(1985, 1, 1), 2, residence="320500")
    assert moves_frame(engine).equals(before)
    assert verify(engine).ok


def test_idempotent_replay_and_key_reuse(engine: Engine) -> None:
    key = _register(engine, date(1985, 1, 1), 2)
    first = record_move(engine, key, "320500", date(2022, 1, 1), ProofKind.HOUSING, "d", actor="t", key="mv1")
    again = record_move(engine, key, "320500", date(2022, 1, 1), ProofKind.HOUSING, "d", actor="t", key="mv1")
    assert again["replayed"] and again["operation_id"] == first["operation_id"]
    with pytest.raises(IdempotencyConflict):
        record_move(engine, key, "110100", date(2022, 1, 1), ProofKind.HOUSING, "d", actor="t", key="mv1")
    assert moves_frame(engine).height == 2


def test_audit_detects_edit_delete_and_truncation(engine: Engine) -> None:
    for seq in (2, 4, 6):
        _register(engine, date(1985, 1, 1), seq)
    assert verify(engine).length == 3
    with session_scope(engine) as s:
        s.execute(update(AuditRow).where(AuditRow.id == 2).values(reason="nothing to see"))
    report = verify(engine)
    assert not report.ok and "record 2" in str(report.problem)
    with session_scope(engine) as s:
        row = s.execute(select(AuditRow).where(AuditRow.id == 2)).scalar_one()
        row.reason = "常住地登记"
    assert verify(engine).ok
    with session_scope(engine) as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 3"))  # the last record of its chain: truncation
    truncated = re.search(r"chain \d+: the head expects (\d+) records, found (\d+)", str(verify(engine).problem))
    assert truncated is not None and int(truncated[2]) == int(truncated[1]) - 1


def test_audit_detects_a_record_removed_inside_a_chain(engine: Engine) -> None:
    key = _register(engine, date(1985, 1, 1), 2)  # one subject: its records form one chain
    record_move(engine, key, "320500", date(2022, 1, 1), ProofKind.HOUSING, "d", actor="t")
    record_move(engine, key, "440300", date(2023, 1, 1), ProofKind.HOUSING, "d", actor="t")
    assert verify(engine).ok and verify(engine).length == 3
    with session_scope(engine) as s:
        s.execute(text("DELETE FROM audit_log WHERE id = 2"))
    report = verify(engine)
    assert not report.ok and "record 3: does not follow" in str(report.problem)


def test_known_regions_are_enforced_once_regions_are_loaded(engine: Engine) -> None:
    key = _register(engine, date(1985, 1, 1), 2)
    with session_scope(engine) as s:
        s.add(RegionRow(level="prefecture", code="320500", name_zh="苏州市", division_type="地级市", current=True))
    with pytest.raises(RegistryError, match="510199 is not a known prefecture"):
        record_move(engine, key, "510199", date(2022, 1, 1), ProofKind.HOUSING, "deed", actor="t")
    record_move(engine, key, "320500", date(2022, 1, 1), ProofKind.HOUSING, "deed", actor="t")
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(PersonRow)) == 1


def test_a_permit_issued_on_29_february_runs_to_28_february(engine: Engine) -> None:
    """A leap day has no anniversary: the permit (and its renewal) ends on the month's last day, not a ValueError."""
    person = _register(engine, date(1990, 2, 28), 7)
    permit = issue_permit(engine, person, date(2024, 2, 29), actor="t")
    assert permit["expires_on"] == "2025-02-28"
    renewed = renew_permit(engine, str(permit["permit_no"]), date(2028, 2, 29), actor="t")  # lapsed; a leap day
    assert renewed["expires_on"] == "2029-02-28"
    assert verify(engine).ok
