"""Province boundaries (simplified GeoJSON, 31 provinces plus Hong Kong and Macao)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from changzhu.data.errors import DataFileError

FILES_DIR = Path(__file__).parent / "files"
PROVINCES_GEOJSON = "china_provinces.geojson"


def read_province_geojson(files_dir: Path = FILES_DIR, province_codes: set[str] | None = None) -> dict[str, Any]:
    """The province FeatureCollection; each census province must have a polygon."""
    path = files_dir / PROVINCES_GEOJSON
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not valid GeoJSON ({exc})") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise DataFileError(path, "not a GeoJSON FeatureCollection")
    codes = set()
    for i, feature in enumerate(collection.get("features", [])):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataFileError(path, f"feature {i} has no polygon geometry")
        codes.add(str(feature.get("properties", {}).get("code")))
    if province_codes is not None:
        missing = sorted(province_codes - codes)
        if missing:
            raise DataFileError(path, f"no boundary for province(s) {', '.join(missing)}")
    return dict(collection)


@cache
def province_geojson() -> dict[str, Any]:
    """The shipped province boundaries, read once."""
    return read_province_geojson()
