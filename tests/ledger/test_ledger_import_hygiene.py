"""Bulk import of hostile files: a 131,072-character field, NUL characters, over-long text, inf and nan amounts
are row errors naming line and column, never a traceback, and nothing is stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from changzhu.casework.bulk_import import ImportRejected, import_contributions, import_residents
from changzhu.casework.worked_example import example_id
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PersonRow

HEADER = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref,education\n"
CONTRIB_HEADER = "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
IDS = [example_id("510104", date(1980 + i, 1, 1), 2 * i + 1) for i in range(3)]


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _rejected(call: object) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        call()  # type: ignore[operator]
    return [(e.line, e.column, e.reason.en) for e in caught.value.errors]


@pytest.mark.parametrize("length", [131_072, 131_073, 500_000])
def test_a_huge_field_is_a_row_error(engine: Engine, tmp_path: Path, length: int) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER
        + f"{IDS[0]},510100,440300,2019-01-01,housing,lease 1,bachelor\n"
        + f"{IDS[1]},510100,440300,2019-01-01,housing,{'x' * length},bachelor\n"
    )
    errors = _rejected(lambda: import_residents(engine, path, actor="t"))
    assert len(errors) == 1 and errors[0][:2] == (3, "proof_ref"), errors
    assert _count(engine, PersonRow) == 0


def test_nul_and_over_long_text_are_row_errors(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        HEADER
        + f"{IDS[0]},510100,440300,2019-01-01,housing,lease\x001,bachelor\n"
        + f"{IDS[1]},510100,440300,2019-01-01,housing,{'y' * 121},bachelor\n"
        + f"{IDS[2]},510100,440300,2019-01-01,housing,lease 3,{'z' * 2000}\n"
    )
    errors = _rejected(lambda: import_residents(engine, path, actor="t"))
    assert [(line, column) for line, column, _ in errors] == [(2, "proof_ref"), (3, "proof_ref"), (4, "education")]
    assert "NUL" in errors[0][2] and "at most 120" in errors[1][2]
    assert _count(engine, PersonRow) == 0


@pytest.mark.parametrize("amount", ["inf", "-inf", "nan", "1e400", "abc", ""])
def test_an_amount_that_is_not_a_finite_number_is_a_row_error(engine: Engine, tmp_path: Path, amount: str) -> None:
    people = tmp_path / "people.csv"
    people.write_text(HEADER + f"{IDS[0]},510100,440300,2019-01-01,housing,lease 1,bachelor\n")
    import_residents(engine, people, actor="t")
    contrib = tmp_path / "contrib.csv"
    contrib.write_text(
        CONTRIB_HEADER
        + f"{IDS[0]},pension,440300,201901,201912,6000\n"
        + f"{IDS[0]},pension,440300,202001,202012,{amount}\n"
    )
    errors = _rejected(lambda: import_contributions(engine, contrib, actor="t"))
    assert [(line, column) for line, column, _ in errors] == [(3, "monthly_base_yuan")]
    assert _count(engine, ContributionMonthRow) == 0
