"""天府新区 (Sichuan Tianfu New Area) has no GB/T 2260 code of its own: where a region is read (a file's cell) it is
refused saying what it is and naming the counties it spans, not matched to a look-alike name (德州天衢新区)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from tests.tables.tables_support import ENGLISH

from changzhu.data.regions import region_table
from changzhu.domain.lang import Lang
from changzhu.domain.new_areas import NEW_AREAS, TIANFU, new_area
from changzhu.domain.refusals import RefusalCode
from changzhu.tables import read_table
from changzhu.tables.person import person_schema
from changzhu.tables.read import TableRejected
from changzhu.tables.vocab import shipped_region_index


def test_the_counties_offered_are_shipped_counties_with_those_names() -> None:
    table = region_table().filter(pl.col("level") == "county")
    named = {code: (zh, en) for code, zh, en in table.select("code", "name_zh", "name_en").iter_rows()}
    for area in NEW_AREAS:
        for code, zh, en in area.counties:
            assert named[code] == (zh, en), code


@pytest.mark.parametrize("level", ["prefecture", "county", None])
@pytest.mark.parametrize("word", ["天府新区", "四川天府新区", "Tianfu New Area"])
def test_the_name_is_said_to_be_an_area_with_its_counties(word: str, level: str | None) -> None:
    code, reason = shipped_region_index().resolve(word, level)
    assert code is None and reason is not None and reason.code == RefusalCode.NOT_A_REGION_NEW_AREA
    zh, en = reason.text(Lang.ZH), reason.text(Lang.EN)
    assert "国家级新区" in zh and "双流区 510116" in zh and "龙泉驿区 510112" in zh and "德州" not in zh
    assert "national new area" in en and "Shuangliu District 510116" in en
    assert new_area("天府 新区") is TIANFU and new_area("天府") is None


def test_a_file_naming_it_is_refused_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(ENGLISH["person"].replace(",440300,2019-09-01,2020-03-01", ",天府新区,2019-09-01,2020-03-01", 1))
    with pytest.raises(TableRejected) as rejected:
        read_table(path, person_schema(), regions=shipped_region_index())
    (error,) = rejected.value.errors
    assert (error.line, error.column, error.value) == (2, "residence_region", "天府新区")
    assert error.reason.code == RefusalCode.NOT_A_REGION_NEW_AREA
