"""A city's own facility list (设施清单): read, and merged into the estimated supply at its own level.

Columns (``changzhu schema facility``): ``facility_id, name, service, region_code, capacity, lon, lat``.
``service`` is a service key of the standards file (hospital_beds, primary_school_places, ...), ``region_code``
the code (or exact name) of the county, prefecture or province the facility is in, ``capacity`` in the
service's unit; ``lon``/``lat`` (WGS84 degrees) may be empty but are needed for location and accessibility; the
optional ``coord_system`` (坐标系) says a row's coordinates were read off a GCJ-02 or BD-09 map, and the reader makes
them WGS-84 (tables/kinds.py).

A list is complete for its *scope*: a city's list (scope prefecture) replaces that city's supply of the services
it lists and nothing else; the rest of the province keeps its estimate. A county list replaces that county's.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import RegionLevel
from changzhu.planning.errors import PlanningInputError

LEVELS = (RegionLevel.PROVINCE.value, RegionLevel.PREFECTURE.value, RegionLevel.COUNTY.value)
SOURCE_FACILITIES = "facility list"
LEVEL_NAMES = {"province": ("省级", "province"), "prefecture": ("地级", "prefecture"), "county": ("县级", "county")}


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


def code_level(code: pl.Expr) -> pl.Expr:
    """The level a six-digit code names: province (xx0000), prefecture (xxxx00) or county."""
    return (
        pl.when(code.str.ends_with("0000"))
        .then(pl.lit(RegionLevel.PROVINCE.value))
        .when(code.str.ends_with("00"))
        .then(pl.lit(RegionLevel.PREFECTURE.value))
        .otherwise(pl.lit(RegionLevel.COUNTY.value))
    )


def default_scope(facilities: pl.DataFrame) -> str:
    """A list is a city's (prefecture) unless it names a whole province."""
    levels = set(facilities.select(code_level(pl.col("region_code"))).to_series().to_list())
    return RegionLevel.PROVINCE.value if RegionLevel.PROVINCE.value in levels else RegionLevel.PREFECTURE.value


def _plain(facilities: pl.DataFrame) -> pl.DataFrame:
    """Services as plain text, to join with the gap rows."""
    return facilities.with_columns(pl.col("service").cast(pl.String))


def covered(facilities: pl.DataFrame, scope: str) -> pl.DataFrame:
    """The (scope region, service) pairs a list replaces, with the list's supply: scope_code, service, supply."""
    facilities = _plain(facilities)
    levels = facilities.select(code_level(pl.col("region_code"))).to_series()
    coarse = (levels.replace_strict({lv: i for i, lv in enumerate(LEVELS)}) < LEVELS.index(scope)).arg_true()
    if coarse.len():
        code = facilities["region_code"][int(coarse[0])]
        zh, en = LEVEL_NAMES[scope]
        raise PlanningInputError(
            refusal(RefusalCode.FACILITY_COARSER_THAN_SCOPE, scope_zh=zh, scope_en=en, region=code)
        )
    return (
        facilities.with_columns(region_at_level(pl.col("region_code"), scope).alias("scope_code"))
        .group_by("scope_code", "service")
        .agg(pl.col("capacity").sum().alias("supply"), pl.len().alias("facilities"))
        .sort("scope_code", "service")
    )


def merge_facility_supply(
    rows: pl.DataFrame, facilities: pl.DataFrame, level: str, scope: str, estimate_at_scope: pl.DataFrame
) -> pl.DataFrame:
    """Replace the estimated `supply` of `rows` (region_code, service, supply, supply_source at `level`) where the
    facility list covers it, and only there.

    Coarser than the scope (a province when a city's list is given): the province keeps its supply less the
    covered cities' estimate (`estimate_at_scope`: region_code, service, supply at the scope's level), plus the
    list's supply. At the scope's level: the covered regions take the list's supply. Finer (counties of a covered
    city): each takes its own facilities' supply, unless some facility names only the city, when the estimate
    stays (the source says so).
    """
    cover, facilities = covered(facilities, scope), _plain(facilities)
    rank = LEVELS.index(level) - LEVELS.index(scope)
    if rank < 0:
        est = estimate_at_scope.unique(["region_code", "service"]).select(
            pl.col("region_code").alias("scope_code"), "service", pl.col("supply").alias("estimate")
        )
        delta = (
            cover.join(est, on=["scope_code", "service"], how="left")
            .with_columns(region_at_level(pl.col("scope_code"), level).alias("region_code"))
            .group_by("region_code", "service")
            .agg(
                (pl.col("supply") - pl.col("estimate").fill_null(0)).sum().alias("_delta"),
                pl.col("scope_code").sort().str.join(", ").alias("_codes"),
            )
        )
        merged = rows.join(delta, on=["region_code", "service"], how="left")
        source = pl.format("facility list for {}; estimate for the rest", pl.col("_codes"))
        return merged.with_columns(
            (pl.col("supply") + pl.col("_delta").fill_null(0)).alias("supply"),
            pl.when(pl.col("_delta").is_not_null())
            .then(source)
            .otherwise(pl.col("supply_source"))
            .alias("supply_source"),
        ).drop("_delta", "_codes")
    placed = facilities.with_columns(
        region_at_level(pl.col("region_code"), level).alias("at_level"),
        region_at_level(pl.col("region_code"), scope).alias("scope_code"),
    )
    known = set(rows["region_code"].unique().to_list())
    unplaceable = (
        placed.filter(~pl.col("at_level").is_in(sorted(known))).select("scope_code", "service").unique()
        if rank > 0
        else placed.head(0).select("scope_code", "service")
    )
    own = (
        placed.join(unplaceable, on=["scope_code", "service"], how="anti")
        .group_by("at_level", "service")
        .agg(pl.col("capacity").sum().alias("_own"))
        .rename({"at_level": "region_code"})
    )
    replaced_pairs = cover.join(unplaceable, on=["scope_code", "service"], how="anti").select("scope_code", "service")
    merged = rows.with_columns(region_at_level(pl.col("region_code"), scope).alias("scope_code"))
    merged = merged.join(
        replaced_pairs.with_columns(pl.lit(True).alias("_covered")), on=["scope_code", "service"], how="left"
    ).join(own, on=["region_code", "service"], how="left")
    kept = pl.format("{} (the facility list gives only the {} total)", pl.col("supply_source"), pl.lit(scope))
    unplaced = merged.join(
        unplaceable.with_columns(pl.lit(True).alias("_unplaced")), on=["scope_code", "service"], how="left"
    )
    return unplaced.with_columns(
        pl.when(pl.col("_covered")).then(pl.col("_own").fill_null(0)).otherwise(pl.col("supply")).alias("supply"),
        pl.when(pl.col("_covered"))
        .then(pl.lit(SOURCE_FACILITIES))
        .when(pl.col("_unplaced"))
        .then(kept)
        .otherwise(pl.col("supply_source"))
        .alias("supply_source"),
    ).drop("scope_code", "_covered", "_own", "_unplaced")


