"""The 2020 census (第七次全国人口普查) by province, prefecture and county, validated against its totals."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from changzhu.data.coordinate_systems import CoordinateSystem, to_wgs84
from changzhu.data.csvio import check_codes, check_non_negative, line_of, read_typed_csv
from changzhu.data.errors import DataFileError

FILES_DIR = Path(__file__).parent / "files"
PROVINCES_FILE = "china_provinces.csv"
PREFECTURES_FILE = "china_prefectures.csv"
COUNTIES_FILE = "china_counties.csv"
OUT_MIGRANTS_FILE = "census_out_migrants_2020.csv"  # out-migrants by province of hukou, where a census figure is known
SEATS_SUPPLEMENT_FILE = "county_seats_supplement.csv"  # points for units the seat source (cpca) lacks, each cited
# A supplement point that is the seat source's own point for the unit's former code: its datum is not stated
# (probably GCJ-02), so it is used as given, like every seat of the counties file.
AS_SEAT_SOURCE = "s4"

# Totals stated by the census communiqués (see docs/data.md). The 2,000,000 active-duty military
# are counted in the national total (1,411,778,724) but in no province.
PROVINCES_RESIDENT_TOTAL_2020 = 1_409_778_724
MILITARY_NATIONAL_ONLY_2020 = 2_000_000
PROVINCES_RENHU_FENLI_TOTAL_2020 = 492_762_506
PROVINCES_INTERPROV_TOTAL_2020 = 124_837_153
PROVINCE_COUNT = 31
CENSUS_DAY = date(2020, 11, 1)  # the census's standard moment (标准时点): what its figures and calibrations are "on"

POPULATION_COLUMNS = (
    "pop_resident_2020",
    "pop_urban_2020",
    "pop_rural_2020",
    "renhu_fenli_2020",
    "interprov_in_migrants_2020",
    "pop_age_0_4_2020",
    "pop_age_5_14_2020",
    "pop_age_0_14_2020",
    "pop_age_65plus_2020",
)
_INT = pl.Int64()
_STR = pl.String()
_F64 = pl.Float64()
_BOOL = pl.Boolean()


def _population_schema() -> dict[str, pl.DataType]:
    return {name: _INT for name in POPULATION_COLUMNS}


def _check_sum(path: Path, what: str, actual: int, expected: int) -> None:
    if actual != expected:
        raise DataFileError(path, f"{what} sum to {actual:,}, the census states {expected:,}")


def _check_urban_rural(path: Path, df: pl.DataFrame) -> None:
    mismatch = (
        df["pop_urban_2020"].is_not_null() & (df["pop_urban_2020"] + df["pop_rural_2020"] != df["pop_resident_2020"])
    ).arg_true()
    if mismatch.len() > 0:
        row = int(mismatch[0])
        raise DataFileError(
            path,
            "urban + rural does not equal resident population",
            line=line_of(row),
            column="pop_resident_2020",
        )


def _check_group_sums(path: Path, child: pl.DataFrame, provinces: pl.DataFrame, what: str) -> None:
    sums = child.group_by("province_code").agg(pl.col("pop_resident_2020").sum().alias("child_sum"))
    joined = provinces.select("code", "pop_resident_2020").join(
        sums, left_on="code", right_on="province_code", how="left"
    )
    bad = joined.filter(pl.col("child_sum").fill_null(0) != pl.col("pop_resident_2020"))
    if bad.height > 0:
        row = bad.row(0, named=True)
        raise DataFileError(
            path,
            f"{what} of province {row['code']} sum to {row['child_sum'] or 0:,} residents, "
            f"the province total is {row['pop_resident_2020']:,}",
        )


def _check_parents(path: Path, df: pl.DataFrame, column: str, parents: set[str]) -> None:
    idx = (~df[column].is_in(sorted(parents))).arg_true()
    if idx.len() > 0:
        row = int(idx[0])
        raise DataFileError(path, f"parent code {df[column][row]} does not exist", line=line_of(row), column=column)


def read_provinces(files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """The 31 provinces with their census figures; raises DataFileError if the file is damaged."""
    path = files_dir / PROVINCES_FILE
    schema: dict[str, pl.DataType] = {
        "code": _STR,
        "name_zh": _STR,
        "name_short": _STR,
        "name_pinyin": _STR,
        "name_en": _STR,
        "region": _STR,
        **_population_schema(),
        "hukou_elsewhere_same_county_2020": _INT,
        "hukou_elsewhere_other_county_same_prov_2020": _INT,
        "centroid_lon": _F64,
        "centroid_lat": _F64,
    }
    df = read_typed_csv(path, schema)
    check_codes(path, df, "code")
    not_province = (~df["code"].str.ends_with("0000")).arg_true()
    if not_province.len() > 0:
        row = int(not_province[0])
        raise DataFileError(path, "a province code must end in 0000", line=line_of(row), column="code")
    if df.height != PROVINCE_COUNT:
        raise DataFileError(path, f"expected {PROVINCE_COUNT} provinces, found {df.height}")
    check_non_negative(path, df, POPULATION_COLUMNS)
    _check_urban_rural(path, df)
    parts = (
        df["hukou_elsewhere_same_county_2020"]
        + df["hukou_elsewhere_other_county_same_prov_2020"]
        + df["interprov_in_migrants_2020"]
    )
    bad = (parts != df["renhu_fenli_2020"]).arg_true()
    if bad.len() > 0:
        raise DataFileError(
            path,
            "人户分离 is not the sum of its three parts",
            line=line_of(int(bad[0])),
            column="renhu_fenli_2020",
        )
    _check_sum(path, "the 31 provinces' residents", int(df["pop_resident_2020"].sum()), PROVINCES_RESIDENT_TOTAL_2020)
    _check_sum(path, "the provinces' 人户分离", int(df["renhu_fenli_2020"].sum()), PROVINCES_RENHU_FENLI_TOTAL_2020)
    _check_sum(
        path,
        "the provinces' inter-provincial in-migrants",
        int(df["interprov_in_migrants_2020"].sum()),
        PROVINCES_INTERPROV_TOTAL_2020,
    )
    return df


def read_prefectures(provinces: pl.DataFrame, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """The 367 prefecture-level rows; their figures sum to each province's."""
    path = files_dir / PREFECTURES_FILE
    schema: dict[str, pl.DataType] = {
        "code": _STR,
        "name_zh": _STR,
        "division_type": _STR,
        "province_code": _STR,
        "province_name_zh": _STR,
        **_population_schema(),
        "pop_resident_2020_gazette": _INT,
        "centroid_lon": _F64,
        "centroid_lat": _F64,
        "seat_lon": _F64,
        "seat_lat": _F64,
        "in_nbs_codes_2023": _BOOL,
    }
    nullable = ("pop_resident_2020_gazette", "seat_lon", "seat_lat", "centroid_lon", "centroid_lat")
    df = read_typed_csv(path, schema, nullable=nullable)
    check_codes(path, df, "code")
    check_codes(path, df, "province_code", unique=False)
    _check_parents(path, df, "province_code", set(provinces["code"].to_list()))
    check_non_negative(path, df, POPULATION_COLUMNS)
    _check_urban_rural(path, df)
    _check_group_sums(path, df, provinces, "prefectures")
    return df


