"""The provinces' out-migrants fitted to the census figures that ship (census_out_migrants_2020.csv)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from changzhu.data.census import FILES_DIR, OUT_MIGRANTS_FILE, census_2020, read_out_migrants
from changzhu.data.errors import DataFileError
from changzhu.fiscal.population import province_bases
from changzhu.geography import calibrate_origins


def test_each_province_with_a_census_figure_sends_that_many_and_the_table_keeps_every_census_total() -> None:
    census = census_2020()
    known = census.out_migrants
    bases, od = province_bases(census.provinces)
    out = dict(zip(bases["region_code"].to_list(), bases["out_migrants_est"].to_list(), strict=True))
    basis = dict(zip(bases["region_code"].to_list(), bases["out_migrants_basis"].to_list(), strict=True))
    for code, value, bound in known.select("code", "out_migrants_2020", "bound").iter_rows():
        if bound == "exact":
            assert out[code] == pytest.approx(value, rel=1e-9), code
            assert basis[code] == "census_2020"
        else:  # the source says "more than": never below it
            assert out[code] >= value * (1 - 1e-9), code
    assert basis["440000"] == "gravity_model"
    # every destination keeps the census's in-migrants, so the table's total is the census's
    inflow = od.group_by("destination_code").agg(pl.col("migrants_est").sum())
    codes, in_migrants = census.provinces["code"].to_list(), census.provinces["interprov_in_migrants_2020"].to_list()
    census_in = dict(zip(codes, in_migrants, strict=True))
    for code, migrants in inflow.iter_rows():
        assert migrants == pytest.approx(census_in[code], rel=1e-9), code
    assert bases["out_migrants_est"].sum() == pytest.approx(sum(census_in.values()), rel=1e-12)
    assert bases["registered_est"].sum() == pytest.approx(bases["resident"].sum(), rel=1e-12)
    assert od["migrants_est"].min() >= 0


def test_henan_comes_out_as_the_census_says_and_the_gravity_model_alone_did_not() -> None:
    """docs/fiscal.md: the gravity model alone gave 河南 12.0 M against the census's 16.10 M (−25 %)."""
    provinces = census_2020().provinces
    empty = census_2020().out_migrants.clear()
    model_only, _ = province_bases(provinces, out_migrants=empty)
    fitted, _ = province_bases(provinces)
    henan = "410000"
    before = model_only.filter(pl.col("region_code") == henan)["out_migrants_est"].item()
    after = fitted.filter(pl.col("region_code") == henan)["out_migrants_est"].item()
    assert before < 0.8 * 16_100_000 and after == pytest.approx(16_100_000, rel=1e-9)
    assert set(model_only["out_migrants_basis"].to_list()) == {"gravity_model"}


def test_calibration_meets_exact_figures_raises_lower_bounds_only_when_short_and_keeps_the_rest_in_proportion() -> None:
    flows = np.array(
        [
            [0.0, 10.0, 20.0, 30.0],
            [40.0, 0.0, 10.0, 10.0],
            [30.0, 30.0, 0.0, 40.0],
            [20.0, 20.0, 60.0, 0.0],
        ]
    )
    groups = np.array(["a", "b", "c", "d"])
    fitted = calibrate_origins(flows, groups, {"a": (120.0, True), "b": (70.0, False)})
    np.testing.assert_allclose(fitted.sum(axis=1), flows.sum(axis=1))
    sent = fitted.sum(axis=0)
    assert sent[0] == pytest.approx(120.0) and sent[1] >= 70.0 - 1e-6
    assert fitted[np.eye(4, dtype=bool)].max() == 0  # no one migrates to their own province
    # a lower bound the model already meets changes nothing by itself
    loose = calibrate_origins(flows, groups, {"b": (1.0, False)})
    np.testing.assert_allclose(loose, flows)
    with pytest.raises(ValueError, match="exceed"):
        calibrate_origins(flows, groups, {"a": (flows.sum() + 1, True)})
    with pytest.raises(ValueError, match="no region"):
        calibrate_origins(flows, groups, {"z": (1.0, True)})


def _copy_files(tmp_path: Path) -> Path:
    for name in ("china_provinces.csv", OUT_MIGRANTS_FILE):
        shutil.copy(FILES_DIR / name, tmp_path / name)
    return tmp_path


def test_the_out_migrant_file_names_its_source_and_refuses_a_bound_it_does_not_know(tmp_path: Path) -> None:
    known = census_2020().out_migrants
    assert known["source_url"].str.starts_with("http").all() and known["table"].str.len_chars().min() > 0
    folder = _copy_files(tmp_path)
    path = folder / OUT_MIGRANTS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace(",lower,", ",about,", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="bound 'about'"):
        read_out_migrants(census_2020().provinces, folder)
    path.write_text(path.read_text(encoding="utf-8").replace("410000,河南省", "410000,河北省", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="not a province"):
        read_out_migrants(census_2020().provinces, folder)
