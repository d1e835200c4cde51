"""A city's own facility list (设施清单): the import format, validated, and its supply per region and service.

Format: a UTF-8 CSV with header ``facility_id,name,service,region_code,capacity,lon,lat``. ``service`` is a
service key of the standards file (hospital_beds, primary_school_places, ...), ``region_code`` the six-digit
code of the county (or prefecture / province) the facility is in, ``capacity`` in the service's unit (beds,
places, staff); ``lon``/``lat`` (WGS84 degrees) may be empty but are needed for location and accessibility.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from changzhu.data.csvio import check_codes, check_non_negative, line_of, read_typed_csv
from changzhu.data.errors import DataFileError
from changzhu.domain.regions import RegionLevel

FACILITY_SCHEMA: dict[str, pl.DataType] = {
    "facility_id": pl.String(),
    "name": pl.String(),
    "service": pl.String(),
    "region_code": pl.String(),
    "capacity": pl.Float64(),
    "lon": pl.Float64(),
    "lat": pl.Float64(),
}


def read_facilities(path: Path, services: Iterable[str]) -> pl.DataFrame:
    """The facility list at `path`; raises DataFileError naming the line and column of the first bad cell."""
    df = read_typed_csv(path, FACILITY_SCHEMA, nullable=("lon", "lat"))
    dup = df["facility_id"].is_duplicated().arg_true()
    if dup.len() > 0:
        row = int(dup[0])
        raise DataFileError(
            path, f"facility_id {df['facility_id'][row]} appears twice", line=line_of(row), column="facility_id"
        )
    check_codes(path, df, "region_code", unique=False)
    known = sorted(services)
    unknown = (~df["service"].is_in(known)).arg_true()
    if unknown.len() > 0:
        row = int(unknown[0])
        raise DataFileError(
            path,
            f"unknown service {df['service'][row]!r} (known: {', '.join(known)})",
            line=line_of(row),
            column="service",
        )
    check_non_negative(path, df, ("capacity",))
    for column, low, high in (("lon", 73.0, 136.0), ("lat", 3.0, 54.0)):
        bad = (df[column].is_not_null() & ~df[column].is_between(low, high)).arg_true()
        if bad.len() > 0:
            row = int(bad[0])
            raise DataFileError(path, f"{df[column][row]} is outside China", line=line_of(row), column=column)
    half = (df["lon"].is_null() != df["lat"].is_null()).arg_true()
    if half.len() > 0:
        raise DataFileError(path, "lon and lat must both be given or both be empty", line=line_of(int(half[0])))
    return df


def region_at_level(code: pl.Expr, level: str) -> pl.Expr:
    """The code of the region at `level` that contains a (lower-level) region code."""
    match RegionLevel(level):
        case RegionLevel.PROVINCE:
            return code.str.slice(0, 2) + "0000"
        case RegionLevel.PREFECTURE:
            return code.str.slice(0, 4) + "00"
        case RegionLevel.COUNTY:
            return code
    raise AssertionError(level)


def facility_supply(facilities: pl.DataFrame, level: str) -> pl.DataFrame:
    """Total capacity per region (at `level`) and service: region_code, service, supply."""
    return (
        facilities.with_columns(region_at_level(pl.col("region_code"), level).alias("region_code"))
        .group_by("region_code", "service")
        .agg(pl.col("capacity").sum().alias("supply"))
    )