def replacement_summary(facilities: pl.DataFrame, scope: str, estimate_at_scope: pl.DataFrame) -> pl.DataFrame:
    """What a list replaced: per scope region and service, its facilities, their supply, the estimate they
    replace and the list's supply as a share of it (a low share can mean a list that is not complete);
    everything else remains estimated."""
    est = estimate_at_scope.unique(["region_code", "service"]).select(
        pl.col("region_code").alias("scope_code"), "service", pl.col("supply").alias("estimate_replaced")
    )
    return (
        covered(facilities, scope)
        .join(est, on=["scope_code", "service"], how="left")
        .rename({"scope_code": "region_code", "supply": "facility_list_supply"})
        .with_columns(
            pl.when(pl.col("estimate_replaced") > 0)
            .then(pl.col("facility_list_supply") / pl.col("estimate_replaced"))
            .alias("list_share_of_estimate")
        )
    )


INCOMPLETE_SHARE = 0.5  # a list holding less than half the estimate it replaces is flagged as possibly incomplete


def share_of_estimate(share: float) -> str:
    """A list's share of the estimate it replaces as a percentage: one decimal under 10 %, so a list holding 0.4 %
    of it does not read as 0 %, as if it held nothing."""
    return f"{share:.1%}" if share < 0.1 else f"{share:.0%}"


def possibly_incomplete(summary: pl.DataFrame) -> list[str]:
    """A warning for each region and service whose list holds under half the estimate it replaces."""
    low = summary.filter(pl.col("list_share_of_estimate") < INCOMPLETE_SHARE)
    return [
        f"{code} {service}: the list holds {share_of_estimate(share)} of the estimated supply it replaces"
        f" ({listed:,.0f} of {estimate:,.0f}); a list is taken as the region's whole supply, so a partial list makes"
        " the shortage look larger"
        for code, service, share, listed, estimate in low.select(
            "region_code", "service", "list_share_of_estimate", "facility_list_supply", "estimate_replaced"
        ).iter_rows()
    ]


def coordinates_without_system(facilities: pl.DataFrame, lines: Sequence[int] | None = None) -> tuple[str, str] | None:
    """A note (Chinese, English) when rows give coordinates but no coordinate system (坐标系): they are read as
    WGS-84, as given, and would be a few hundred metres off if read off a GCJ-02 or BD-09 map; None when every row
    with coordinates names its system. `lines`: each row's line in the file, to name the first five."""
    if "coord_system" not in facilities.columns:
        return None
    unknown = (facilities["lon"].is_not_null() & facilities["coord_system"].is_null()).arg_true().to_list()
    if not unknown:
        return None
    numbers = [str(lines[i] if lines is not None else i + 1) for i in unknown[:5]]
    more = "…" if len(unknown) > 5 else ""
    word = "row" if len(unknown) == 1 else "rows"  # the sheet's row numbers, as the upload's refusals name them
    where_zh, where_en = (
        (f"第 {'、'.join(numbers)}{more} 行", f"{word} {', '.join(numbers)}{more}") if lines is not None else ("", "")
    )
    zh = (
        f"{len(unknown)} 行给出经纬度但未注明坐标系{f'（{where_zh}）' if where_zh else ''}：已按 WGS-84 原样读取，"
        "未作转换。若坐标取自高德、腾讯地图（GCJ-02）或百度地图（BD-09），会偏差数百米，请在“坐标系”列注明。"
    )
    en = (
        f"{len(unknown)} {word} {'gives' if len(unknown) == 1 else 'give'} coordinates without a coordinate system"
        f"{f' ({where_en})' if where_en else ''}:"
        " read as WGS-84, as given, not converted. Coordinates read off Gaode or Tencent maps (GCJ-02) or Baidu maps"
        " (BD-09) are then a few hundred metres off: name the system in a 坐标系 (coord_system) column."
    )
    return zh, en
