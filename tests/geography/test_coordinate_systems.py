"""Map coordinates of Chinese web maps (GCJ-02, BD-09) to WGS-84 and back: the published pairs, and a round trip
exact to 10⁻⁶° anywhere in China."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.data.coordinate_systems import CoordinateSystem, from_wgs84, to_wgs84

# googollee/eviltransform python/test.py: (WGS-84 lat, lon, GCJ-02 lat, lon)
EVILTRANSFORM_PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize(("wgs_lat", "wgs_lon", "gcj_lat", "gcj_lon"), EVILTRANSFORM_PAIRS)
def test_gcj02_matches_the_published_pairs_both_ways(
    wgs_lat: float, wgs_lon: float, gcj_lat: float, gcj_lon: float
) -> None:
    lon, lat = from_wgs84([wgs_lon], [wgs_lat], CoordinateSystem.GCJ02)
    assert (lon[0], lat[0]) == pytest.approx((gcj_lon, gcj_lat), abs=1e-6)
    lon, lat = to_wgs84([gcj_lon], [gcj_lat], CoordinateSystem.GCJ02)
    assert (lon[0], lat[0]) == pytest.approx((wgs_lon, wgs_lat), abs=1e-6)


def test_bd09_matches_the_published_pair() -> None:
    """wandergis/coordtransform test/app.js at (116.404, 39.915): wgs84togcj02 [116.41024449916938,
    39.91640428150164], gcj02tobd09 [116.41036949371029, 39.92133699351021]; bd09togcj02 [116.39762729119315,
    39.90865673957631] is Baidu's approximate inverse, which the exact one here differs from by under 10⁻⁵°."""
    assert [float(v[0]) for v in from_wgs84([116.404], [39.915], CoordinateSystem.GCJ02)] == pytest.approx(
        [116.41024449916938, 39.91640428150164], abs=1e-9
    )
    gcj_of_bd = to_wgs84([116.404], [39.915], CoordinateSystem.GCJ02)  # the point whose GCJ-02 is (116.404, 39.915)
    lon, lat = from_wgs84(*gcj_of_bd, CoordinateSystem.BD09)
    assert (lon[0], lat[0]) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    wgs = to_wgs84([116.404], [39.915], CoordinateSystem.BD09)
    gcj = from_wgs84(*wgs, CoordinateSystem.GCJ02)
    assert (gcj[0][0], gcj[1][0]) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-5)


def test_wgs84_is_kept_and_points_outside_china_are_not_offset() -> None:
    for system in CoordinateSystem:
        lon, lat = to_wgs84([2.35, 116.4], [48.85, 39.9], system)  # Paris, Beijing
        assert (lon[0], lat[0]) == (2.35, 48.85)
        assert (system == CoordinateSystem.WGS84) == ((lon[1], lat[1]) == (116.4, 39.9))


@settings(max_examples=200, deadline=None)
@given(
    lon=st.floats(min_value=73.5, max_value=135.0, allow_nan=False),
    lat=st.floats(min_value=3.9, max_value=53.5, allow_nan=False),
    system=st.sampled_from(list(CoordinateSystem)),
)
def test_round_trip_within_a_millionth_of_a_degree(lon: float, lat: float, system: CoordinateSystem) -> None:
    shown = from_wgs84([lon], [lat], system)
    back = to_wgs84(*shown, system)
    assert np.abs(back[0][0] - lon) < 1e-6 and np.abs(back[1][0] - lat) < 1e-6
    given_in_system = to_wgs84([lon], [lat], system)
    again = from_wgs84(*given_in_system, system)
    assert np.abs(again[0][0] - lon) < 1e-6 and np.abs(again[1][0] - lat) < 1e-6
    if system != CoordinateSystem.WGS84:  # the offset is real: 10 m to 2 km
        assert 1e-4 < max(abs(shown[0][0] - lon), abs(shown[1][0] - lat)) < 0.03
