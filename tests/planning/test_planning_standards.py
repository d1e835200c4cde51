"""Standards: definitions from service_standards.yaml, dated values and unit costs from the parameter tree."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from changzhu.parameters import Scenario
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.gaps import compute_gaps
from changzhu.planning.standards import load_standards, parse_standards, standards_frame
from changzhu.rules.catalog import shipped_policies


def test_dated_values_and_sources() -> None:
    std = load_standards()
    beds = std["hospital_beds"]
    assert beds.value_on(date(2020, 11, 1)).value == 6.0
    assert beds.value_on(date(2023, 1, 1)).value == 7.4
    assert beds.unit_cost_on(date(2020, 11, 1)).value == 600_000
    assert all(v.source for s in std.values() for v in s.values)
    with pytest.raises(PlanningInputError, match="no value in force on 2010-01-01"):
        beds.value_on(date(2010, 1, 1))


def test_local_override_wins_for_its_region_only(tmp_path: Path) -> None:
    local = tmp_path / "gd.yaml"
    local.write_text(
        "local:\n  '440300':\n    planning.standard.hospital_beds:\n      unit: per_thousand\n"
        "      values: [{since: 2020-01-01, value: 4.5, source: 深圳市 local plan, verified: false}]\n",
        encoding="utf-8",
    )
    std = load_standards(local=local)
    frame = standards_frame(std, ["440300", "440305", "440100"], date(2020, 11, 1))
    beds = {
        r["region_code"]: r["standard_value"] for r in frame.iter_rows(named=True) if r["service"] == "hospital_beds"
    }
    assert beds == {"440300": 4.5, "440305": 4.5, "440100": 6.0}
    local.write_text("overrides: {}\n", encoding="utf-8")
    with pytest.raises(PlanningInputError, match="holds only a 'local' mapping"):
        load_standards(local=local)


def test_a_scenario_changes_a_bed_standard_like_a_rule_parameter() -> None:
    reform = Scenario.from_overrides({"440000": {"planning.standard.hospital_beds": 8.0}}, "beds-8-gd")
    reform.check(shipped_policies().parameter_units())
    base = compute_gaps("province")
    changed = compute_gaps("province", scenario=reform)

    def beds(frame: pl.DataFrame, code: str) -> float:
        row = frame.filter(
            (pl.col("region_code") == code) & (pl.col("service") == "hospital_beds") & (pl.col("basis") == "resident")
        )
        return float(row["demand"].item())

    assert beds(changed, "440000") == pytest.approx(beds(base, "440000") * 8.0 / 6.0)
    assert beds(changed, "320000") == pytest.approx(beds(base, "320000"))
    source = changed.filter((pl.col("region_code") == "440000") & (pl.col("service") == "hospital_beds"))
    assert source["standard_source"].unique().to_list() == ["改革情景“beds-8-gd”的设定"]


def test_a_service_needs_its_parameters_in_the_tree() -> None:
    raw = {
        "services": {
            "x": {
                "title_zh": "x",
                "unit": "bed",
                "group": "all",
                "per": 1000,
                "supply_column": "b",
                "cost_kind": "capital",
            }
        }
    }
    with pytest.raises(PlanningInputError, match=r"services.x: the parameter tree has no planning.standard.x"):
        parse_standards(raw)
    raw["services"]["x"]["cost_kind"] = "sometimes"
    with pytest.raises(PlanningInputError, match="cost_kind 'sometimes' is not capital or annual"):
        parse_standards(raw)
