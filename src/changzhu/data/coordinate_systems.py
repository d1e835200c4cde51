"""Map coordinates of Chinese web maps converted to WGS-84, the coordinate system changzhu keeps (facility lists'
lon/lat, the distances of changzhu.geography).

Maps published in China show points in one of three systems:

- **WGS-84** (GPS, 地球坐标): what a GPS receiver gives; changzhu's own.
- **GCJ-02** (国测局坐标, "火星坐标"): WGS-84 with the obfuscating offset the national surveying bureau
  prescribes for published maps (Gaode/AutoNavi 高德, Tencent 腾讯, Google's China tiles); 100–700 m off.
- **BD-09** (百度坐标): Baidu's further offset of GCJ-02, about another 0.5–1 km.

The formulas are the published ones, not an official specification (GCJ-02's is not public): the forward GCJ-02
offset is the widely published reconstruction on the Krasovsky 1940 ellipsoid (a = 6,378,245 m,
e² = 0.00669342162296594323), as in googollee/eviltransform (python/eviltransform/__init__.py, BSD-2-Clause;
https://github.com/googollee/eviltransform) and wandergis/coordTransform_py; it applies inside the rectangle
72.004–137.8347° E, 0.8293–55.8271° N (elsewhere the systems coincide). BD-09 from GCJ-02 is Baidu's bd_encrypt
(x_pi = π·3000/180), as in the same sources. The inverses (to WGS-84) have no closed form: the published
approximate inverse is the first guess, refined by fixed-point iteration (x ← x − (forward(x) − target), the
Jacobian being within 10⁻⁴ of the identity) until it reproduces the given point to 10⁻¹⁰°, so a round trip is
exact to far below a metre (tests/geography/test_coordinate_systems.py holds it to 10⁻⁶° and checks the
eviltransform test suite's published pairs).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = ["CoordinateSystem", "from_wgs84", "to_wgs84"]

FloatArray = npt.NDArray[np.float64]
Pair = tuple[FloatArray, FloatArray]

_KRASOVSKY_A = 6378245.0  # semi-major axis (m) of the Krasovsky 1940 ellipsoid the published GCJ-02 formula uses
_KRASOVSKY_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0  # Baidu's constant
_CHINA_LON, _CHINA_LAT = (72.004, 137.8347), (0.8293, 55.8271)  # where the published GCJ-02 offset applies
_TOLERANCE_DEG = 1e-10
_MAX_STEPS = 30


class CoordinateSystem(StrEnum):
    """The coordinate systems of maps used in China (the codes a facility list's 坐标系 column holds)."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def _in_china(lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.bool_]:
    return (lon >= _CHINA_LON[0]) & (lon <= _CHINA_LON[1]) & (lat >= _CHINA_LAT[0]) & (lat <= _CHINA_LAT[1])


def _offset(lon: FloatArray, lat: FloatArray) -> Pair:
    """The GCJ-02 offset (d lon, d lat) in degrees at a WGS-84 point."""
    x, y = lon - 105.0, lat - 35.0
    wave = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + wave
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + wave
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = np.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * np.sin(rad) ** 2
    d_lat = d_lat * 180.0 / ((_KRASOVSKY_A * (1.0 - _KRASOVSKY_EE)) / (magic * np.sqrt(magic)) * np.pi)
    d_lon = d_lon * 180.0 / (_KRASOVSKY_A / np.sqrt(magic) * np.cos(rad) * np.pi)
    inside = _in_china(lon, lat)
    return np.where(inside, d_lon, 0.0), np.where(inside, d_lat, 0.0)


def _wgs84_to_gcj02(lon: FloatArray, lat: FloatArray) -> Pair:
    d_lon, d_lat = _offset(lon, lat)
    return lon + d_lon, lat + d_lat


def _gcj02_to_bd09(lon: FloatArray, lat: FloatArray) -> Pair:
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    bd_lon, bd_lat = z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006
    inside = _in_china(lon, lat)
    return np.where(inside, bd_lon, lon), np.where(inside, bd_lat, lat)


def _bd09_guess(lon: FloatArray, lat: FloatArray) -> Pair:
    """Baidu's published approximate inverse (bd_decrypt), about 2·10⁻⁶° off."""
    x, y = lon - 0.0065, lat - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(forward: Callable[[FloatArray, FloatArray], Pair], guess: Pair, lon: FloatArray, lat: FloatArray) -> Pair:
    """The point whose `forward` image is (lon, lat), by fixed-point iteration from `guess`."""
    x, y = guess
    for _ in range(_MAX_STEPS):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if max(np.nanmax(np.abs(ex), initial=0.0), np.nanmax(np.abs(ey), initial=0.0)) <= _TOLERANCE_DEG:
            break
    return x, y


def _gcj02_to_wgs84(lon: FloatArray, lat: FloatArray) -> Pair:
    d_lon, d_lat = _offset(lon, lat)
    return _invert(_wgs84_to_gcj02, (lon - d_lon, lat - d_lat), lon, lat)


def _bd09_to_gcj02(lon: FloatArray, lat: FloatArray) -> Pair:
    return _invert(_gcj02_to_bd09, _bd09_guess(lon, lat), lon, lat)


def to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike, system: CoordinateSystem) -> Pair:
    """Points given in `system` (degrees) as WGS-84 (lon, lat)."""
    x, y = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    match system:
        case CoordinateSystem.WGS84:
            return x, y
        case CoordinateSystem.GCJ02:
            return _gcj02_to_wgs84(x, y)
        case CoordinateSystem.BD09:
            return _gcj02_to_wgs84(*_bd09_to_gcj02(x, y))
    raise AssertionError(system)


def from_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike, system: CoordinateSystem) -> Pair:
    """WGS-84 points (degrees) as `system` shows them (lon, lat): what a map of that system reads at them."""
    x, y = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    match system:
        case CoordinateSystem.WGS84:
            return x, y
        case CoordinateSystem.GCJ02:
            return _wgs84_to_gcj02(x, y)
        case CoordinateSystem.BD09:
            return _gcj02_to_bd09(*_wgs84_to_gcj02(x, y))
    raise AssertionError(system)
