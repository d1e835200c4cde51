"""Geography: great-circle distances and the one gravity model of migrant origins, used by planning, fiscal and
simulation.

Distances are haversine great-circle distances on a sphere of radius 6371.0 km (the mean Earth radius): exact
for a sphere, within 0.5 % of the ellipsoid, and stable for short distances (unlike the spherical law of
cosines). Region centres are the seat (治所) coordinates where known, else the centroid.

The gravity model splits the migrants living in a destination d by origin o (no origin–destination table ships):

    T_do = D_d · G_do / Σ_o' G_do',    G_do = M_o^α / max(dist_do, d_min)^γ,    o allowed for d

with D_d the census's in-migrants of d (kept exactly), M_o the origin's rural residents (the pool most migrants
come from), α, γ and d_min from the parameter tree (`geography.gravity.*`: α = 1, γ = 1, d_min = 50 km; not
identified by destination totals alone, so every origin total is an ESTIMATE). Why γ = 1 and rural mass: with
γ = 2 about 85 % of Beijing's in-migrants come out of Hebei, and with local-hukou mass urban Jiangsu and
Shandong become top senders; rural mass with γ = 1 puts 河南, 河北, 山东, 安徽, 湖南 first and Hebei at 45 % of
Beijing's in-migrants — still too high (surveys put it near a quarter), which is why it stays an estimate.
Where the out-migrants of an origin province are known (`census_out_migrants_2020.csv`: 河南's census figure, 安徽's
reported 2020 figure; 四川 only "more than 10 million"), `calibrate_origins` fits the estimated table to them by
iterative proportional fitting: each destination keeps its in-migrants, each origin province with a figure sends
exactly that many (at least that many for a lower bound), and the provinces without one share the rest in the
model's proportions. The 2020 figures are used as they are: the fiscal and planning tables are for the census year
(2020-11-01), so no scaling to another year applies. Every other origin total, and the split of each total over
destinations, stays an ESTIMATE.
The distance of a zone to itself is half the distance to its nearest allowed neighbour (the usual intra-zonal
convention), used when a zone may be its own origin (intra-provincial moves between counties of one city).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from changzhu.data.census import CENSUS_DAY
from changzhu.domain import population
from changzhu.domain.lang import Lang
from changzhu.parameters import Scenario, parameter_tree

__all__ = [
    "ESTIMATE_LABEL",
    "GravityModel",
    "UnknownFigureWarning",
    "calibrate_origins",
    "centres",
    "draw_origins",
    "haversine_km",
    "interprovincial_flows",
    "pairwise_km",
    "population_bases",
    "with_intrazonal",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
EARTH_RADIUS_KM = 6371.0
ESTIMATE_LABEL = (
    "estimate: gravity model of migrant origins, fitted to the 2020 out-migrant figures where known (Henan, Anhui; "
    "Sichuan at least 10 million; no origin–destination table ships)"
)
CALIBRATION_TOLERANCE = 1e-9  # relative: an origin group's out-migrants against its census figure
CALIBRATION_ROUNDS = 1000


def haversine_km(lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike) -> FloatArray:
    """Distance matrix (len(points 1) × len(points 2)) in km between points given in degrees."""
    a_lon = np.radians(np.asarray(lon1, dtype=np.float64))[:, None]
    a_lat = np.radians(np.asarray(lat1, dtype=np.float64))[:, None]
    b_lon = np.radians(np.asarray(lon2, dtype=np.float64))[None, :]
    b_lat = np.radians(np.asarray(lat2, dtype=np.float64))[None, :]
    h = np.sin((b_lat - a_lat) / 2) ** 2 + np.cos(a_lat) * np.cos(b_lat) * np.sin((b_lon - a_lon) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


def pairwise_km(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Square matrix of distances between the same points."""
    return haversine_km(lon, lat, lon, lat)


def centres(frame: pl.DataFrame) -> tuple[FloatArray, FloatArray]:
    """Each region's seat coordinates, its centroid where the seat is unknown (lon, lat in degrees)."""
    lon = frame["seat_lon"] if "seat_lon" in frame.columns else frame["centroid_lon"]
    lat = frame["seat_lat"] if "seat_lat" in frame.columns else frame["centroid_lat"]
    if "centroid_lon" in frame.columns:
        lon, lat = lon.fill_null(frame["centroid_lon"]), lat.fill_null(frame["centroid_lat"])
    return lon.to_numpy().astype(np.float64), lat.to_numpy().astype(np.float64)


def with_intrazonal(distance: FloatArray, allowed: BoolArray, fallback_km: float) -> FloatArray:
    """The distances with each zone's distance to itself set to half its nearest allowed neighbour's."""
    out = distance.copy()
    others = np.where(allowed & ~np.eye(distance.shape[0], dtype=bool), distance, np.inf)
    nearest = others.min(axis=1)
    np.fill_diagonal(out, np.where(np.isfinite(nearest), nearest / 2, fallback_km))
    return out


