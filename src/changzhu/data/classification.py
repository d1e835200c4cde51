"""City size classes (2014 standard) and urban-agglomeration membership, both read from data files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from changzhu.data.csvio import check_codes, line_of, read_typed_csv
from changzhu.data.errors import DataFileError
from changzhu.domain.regions import CitySizeBand, CitySizeClass, classify_city_size

FILES_DIR = Path(__file__).parent / "files"
SIZE_STANDARD_FILE = "city_size_standard_2014.csv"
OFFICIAL_SIZE_FILE = "city_size_official_2020.csv"
AGGLOMERATIONS_FILE = "agglomerations.csv"
# County-level units that are a whole prefecture-level city without districts.
CITIES_WITHOUT_DISTRICTS = frozenset({"441900", "442000", "460400", "620201"})


def _size_class(path: Path, value: str, row: int) -> CitySizeClass:
    try:
        return CitySizeClass(value)
    except ValueError:
        known = ", ".join(c.value for c in CitySizeClass)
        raise DataFileError(
            path, f"unknown size class {value!r} (known: {known})", line=line_of(row), column="size_class"
        ) from None


def read_size_standard(files_dir: Path = FILES_DIR) -> list[CitySizeBand]:
    """The bands of the 2014 city size standard (国发〔2014〕51号)."""
    path = files_dir / SIZE_STANDARD_FILE
    df = read_typed_csv(
        path,
        {
            "size_class": pl.String(),
            "name_zh": pl.String(),
            "min_urban_pop": pl.Int64(),
            "max_urban_pop": pl.Int64(),
        },
        nullable=("max_urban_pop",),
    )
    return [
        CitySizeBand(_size_class(path, r["size_class"], i), r["name_zh"], r["min_urban_pop"], r["max_urban_pop"])
        for i, r in enumerate(df.iter_rows(named=True))
    ]


def read_official_sizes(files_dir: Path = FILES_DIR) -> dict[str, CitySizeClass]:
    """The 2020 census list of super and mega cities (超大/特大) by urban-area population."""
    path = files_dir / OFFICIAL_SIZE_FILE
    df = read_typed_csv(path, {"region_code": pl.String(), "name_zh": pl.String(), "size_class": pl.String()})
    check_codes(path, df, "region_code")
    return {r["region_code"]: _size_class(path, r["size_class"], i) for i, r in enumerate(df.iter_rows(named=True))}


def urban_area_population_proxy(prefectures: pl.DataFrame, counties: pl.DataFrame) -> pl.DataFrame:
    """Urban residents of each prefecture's districts (市辖区), a proxy for 城区常住人口.

    For units without districts (Dongguan, Zhongshan, province-administered county-level cities) the
    unit's own urban population is used; for prefectures with no districts at all (most autonomous
    prefectures, 地区, 盟) the urban residents of their county-level cities (…市) are used.
    """
    census = counties.filter(pl.col("in_census_2020") & pl.col("prefecture_code").is_not_null())
    is_district = pl.col("name_zh").str.ends_with("区") & ~pl.col("city_code").str.ends_with("9000")
    whole_unit = pl.col("city_code").str.ends_with("9000") | pl.col("code").is_in(sorted(CITIES_WITHOUT_DISTRICTS))
    is_city = pl.col("name_zh").str.ends_with("市")
    sums = census.group_by("prefecture_code").agg(
        pl.col("pop_urban_2020").filter(is_district | whole_unit).sum().alias("district_urban"),
        pl.col("pop_urban_2020").filter(is_city).sum().alias("city_urban"),
    )
    return (
        prefectures.select("code")
        .join(sums, left_on="code", right_on="prefecture_code", how="left")
        .with_columns(
            pl.when(pl.col("district_urban").fill_null(0) > 0)
            .then(pl.col("district_urban"))
            .otherwise(pl.col("city_urban").fill_null(0))
            .alias("urban_area_pop_proxy")
        )
        .select("code", "urban_area_pop_proxy")
    )


def classify_prefectures(
    prefectures: pl.DataFrame, counties: pl.DataFrame, files_dir: Path = FILES_DIR
) -> pl.DataFrame:
    """City size class of every prefecture-level unit, with the basis it was decided on.

    The 2020 census list of super and mega cities is authoritative and complete for classes of 5 million
    and over; below that the district urban population proxy decides, capped at I型大城市 for cities
    the official list does not name.
    """
    bands = read_size_standard(files_dir)
    official = read_official_sizes(files_dir)
    unknown = sorted(set(official) - set(prefectures["code"].to_list()))
    if unknown:
        raise DataFileError(files_dir / OFFICIAL_SIZE_FILE, f"region code(s) {', '.join(unknown)} do not exist")
    proxy = urban_area_population_proxy(prefectures, counties)
    classes: list[str] = []
    basis: list[str] = []
    big = {CitySizeClass.SUPER, CitySizeClass.MEGA}
    for code, pop in proxy.iter_rows():
        if code in official:
            classes.append(official[code].value)
            basis.append("census_2020_official_list")
            continue
        size = classify_city_size(int(pop), bands)
        classes.append((CitySizeClass.LARGE_I if size in big else size).value)
        basis.append("district_urban_population_proxy")
    return proxy.with_columns(
        pl.Series("city_size_class", classes, dtype=pl.String),
        pl.Series("city_size_basis", basis, dtype=pl.String),
    )


def read_agglomerations(prefectures: pl.DataFrame, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """Membership of prefecture-level units in the main urban agglomerations (城市群)."""
    path = files_dir / AGGLOMERATIONS_FILE
    df = read_typed_csv(
        path,
        {
            "agglomeration_id": pl.String(),
            "name_zh": pl.String(),
            "name_en": pl.String(),
            "region_code": pl.String(),
            "region_name_zh": pl.String(),
            "membership": pl.String(),
            "source": pl.String(),
        },
    )
    check_codes(path, df, "region_code", unique=False)
    names = dict(zip(prefectures["code"].to_list(), prefectures["name_zh"].to_list(), strict=True))
    for i, row in enumerate(df.iter_rows(named=True)):
        code = row["region_code"]
        if code not in names:
            raise DataFileError(path, f"region {code} does not exist", line=line_of(i), column="region_code")
        if names[code] != row["region_name_zh"]:
            raise DataFileError(
                path,
                f"region {code} is {names[code]}, not {row['region_name_zh']}",
                line=line_of(i),
                column="region_name_zh",
            )
        if row["membership"] not in ("core", "plan_area"):
            raise DataFileError(path, "membership must be core or plan_area", line=line_of(i), column="membership")
    dup = df.select("agglomeration_id", "region_code").is_duplicated().arg_true()
    if dup.len() > 0:
        raise DataFileError(path, "a region is listed twice in one agglomeration", line=line_of(int(dup[0])))
    return df


@cache
def size_standard() -> tuple[CitySizeBand, ...]:
    """The shipped 2014 size standard, read once."""
    return tuple(read_size_standard())
