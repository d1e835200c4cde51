"""What a facility list's upload says beside its rows: the coordinate system each row was read in and converted
from (a preview shows WGS-84 figures), and the unit a service's capacity counts (个学位 / places, 张床位 / beds)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from changzhu.data.coordinate_systems import CoordinateSystem
from changzhu.tables import TableRead, TableSchema, read_table

# a service's unit in the standards file (service_standards.yaml `unit`) as a count reads: zh measure word and noun,
# en plural
COUNT_UNITS: dict[str, tuple[str, str]] = {
    "place": ("个学位", "places"),
    "bed": ("张床位", "beds"),
    "doctor": ("名医师", "doctors"),
    "nurse": ("名护士", "nurses"),
    "teacher": ("名教师", "teachers"),
}
SYSTEM_NAMES = {  # a converted system as the note names it
    CoordinateSystem.GCJ02.value: ("GCJ-02（火星坐标：高德、腾讯）", "GCJ-02 (Gaode, Tencent)"),
    CoordinateSystem.BD09.value: ("BD-09（百度坐标）", "BD-09 (Baidu)"),
}


def systems_as_given(path: Path, schema: TableSchema, read: TableRead) -> dict[int, str]:
    """Each kept row's line -> the coordinate system the file gives for it (before conversion to WGS-84), for
    rows with coordinates and a system: the file read again without the schema's conversions."""
    if "coord_system" not in read.frame.columns:
        return {}
    given = read_table(path, replace(schema, conversions=()), skip_bad_rows=True)
    systems = given.frame.select(pl.col("coord_system").cast(pl.String), pl.col("lon").is_not_null())
    kept = set(read.lines)
    return {
        line: system
        for line, (system, located) in zip(given.lines, systems.iter_rows(), strict=True)
        if line in kept and system is not None and located
    }


def conversion_notes(systems: dict[int, str]) -> list[tuple[str, str]]:
    """For each system converted from: how many rows were read in it and made WGS-84, and on which lines
    (Chinese, English)."""
    notes = []
    for system, (zh_name, en_name) in SYSTEM_NAMES.items():
        lines = sorted(line for line, given in systems.items() if given == system)
        if not lines:
            continue
        more = "…" if len(lines) > 5 else ""
        word = "row" if len(lines) == 1 else "rows"
        zh_lines, en_lines = ("、".join(map(str, lines[:5])) + more, ", ".join(map(str, lines[:5])) + more)
        notes.append(
            (
                f"{len(lines)} 行坐标按文件注明的 {zh_name}读取，已转换为 WGS-84（第 {zh_lines} 行）："
                "预览中的经纬度为转换后的值。",
                f"{len(lines)} {word} read as {en_name}, as the file says, and converted to WGS-84 ({word} {en_lines}):"
                " the preview shows the converted longitude and latitude.",
            )
        )
    return notes
