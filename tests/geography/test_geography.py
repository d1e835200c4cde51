"""One geography: haversine distances, the gravity model of migrant origins, population bases."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.geography import (
    GravityModel,
    UnknownFigureWarning,
    draw_origins,
    haversine_km,
    interprovincial_flows,
    pairwise_km,
    population_bases,
    with_intrazonal,
)
from changzhu.parameters import Scenario
from changzhu.planning.population import census_table

BEIJING = (116.4074, 39.9042)
SHANGHAI = (121.4737, 31.2304)


def test_haversine_against_known_distances() -> None:
    d = haversine_km([BEIJING[0]], [BEIJING[1]], [SHANGHAI[0], BEIJING[0]], [SHANGHAI[1], BEIJING[1]])
    assert d.shape == (1, 2)
    assert d[0, 0] == pytest.approx(1067.0, abs=5.0)  # Beijing–Shanghai great circle, about 1,067 km
    assert d[0, 1] == 0.0
    quarter = haversine_km([0.0], [0.0], [90.0], [0.0])[0, 0]
    assert quarter == pytest.approx(np.pi / 2 * 6371.0)
    square = pairwise_km([0.0, 1.0, 2.0], [0.0, 0.0, 0.0])
    assert np.allclose(square, square.T)


def test_gravity_flows_keep_destination_totals_and_follow_the_formula() -> None:
    model = GravityModel(mass_exponent=1.0, distance_exponent=1.0, min_distance_km=50.0)
    distance = np.array([[0, 100, 200], [100, 0, 100], [200, 100, 0]], dtype=float)
    allowed = ~np.eye(3, dtype=bool)
    flows = model.flows(np.array([10.0, 0.0, 30.0]), np.ones(3), distance, allowed)
    assert flows.sum(axis=1) == pytest.approx([10.0, 0.0, 30.0])
    assert np.all(np.diag(flows) == 0)
    assert flows[0, 1] == pytest.approx(10 * (1 / 100) / (1 / 100 + 1 / 200))
    with pytest.raises(ValueError, match="destination row 0 has in-migrants but no possible origin"):
        model.flows(np.array([5.0, 0.0, 0.0]), np.zeros(3), distance, allowed)


def test_gravity_parameters_come_from_the_tree_and_scenarios() -> None:
    assert GravityModel.from_tree() == GravityModel(1.0, 1.0, 50.0)
    reform = Scenario.from_overrides({"geography.gravity.distance_exponent": 2.0}, "gamma-2")
    assert GravityModel.from_tree(scenario=reform).distance_exponent == 2.0
    bases, _ = population_bases(census_table("province"), GravityModel.from_tree(scenario=reform))
    hebei = bases.row(bases["region_code"].to_list().index("130000"), named=True)
    base, _ = population_bases(census_table("province"))
    assert (
        hebei["out_migrants_est"]
        > base.row(base["region_code"].to_list().index("130000"), named=True)["out_migrants_est"]
    )  # a steeper distance decay sends more of Beijing's and Tianjin's migrants to their neighbour


def test_intrazonal_distance_and_drawing() -> None:
    distance = np.array([[0, 40, 300], [40, 0, 100], [300, 100, 0]], dtype=float)
    same = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=bool)
    inner = with_intrazonal(distance, same, 10.0)
    assert np.diag(inner) == pytest.approx([20.0, 20.0, 10.0])
    cumulative = np.array([1.0, 1.0, 3.0])
    assert draw_origins(cumulative, np.array([0.0, 0.34, 0.99])).tolist() == [0, 2, 2]


def test_population_bases_on_the_census() -> None:
    frame = census_table("province")
    bases, flows = population_bases(frame)
    assert bases.height == 31
    assert bases["registered_est"].sum() == pytest.approx(bases["resident"].sum())
    assert (bases["local_hukou_resident"] == bases["resident"] - bases["interprov_in_migrants"]).all()
    assert flows.sum() == pytest.approx(float(frame["interprov_in_migrants_2020"].sum()))
    gd = bases.row(bases["region_code"].to_list().index("440000"), named=True)
    henan = bases.row(bases["region_code"].to_list().index("410000"), named=True)
    assert gd["registered_est"] < gd["resident"]  # the largest inflow province
    assert henan["registered_est"] > henan["resident"]  # a large outflow province
    lon, lat = frame["centroid_lon"].to_numpy(), frame["centroid_lat"].to_numpy()
    same = interprovincial_flows(
        lon,
        lat,
        frame["pop_rural_2020"].to_numpy().astype(float),
        frame["interprov_in_migrants_2020"].to_numpy().astype(float),
        frame["code"].to_numpy(),
    )
    assert same.sum() == pytest.approx(flows.sum())
    assert census_2020().provinces.height == 31


def test_a_region_whose_figure_is_unknown_is_left_out_of_the_flows_and_named() -> None:
    """Unknown is never zero: 河南 with its rural residents unknown would send no one, 广东 with its in-migrants
    unknown would receive no one. Both are left out of the flows and the bases, named in the warning, and the other
    regions' estimates are those of the table without them (河南's census out-migrant figure is then not fitted)."""
    frame = census_table("province")
    unknown = frame.with_columns(
        pl.when(pl.col("code") == "410000").then(None).otherwise(pl.col("pop_rural_2020")).alias("pop_rural_2020"),
        pl.when(pl.col("code") == "440000")
        .then(None)
        .otherwise(pl.col("interprov_in_migrants_2020"))
        .alias("interprov_in_migrants_2020"),
    )
    known = census_2020().out_migrants
    with pytest.warns(UnknownFigureWarning) as caught:
        bases, flows = population_bases(unknown, out_migrants=known)
    said = str(caught[0].message)
    assert "河南省 (410000): rural residents" in said and "广东省（440000）：跨省流入人口" in said
    assert bases.height == 29 and not {"410000", "440000"} & set(bases["region_code"].to_list())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        without, flows_without = population_bases(
            frame.filter(~pl.col("code").is_in(["410000", "440000"])),
            out_migrants=known.filter(pl.col("code") != "410000"),
        )
    assert bases.equals(without) and np.array_equal(flows, flows_without)
    assert bases["out_migrants_est"].is_not_null().all() and not np.isnan(flows).any()
