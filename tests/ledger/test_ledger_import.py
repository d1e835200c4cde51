"""Bulk CSV import: all or nothing, with a row-level report; the same file twice is a no-op."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from changzhu.casework.bulk_import import ImportRejected, import_contributions, import_residents
from changzhu.casework.worked_example import example_id
from changzhu.ledger.checks import ledger_problems
from changzhu.registry import moves_frame, person_frame

HEADER = "id_number,hukou_region,residence_region,residence_since,proof_kind,proof_ref,education\n"


def _ids(n: int) -> list[str]:
    return [example_id("510104", date(1980 + i, 1, 1), 2 * i + 1) for i in range(n)]


def test_good_files_import_and_replay(engine: Engine, tmp_path: Path) -> None:
    ids = _ids(3)
    people = tmp_path / "people.csv"
    people.write_text(
        HEADER + "".join(f"{n},510100,440300,2019-01-0{i + 1},housing,lease {i},bachelor\n" for i, n in enumerate(ids))
    )
    assert import_residents(engine, people, actor="t")["residents"] == 3
    assert import_residents(engine, people, actor="t")["replayed"]
    contrib = tmp_path / "contrib.csv"
    contrib.write_text(
        "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
        + "".join(f"{n},pension,440300,201901,202012,6000\n" for n in ids)
    )
    assert import_contributions(engine, contrib, actor="t")["months"] == 72
    frame = person_frame(engine)
    assert frame["si_months_total"].to_list() == [24, 24, 24] and frame["education"].to_list() == ["bachelor"] * 3
    assert ledger_problems(engine) == []


def test_a_bad_row_rejects_the_whole_file(engine: Engine, tmp_path: Path) -> None:
    ids = _ids(4)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + f"{ids[0]},510100,440300,2019-01-01,housing,lease,bachelor\n"
        + f"{ids[1][:-1]}0,510100,440300,2019-01-01,housing,lease,bachelor\n"  # wrong check digit
        + f"{ids[2]},510100,440300,2019-13-01,housing,lease,bachelor\n"
        + f"{ids[3]},510100,440300,2019-01-01,boat,lease,bachelor\n"
        + f"{ids[0]},510100,440300,2019-01-01,housing,lease,bachelor\n"
    )
    with pytest.raises(ImportRejected) as info:
        import_residents(engine, bad, actor="t")
    report = info.value.report()
    assert report["row"].to_list() == [3, 4, 5, 6]
    assert report["column"].to_list() == ["id_number", "residence_since", "proof_kind", "id_number"]
    assert moves_frame(engine).height == 0
    chinese = tmp_path / "chinese.csv"  # the registry's own checks name the column as the file does
    chinese.write_text(
        "身份证号,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
        + f"{ids[1][:-1]}0,510100,440300,2019-01-01,住房,租赁合同\n"
    )
    with pytest.raises(ImportRejected) as info:
        import_residents(engine, chinese, actor="t")
    assert info.value.report()["column"].to_list() == ["身份证号"]
    late = tmp_path / "late.csv"  # rows valid on their own, one fails against the database: still nothing
    late.write_text(
        HEADER
        + f"{ids[0]},510100,440300,2019-01-01,housing,lease,bachelor\n"
        + f"{ids[1]},510100,440300,2019-01-01,housing,lease,phd\n"
    )
    with pytest.raises(ImportRejected, match="row 3"):
        import_residents(engine, late, actor="t")
    assert moves_frame(engine).height == 0