@dataclass(frozen=True)
class GravityModel:
    """G_do = M_o^α / max(dist_do, d_min)^γ; see the module docstring."""

    mass_exponent: float
    distance_exponent: float
    min_distance_km: float

    @classmethod
    def from_tree(cls, on: date = CENSUS_DAY, scenario: Scenario | None = None) -> GravityModel:
        """The parameters in force on `on` (a scenario may override them)."""
        tree = parameter_tree()
        return cls(
            tree.number("geography.gravity.mass_exponent", on, scenario=scenario),
            tree.number("geography.gravity.distance_exponent", on, scenario=scenario),
            tree.number("geography.gravity.min_distance_km", on, scenario=scenario),
        )

    def weights(self, mass: FloatArray, distance_km: FloatArray, allowed: BoolArray) -> FloatArray:
        """G[d, o] for destination rows and origin columns; 0 where o is not an allowed origin of d."""
        g = np.maximum(mass, 0.0)[None, :] ** self.mass_exponent
        g = g / np.maximum(distance_km, self.min_distance_km) ** self.distance_exponent
        return np.where(allowed, g, 0.0)

    def flows(
        self, in_migrants: FloatArray, mass: FloatArray, distance_km: FloatArray, allowed: BoolArray
    ) -> FloatArray:
        """T[d, o]: each destination's in-migrants split over its allowed origins; rows sum to in_migrants."""
        g = self.weights(mass, distance_km, allowed)
        total = g.sum(axis=1)
        stranded = np.flatnonzero((total <= 0) & (in_migrants > 0))
        if stranded.size:
            raise ValueError(
                f"destination row {int(stranded[0])} has in-migrants but no possible origin (every origin mass is 0)"
            )
        return g / np.where(total > 0, total, 1.0)[:, None] * in_migrants[:, None]

    def cumulative(self, mass: FloatArray, distance_km: FloatArray, allowed: BoolArray) -> FloatArray:
        """Row-wise cumulative weights, for drawing an origin per migrant (`draw_origins`)."""
        return np.cumsum(self.weights(mass, distance_km, allowed), axis=1)


def draw_origins(cumulative_row: FloatArray, uniforms: FloatArray) -> npt.NDArray[np.int64]:
    """Origin indices for migrants of one destination, one per uniform draw in [0, 1)."""
    picked = np.searchsorted(cumulative_row, uniforms * cumulative_row[-1], side="right")
    return np.minimum(picked, cumulative_row.size - 1).astype(np.int64)


def interprovincial_flows(
    lon: FloatArray,
    lat: FloatArray,
    rural: FloatArray,
    in_migrants: FloatArray,
    province: npt.ArrayLike,
    model: GravityModel | None = None,
) -> FloatArray:
    """T[d, o]: the inter-provincial in-migrants of each region by region of hukou (an ESTIMATE).

    Origins are regions of other provinces, weighted by their rural residents (`rural`).
    """
    model = model or GravityModel.from_tree()
    prov = np.asarray(province)
    allowed = prov[:, None] != prov[None, :]
    return model.flows(in_migrants, rural, pairwise_km(lon, lat), allowed)


def calibrate_origins(
    flows: FloatArray, origin_group: npt.ArrayLike, targets: dict[str, tuple[float, bool]]
) -> FloatArray:
    """T[d, o] fitted to known out-migrant totals by origin group (the origin's province), keeping every row sum.

    `targets`: group → (figure, exact); exact figures are matched, the others (a census lower bound) are reached
    only where the model falls short of them. Origins of the groups without a figure are scaled together, so they
    keep the model's proportions among themselves and take what the known groups leave of the total.
    """
    if not targets:
        return flows
    groups = np.asarray(origin_group).astype(str)
    members = {group: groups == group for group in targets}
    for group, member in members.items():
        if not member.any():
            raise ValueError(f"out-migrant figure for {group}, which has no region in the table")
    in_migrants = flows.sum(axis=1)
    total = float(in_migrants.sum())
    out = flows.copy()
    for _ in range(CALIBRATION_ROUNDS):
        sent = out.sum(axis=0)
        current = {group: float(sent[member].sum()) for group, member in members.items()}
        fixed = {g: v for g, (v, exact) in targets.items() if exact or current[g] < v}
        if all(abs(current[g] - v) <= CALIBRATION_TOLERANCE * v for g, v in fixed.items()):
            return out
        free = np.ones(groups.size, dtype=bool)
        scale = np.ones(groups.size)
        for group, value in fixed.items():
            if current[group] <= 0:
                raise ValueError(f"the model sends no migrants from {group}, so it cannot be fitted to its figure")
            free &= ~members[group]
            scale[members[group]] = value / current[group]
        rest, free_sent = total - sum(fixed.values()), float(sent[free].sum())
        if rest < 0 or (free_sent <= 0 < rest):
            raise ValueError("the known out-migrant figures exceed the in-migrants the census counts")
        scale[free] = rest / free_sent if free_sent > 0 else 0.0
        out *= scale[None, :]
        rows = out.sum(axis=1)
        out *= np.where(rows > 0, in_migrants / np.where(rows > 0, rows, 1.0), 0.0)[:, None]
    raise ValueError("the origin table did not fit the census out-migrant figures")


