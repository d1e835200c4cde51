"""A school spanning stages (九年一贯制, 完全中学, 十二年一贯制) in a facility list is one row with one capacity: it is
read as a row per planned stage with that stage's share of the grades, so every place counts once, in one stage."""

from __future__ import annotations

from pathlib import Path

from changzhu.planning.standards import load_standards, service_catalog
from changzhu.tables import read_table
from changzhu.tables.kinds import facility_schema
from changzhu.tables.school_stages import JUNIOR, PRIMARY, SPANNING_SCHOOLS

LIST = (
    "学校名称,学段,所在区县,学位数\n"
    "甲小学,小学,510107,2160\n"
    "乙学校,九年一贯制,510107,2700\n"
    "丙中学,完全中学,510107,3000\n"
    "丁学校,十二年一贯制学校,510107,3600\n"
    "戊学校,九年一贯制,510107,1000\n"
)


def test_a_spanning_school_counts_once_split_by_grades(tmp_path: Path) -> None:
    path = tmp_path / "学校清单.csv"
    path.write_text(LIST, encoding="utf-8")
    read = read_table(path, facility_schema(service_catalog(load_standards())))
    rows = [(n, str(s), c) for n, s, c in read.frame.select("name", "service", "capacity").iter_rows()]
    assert rows == [
        ("甲小学", PRIMARY, 2160.0),
        ("乙学校", PRIMARY, 1800.0),  # 6 of 9 grades
        ("乙学校", JUNIOR, 900.0),  # 3 of 9
        ("丙中学", JUNIOR, 1500.0),  # 3 of 6: the senior half is in no planned service
        ("丁学校", PRIMARY, 1800.0),  # 6 of 12
        ("丁学校", JUNIOR, 900.0),  # 3 of 12
        ("戊学校", PRIMARY, 667.0),  # whole places that add up to the school's
        ("戊学校", JUNIOR, 333.0),
    ]
    assert list(read.lines) == [2, 3, 3, 4, 5, 5, 6, 6]  # each row still names its line in the file


def test_the_words_are_offered_only_where_a_stage_is_planned() -> None:
    only_beds = [s for s in service_catalog(load_standards()) if s.key == "hospital_beds"]
    service = facility_schema(only_beds).column("service")
    assert [c.code for c in service.categories] == ["hospital_beds"]
    nine = next(s for s in SPANNING_SCHOOLS if s.code == "nine_year_school")
    assert nine.shares(900.0, [JUNIOR]) == [(JUNIOR, 300.0)]
