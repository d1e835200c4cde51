"""Origin of migrants: a gravity model (labelled an estimate), since no origin–destination table ships.

For a destination d, the hukou prefecture o of its migrants is drawn with probability proportional to
P_o / D_od^2 (resident population of the origin over the squared great-circle distance between
centroids: the classic gravity form of Zipf, 1946), restricted to other provinces for 跨省流入 and to
the destination's own province for intra-provincial migrants. The distance of a prefecture to itself is
half the distance to its nearest neighbour in the province (the usual intra-zonal convention). The
totals by destination are the census's; only the split by origin is modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from changzhu.simulation.ipf import FloatArray, IntArray

EARTH_RADIUS_KM = 6371.0
DISTANCE_EXPONENT = 2.0
MIN_DISTANCE_KM = 10.0


@dataclass(frozen=True)
class OriginModel:
    """Row-stochastic origin matrices (destination × origin prefecture), as cumulative sums for sampling."""

    interprovincial_cdf: FloatArray
    intraprovincial_cdf: FloatArray

    def draw(self, cdf: FloatArray, destination: int, uniforms: FloatArray) -> IntArray:
        """Origin prefecture indices for migrants living in `destination`, one per uniform draw."""
        row = cdf[destination]
        picked = np.searchsorted(row, uniforms * row[-1], side="right")
        return np.minimum(picked, row.size - 1).astype(np.int64)


def great_circle_km(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Pairwise haversine distances in km between points given in degrees."""
    lam, phi = np.radians(lon), np.radians(lat)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def gravity_weights(population: FloatArray, distance_km: FloatArray) -> FloatArray:
    """P_o / D_od^2 for every destination row d and origin column o."""
    return population[None, :] / np.maximum(distance_km, MIN_DISTANCE_KM) ** DISTANCE_EXPONENT


def origin_model(lon: FloatArray, lat: FloatArray, population: FloatArray, province: IntArray) -> OriginModel:
    """Origin matrices for inter-provincial and intra-provincial migrants of every prefecture."""
    dist = great_circle_km(lon, lat)
    same_province = province[:, None] == province[None, :]
    masked = np.where(same_province & ~np.eye(lon.size, dtype=bool), dist, np.inf)
    nearest = masked.min(axis=1)
    internal = np.where(np.isfinite(nearest), nearest / 2, MIN_DISTANCE_KM)
    np.fill_diagonal(dist, internal)
    weights = gravity_weights(population, dist)
    inter = np.where(same_province, 0.0, weights)
    intra = np.where(same_province, weights, 0.0)
    return OriginModel(np.cumsum(inter, axis=1), np.cumsum(intra, axis=1))
