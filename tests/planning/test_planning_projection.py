import numpy as np
import polars as pl
import pytest

from changzhu.data.census import census_2020
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.flags import mega_towns
from changzhu.planning.migration import flow_matrix, migration_balance
from changzhu.planning.projection import growth_summary, project


def test_gravity_reproduces_2020_inflows() -> None:
    regions, stock = flow_matrix("province")
    assert stock.sum(axis=0) == pytest.approx(regions["interprov_in_migrants"].to_numpy())
    assert np.allclose(np.diag(stock), 0)
    balance = migration_balance()
    assert balance["net_migrants_est"].sum() == pytest.approx(0, abs=1)
    assert balance["registered_est"].sum() == pytest.approx(balance["resident"].sum())


def test_planning_and_fiscal_show_one_registered_population() -> None:
    from changzhu.fiscal.population import province_bases

    planning = migration_balance("province").select("region_code", "registered_est", "local_hukou_resident")
    fiscal, _ = province_bases(census_2020().provinces)
    joined = planning.join(fiscal, on="region_code", suffix="_fiscal")
    assert joined.height == 31
    assert joined["registered_est"].to_numpy() == pytest.approx(joined["registered_est_fiscal"].to_numpy())
    assert joined["local_hukou_resident"].to_numpy() == pytest.approx(joined["local_hukou_resident_fiscal"].to_numpy())


def test_projection_starts_at_census_and_migration_nets_out() -> None:
    proj = project("province", years=5)
    start = proj.filter(pl.col("year") == 2020)["population"].sum()
    assert start == pytest.approx(int(census_2020().provinces["pop_resident_2020"].sum()))
    assert sorted(proj["year"].unique().to_list()) == list(range(2020, 2026))
    growth = growth_summary(proj)
    assert set(growth["trend"].unique().to_list()) == {"grows", "shrinks"}
    gd = growth.filter(pl.col("region_code") == "440000")["trend"].item()
    assert gd == "grows"
    with pytest.raises(PlanningInputError):
        project("province", years=0)


def test_mega_towns_flag_dongguan_not_districts() -> None:
    towns = mega_towns()
    assert "441900" in towns["region_code"].to_list()
    assert (towns["unit_kind"] != "district").all()
    assert (towns["pop_resident_2020"] >= 1_000_000).all()
