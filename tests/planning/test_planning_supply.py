import shutil
from pathlib import Path

import pytest

from changzhu.data.census import FILES_DIR
from changzhu.data.errors import DataFileError
from changzhu.data.supply import read_hospital_supply, read_school_supply


def test_shipped_supply_files_read_and_match_national_totals() -> None:
    beds = read_hospital_supply()
    schools = read_school_supply()
    assert beds.height == 31 and schools.height == 31
    assert int(beds["beds_total"].sum()) == 8_806_956
    assert int(schools["primary_enrolment"].sum()) == 105_612_358
    assert beds.filter(beds["code"] == "110000")["beds_township_health_centres"].item() is None


def _copy(tmp_path: Path) -> Path:
    for name in ("china_provinces.csv", "hospital_beds_by_province.csv", "school_enrolment_by_province.csv"):
        shutil.copy(FILES_DIR / name, tmp_path / name)
    return tmp_path


def test_damaged_cell_names_line_and_column(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "hospital_beds_by_province.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",430079,", ",lots,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"line 4 column 'beds_total'"):
        read_hospital_supply(folder)


def test_changed_total_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "school_enrolment_by_province.csv"
    text = path.read_text(encoding="utf-8").replace("110000,北京市,2019,941614", "110000,北京市,2019,941615")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="primary_enrolment sums to 105,612,359"):
        read_school_supply(folder)
