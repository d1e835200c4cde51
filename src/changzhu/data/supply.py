"""Supply of services by province, 2019 (NBS 分省年度数据): hospital beds and staff, school enrolment and teachers.

Both files are year-end 2019 stocks; the census is 2020. Every figure read here keeps its year, so a rate that
divides one by the other can say so.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from changzhu.data.census import FILES_DIR, read_provinces
from changzhu.data.csvio import check_codes, check_non_negative, line_of, read_typed_csv
from changzhu.data.errors import DataFileError

HOSPITAL_FILE = "hospital_beds_by_province.csv"
SCHOOL_FILE = "school_enrolment_by_province.csv"
SUPPLY_YEAR = 2019

# National totals of the NBS series the files were checked against (docs/reference/shared_data_README.md).
BEDS_TOTAL_2019 = 8_806_956
DOCTORS_TOTAL_2019 = 3_866_916
NURSES_TOTAL_2019 = 4_445_047
PRIMARY_ENROLMENT_2019 = 105_612_358
JUNIOR_ENROLMENT_2019 = 48_271_362

HOSPITAL_COUNTS = (
    "beds_total",
    "beds_hospitals",
    "beds_primary_care",
    "beds_township_health_centres",
    "beds_public_health",
    "health_workers_total",
    "health_technicians",
    "licensed_doctors_incl_assistant",
    "licensed_doctors",
    "registered_nurses",
)
SCHOOL_COUNTS = (
    "primary_enrolment",
    "primary_schools",
    "primary_fulltime_teachers",
    "junior_secondary_enrolment",
    "junior_secondary_schools",
    "junior_secondary_fulltime_teachers",
)


def _check_provinces(path: Path, df: pl.DataFrame, province_codes: list[str]) -> None:
    check_codes(path, df, "code")
    unknown = (~df["code"].is_in(province_codes)).arg_true()
    if unknown.len() > 0:
        row = int(unknown[0])
        raise DataFileError(path, f"{df['code'][row]} is not a province code", line=line_of(row), column="code")
    missing = sorted(set(province_codes) - set(df["code"].to_list()))
    if missing:
        raise DataFileError(path, f"no row for province(s) {', '.join(missing)}")
    wrong_year = (df["year"] != SUPPLY_YEAR).arg_true()
    if wrong_year.len() > 0:
        row = int(wrong_year[0])
        raise DataFileError(path, f"year {df['year'][row]} is not {SUPPLY_YEAR}", line=line_of(row), column="year")


def _check_total(path: Path, df: pl.DataFrame, column: str, expected: int) -> None:
    actual = int(df[column].sum())
    if actual != expected:
        raise DataFileError(path, f"{column} sums to {actual:,}, the NBS national series states {expected:,}")


def read_hospital_supply(files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """Beds, health workers, doctors and nurses by province at year-end 2019 (医疗卫生机构床位, 卫生人员)."""
    path = files_dir / HOSPITAL_FILE
    schema: dict[str, pl.DataType] = {
        "code": pl.String(),
        "name_zh": pl.String(),
        "year": pl.Int64(),
        **{name: pl.Int64() for name in HOSPITAL_COUNTS},
        "beds_per_10k_residents_nbs": pl.Float64(),
    }
    df = read_typed_csv(path, schema, nullable=("beds_township_health_centres",))
    _check_provinces(path, df, read_provinces(files_dir)["code"].to_list())
    check_non_negative(path, df, (*HOSPITAL_COUNTS, "beds_per_10k_residents_nbs"))
    parts = df["beds_hospitals"] + df["beds_primary_care"] + df["beds_public_health"]
    over = (parts > df["beds_total"]).arg_true()
    if over.len() > 0:
        raise DataFileError(
            path,
            "hospital + primary-care + public-health beds exceed the total",
            line=line_of(int(over[0])),
            column="beds_total",
        )
    _check_total(path, df, "beds_total", BEDS_TOTAL_2019)
    _check_total(path, df, "licensed_doctors_incl_assistant", DOCTORS_TOTAL_2019)
    _check_total(path, df, "registered_nurses", NURSES_TOTAL_2019)
    return df


def read_school_supply(files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """Primary and junior-secondary enrolment (在校学生数), schools and full-time teachers by province, 2019."""
    path = files_dir / SCHOOL_FILE
    schema: dict[str, pl.DataType] = {
        "code": pl.String(),
        "name_zh": pl.String(),
        "year": pl.Int64(),
        **{name: pl.Int64() for name in SCHOOL_COUNTS},
    }
    df = read_typed_csv(path, schema)
    _check_provinces(path, df, read_provinces(files_dir)["code"].to_list())
    check_non_negative(path, df, SCHOOL_COUNTS)
    _check_total(path, df, "primary_enrolment", PRIMARY_ENROLMENT_2019)
    _check_total(path, df, "junior_secondary_enrolment", JUNIOR_ENROLMENT_2019)
    return df


@cache
def province_supply_2019() -> pl.DataFrame:
    """Both shipped supply files joined on the province code, read once per process."""
    hospitals = read_hospital_supply()
    schools = read_school_supply().drop("name_zh", "year")
    return hospitals.join(schools, on="code", how="inner")
