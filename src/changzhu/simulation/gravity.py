"""Origin of migrants for the synthetic population: the one gravity model of changzhu.geography, as samplers.

For a destination d, the hukou prefecture o of its migrants is drawn with probability proportional to the
model's G_do (rural residents of o over the distance, exponents from the parameter tree), restricted to
other provinces for 跨省流入 and to the destination's own province for intra-provincial migrants, where a
prefecture may be its own origin (distance to itself: half that to its nearest neighbour in the province). The
totals by destination are the census's; only the split by origin is modelled (an estimate).
"""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.geography import GravityModel, draw_origins, pairwise_km, with_intrazonal
from changzhu.simulation.ipf import FloatArray, IntArray


@dataclass(frozen=True)
class OriginModel:
    """Row-stochastic origin matrices (destination × origin prefecture), as cumulative sums for sampling."""

    interprovincial_cdf: FloatArray
    intraprovincial_cdf: FloatArray

    def draw(self, cdf: FloatArray, destination: int, uniforms: FloatArray) -> IntArray:
        """Origin prefecture indices for migrants living in `destination`, one per uniform draw."""
        return draw_origins(cdf[destination], uniforms)


def origin_model(
    lon: FloatArray,
    lat: FloatArray,
    rural: FloatArray,
    province: IntArray,
    model: GravityModel | None = None,
) -> OriginModel:
    """Origin samplers for inter-provincial and intra-provincial migrants of every prefecture."""
    model = model or GravityModel.from_tree()
    same_province = province[:, None] == province[None, :]
    dist = with_intrazonal(pairwise_km(lon, lat), same_province, model.min_distance_km)
    return OriginModel(
        model.cumulative(rural, dist, ~same_province),
        model.cumulative(rural, dist, same_province),
    )