def prefecture_of_county(city_code: str, county_code: str, prefecture_codes: set[str]) -> str | None:
    """The prefecture-level row a county belongs to, following the census file's conventions.

    Chongqing's counties (500200 县) belong to the single 500100 row; county-level units administered
    by a province (xx9000) are prefecture-level rows themselves.
    """
    if city_code in prefecture_codes:
        return city_code
    if city_code == "500200":
        return "500100"
    if city_code.endswith("9000") and county_code in prefecture_codes:
        return county_code
    return None


def read_counties(provinces: pl.DataFrame, prefectures: pl.DataFrame, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """County-level units (NBS 2023 codes merged with the census tabulation), with `prefecture_code` added."""
    path = files_dir / COUNTIES_FILE
    schema: dict[str, pl.DataType] = {
        "code": _STR,
        "name_zh": _STR,
        "city_code": _STR,
        "city_name_zh": _STR,
        "province_code": _STR,
        "province_name_zh": _STR,
        "in_nbs_codes_2023": _BOOL,
        "in_census_2020": _BOOL,
        "code_2020": _STR,
        "name_zh_2020": _STR,
        **_population_schema(),
        "seat_lon": _F64,
        "seat_lat": _F64,
    }
    nullable = ("code", "code_2020", "name_zh_2020", "seat_lon", "seat_lat", *POPULATION_COLUMNS)
    df = read_typed_csv(path, schema, nullable=nullable)
    check_codes(path, df, "code")
    check_codes(path, df, "city_code", unique=False)
    _check_parents(path, df, "province_code", set(provinces["code"].to_list()))
    census_rows = df.filter(pl.col("in_census_2020"))
    missing_pop = (census_rows["pop_resident_2020"].is_null()).arg_true()
    if missing_pop.len() > 0:
        raise DataFileError(path, "a census row has no resident population", column="pop_resident_2020")
    check_non_negative(path, df, POPULATION_COLUMNS)
    _check_urban_rural(path, df)
    _check_group_sums(path, census_rows, provinces, "counties")
    prefecture_codes = set(prefectures["code"].to_list())
    parents = [
        prefecture_of_county(city, code or "", prefecture_codes)
        for city, code in zip(df["city_code"].to_list(), df["code"].to_list(), strict=True)
    ]
    # Units created after 2020 and administered by the province (e.g. 659011 新星市) have no
    # prefecture row; they hang directly under their province.
    orphan = [i for i, p in enumerate(parents) if p is None and not df["city_code"][i].endswith("9000")]
    if orphan:
        row = orphan[0]
        raise DataFileError(
            path,
            f"parent prefecture {df['city_code'][row]} does not exist",
            line=line_of(row),
            column="city_code",
        )
    df = df.with_columns(pl.Series("prefecture_code", parents, dtype=pl.String))
    return _with_supplement_seats(df, read_seat_supplement(files_dir), files_dir / SEATS_SUPPLEMENT_FILE)


def read_seat_supplement(files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """The points added for county-level units the seat source (S4, cpca) has none for: each row names the point's
    coordinate system (or `s4`: the seat source's own point, used as given), what the point is, whether it is
    verified as the government seat, and its source URL. A point S4 has under the unit's former code also names that
    code and the change (type, year, approval number, source)."""
    path = files_dir / SEATS_SUPPLEMENT_FILE
    schema: dict[str, pl.DataType] = {
        "code": _STR,
        "name_zh": _STR,
        "lon": _F64,
        "lat": _F64,
        "coordinate_system": _STR,
        "point": _STR,
        "verified": _BOOL,
        "coordinate_source": _STR,
        "seat_address": _STR,
        "seat_address_source": _STR,
        "former_code": _STR,
        "former_name_zh": _STR,
        "change": _STR,
        "change_year": _INT,
        "change_record": _STR,
        "change_source": _STR,
    }
    optional = ("seat_address", "seat_address_source", "former_code", "former_name_zh", "change", "change_year")
    df = read_typed_csv(path, schema, nullable=(*optional, "change_record", "change_source"))
    check_codes(path, df, "code")
    systems = sorted({str(s) for s in CoordinateSystem} | {AS_SEAT_SOURCE})
    bad = (~df["coordinate_system"].is_in(systems)).arg_true()
    if bad.len() > 0:
        row = int(bad[0])
        raise DataFileError(path, f"unknown coordinate system; known: {', '.join(systems)}", line=line_of(row))
    from_s4 = df["coordinate_system"] == AS_SEAT_SOURCE
    for column in ("former_code", "change", "change_source"):
        undocumented = (from_s4 & df[column].is_null()).arg_true()
        if undocumented.len() > 0:
            raise DataFileError(
                path,
                "a point of the seat source for a former code must name that code and the change, with its source",
                line=line_of(int(undocumented[0])),
                column=column,
            )
    return df


def _with_supplement_seats(counties: pl.DataFrame, supplement: pl.DataFrame, path: Path) -> pl.DataFrame:
    """The counties with the supplement's points (converted to WGS-84) where the seat source has none, and
    `seat_verified`: True for a seat of the source, the supplement's `verified` for its points, null without a
    point. A supplement row for a unit that already has a seat, or for an unknown code, is refused."""
    unknown = sorted(set(supplement["code"].to_list()) - set(counties["code"].drop_nulls().to_list()))
    if unknown:
        raise DataFileError(path, f"no county-level unit {', '.join(unknown)}", column="code")
    lon = np.empty(supplement.height)
    lat = np.empty(supplement.height)
    for system in supplement["coordinate_system"].unique().to_list():
        rows = (supplement["coordinate_system"] == system).to_numpy()
        x, y = supplement["lon"].to_numpy()[rows], supplement["lat"].to_numpy()[rows]
        if system != AS_SEAT_SOURCE:
            x, y = to_wgs84(x, y, CoordinateSystem(system))
        lon[rows], lat[rows] = x, y
    added = supplement.select(
        "code",
        pl.Series("added_lon", lon),
        pl.Series("added_lat", lat),
        pl.col("verified").alias("added_verified"),
    )
    joined = counties.join(added, on="code", how="left")
    clash = (joined["added_lon"].is_not_null() & joined["seat_lon"].is_not_null()).arg_true()
    if clash.len() > 0:
        code = joined["code"][int(clash[0])]
        raise DataFileError(path, f"unit {code} already has a seat in {COUNTIES_FILE}", column="code")
    return joined.with_columns(
        pl.coalesce("seat_lon", "added_lon").alias("seat_lon"),
        pl.coalesce("seat_lat", "added_lat").alias("seat_lat"),
        pl.when(pl.col("seat_lon").is_not_null())
        .then(pl.lit(True))
        .otherwise(pl.col("added_verified"))
        .alias("seat_verified"),
    ).drop("added_lon", "added_lat", "added_verified")


OUT_MIGRANT_BOUNDS = ("exact", "lower")  # the census figure itself, or only "more than" it (超过)


def read_out_migrants(provinces: pl.DataFrame, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """The census's out-migrants (people registered in a province living in another one) for the provinces whose
    figure was found, each row with its table, source and URL (docs/data.md): `bound` is `exact` for the figure,
    `lower` where the source only says "more than" it. Provinces without a row have no census figure here."""
    path = files_dir / OUT_MIGRANTS_FILE
    schema: dict[str, pl.DataType] = {
        "code": _STR,
        "name_zh": _STR,
        "out_migrants_2020": _INT,
        "bound": _STR,
        "table": _STR,
        "source": _STR,
        "source_url": _STR,
        "verified": _BOOL,
        "note": _STR,
    }
    df = read_typed_csv(path, schema, nullable=("note",))
    check_codes(path, df, "code")
    check_non_negative(path, df, ["out_migrants_2020"])
    known = dict(zip(provinces["code"].to_list(), provinces["name_zh"].to_list(), strict=True))
    for row, (code, name, bound) in enumerate(df.select("code", "name_zh", "bound").iter_rows()):
        if known.get(code) != name:
            raise DataFileError(path, f"{code} {name} is not a province of {PROVINCES_FILE}", line=line_of(row))
        if bound not in OUT_MIGRANT_BOUNDS:
            allowed = ", ".join(OUT_MIGRANT_BOUNDS)
            raise DataFileError(path, f"bound {bound!r} is not one of {allowed}", line=line_of(row), column="bound")
    if int(df["out_migrants_2020"].sum()) > PROVINCES_INTERPROV_TOTAL_2020:
        raise DataFileError(path, "out-migrants sum to more than the census's inter-provincial migrants")
    return df


class Census2020:
    """The three census tables, read and cross-checked together, and the out-migrant figures found."""

    def __init__(self, files_dir: Path = FILES_DIR) -> None:
        self.provinces = read_provinces(files_dir)
        self.prefectures = read_prefectures(self.provinces, files_dir)
        self.counties = read_counties(self.provinces, self.prefectures, files_dir)
        self.out_migrants = read_out_migrants(self.provinces, files_dir)


@cache
def census_2020() -> Census2020:
    """The shipped census, read once per process."""
    return Census2020()
