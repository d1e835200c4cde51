"""Great-circle distances between points given in degrees (km)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0


def haversine_km(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Distance matrix (len(points 1) × len(points 2)) in km."""
    a_lon, a_lat = (
        np.radians(np.asarray(lon1, dtype=float))[:, None],
        np.radians(np.asarray(lat1, dtype=float))[:, None],
    )
    b_lon, b_lat = (
        np.radians(np.asarray(lon2, dtype=float))[None, :],
        np.radians(np.asarray(lat2, dtype=float))[None, :],
    )
    h = np.sin((b_lat - a_lat) / 2) ** 2 + np.cos(a_lat) * np.cos(b_lat) * np.sin((b_lon - a_lon) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)