def out_migrant_targets(out_migrants: pl.DataFrame | None) -> dict[str, tuple[float, bool]]:
    """The census out-migrant figures (changzhu.data.census.read_out_migrants) as calibrate_origins takes them."""
    if out_migrants is None:
        return {}
    return {
        str(code): (float(value), bound == "exact")
        for code, value, bound in out_migrants.select("code", "out_migrants_2020", "bound").iter_rows()
    }


class UnknownFigureWarning(UserWarning):
    """Regions left out of the migration estimate because a figure it needs is unknown (never taken as zero): said
    in Chinese (`zh`) and English (`en`), for a command's warning line in its language; str() gives both."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(zh, en)  # its arguments, so that it pickles as it was made

    def __str__(self) -> str:
        return f"{self.en} / {self.zh}"

    def text(self, lang: Lang) -> str:
        """The warning in `lang`."""
        return self.zh if lang == Lang.ZH else self.en


# the census figures the gravity model needs of every region: (column, what it is in Chinese, in English)
FLOW_FIGURES = (
    ("interprov_in_migrants_2020", "跨省流入人口", "inter-provincial in-migrants"),
    ("pop_rural_2020", "乡村人口", "rural residents"),
)


def _without_unknown_figures(table: pl.DataFrame) -> pl.Series:
    """Which rows have every figure of FLOW_FIGURES; the others are named in an UnknownFigureWarning."""
    known = pl.all_horizontal(pl.col(column).is_not_null() for column, _zh, _en in FLOW_FIGURES)
    keep = table.select(known.alias("known")).to_series()
    if keep.all():
        return keep
    zh, en = [], []
    for row in table.filter(~keep).iter_rows(named=True):
        missing = [(z, e) for column, z, e in FLOW_FIGURES if row[column] is None]
        zh.append(f"{row['name_zh']}（{row['code']}）：{'、'.join(z for z, _ in missing)}")
        en.append(f"{row['name_zh']} ({row['code']}): {', '.join(e for _, e in missing)}")
    warnings.warn(
        UnknownFigureWarning(
            "以下地区所需的数字未知（不按 0 计），未纳入人口流动估算：" + "；".join(zh),
            "left out of the migration estimate, a figure it needs being unknown (not taken as zero): " + "; ".join(en),
        ),
        stacklevel=3,
    )
    return keep


def population_bases(
    frame: pl.DataFrame, model: GravityModel | None = None, out_migrants: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, FloatArray]:
    """The population bases of one level's regions and the estimated flows T[destination, origin].

    `frame`: census rows with code, name_zh, province_code, pop_resident_2020, pop_rural_2020,
    interprov_in_migrants_2020 and seat or centroid coordinates (rows without coordinates or residents are
    dropped). A region whose in-migrants or rural residents are unknown is left out of the flows and of the bases,
    named in an UnknownFigureWarning: its flows cannot be estimated, and taking the figure as zero would make it
    send or receive no one. `out_migrants`: the census's out-migrant figures by province
    (Census2020.out_migrants), to which the flows are fitted (`calibrate_origins`; a figure of a province no row
    is left for is not fitted); without it the flows are the gravity model's alone. Columns of the result:
    region_code, region_name_zh, province_code and the figures named in changzhu.domain.population.
    """
    lon, lat = centres(frame)
    ok = np.isfinite(lon) & np.isfinite(lat) & frame["pop_resident_2020"].is_not_null().to_numpy()
    table, lon, lat = frame.filter(pl.Series(ok)), lon[ok], lat[ok]
    known = _without_unknown_figures(table).to_numpy()
    table, lon, lat = table.filter(pl.Series(known)), lon[known], lat[known]
    resident = table["pop_resident_2020"].to_numpy().astype(np.float64)
    inflow = table["interprov_in_migrants_2020"].to_numpy().astype(np.float64)
    rural = table["pop_rural_2020"].to_numpy().astype(np.float64)
    province = table["province_code"].to_numpy()
    flows = interprovincial_flows(lon, lat, rural, inflow, province, model)
    present = set(province.astype(str).tolist())
    targets = {group: figure for group, figure in out_migrant_targets(out_migrants).items() if group in present}
    flows = calibrate_origins(flows, province, targets)
    out = flows.sum(axis=0)
    local = resident - inflow
    bases = table.select(
        pl.col("code").alias("region_code"), pl.col("name_zh").alias("region_name_zh"), "province_code"
    ).with_columns(
        pl.Series(population.RESIDENT, resident),
        pl.Series(population.IN_MIGRANTS, inflow),
        pl.Series(population.LOCAL_HUKOU_RESIDENT, local),
        pl.Series(population.OUT_MIGRANTS_EST, out),
        pl.Series(population.REGISTERED_EST, local + out),
    )
    return bases, flows
