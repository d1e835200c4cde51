from datetime import date
from pathlib import Path

import pytest

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.standards import load_standards, parse_standards, standards_frame


def test_dated_values_and_sources() -> None:
    std = load_standards()
    beds = std["hospital_beds"]
    assert beds.value_on(date(2020, 11, 1)).value == 6.0
    assert beds.value_on(date(2023, 1, 1)).value == 7.4
    assert all(v.source for s in std.values() for v in s.values)
    with pytest.raises(PlanningInputError, match="no value in force"):
        beds.value_on(date(2010, 1, 1))


def test_local_override_wins_for_its_region_only(tmp_path: Path) -> None:
    local = tmp_path / "gd.yaml"
    local.write_text(
        "overrides:\n  hospital_beds:\n    '440300':\n      - {valid_from: 2020-01-01, value: 4.5, "
        "source: 深圳市 local plan, verified: false}\n",
        encoding="utf-8",
    )
    std = load_standards(local=local)
    frame = standards_frame(std, ["440300", "440305", "440100"], date(2020, 11, 1))
    beds = {
        r["region_code"]: r["standard_value"] for r in frame.iter_rows(named=True) if r["service"] == "hospital_beds"
    }
    assert beds == {"440300": 4.5, "440305": 4.5, "440100": 6.0}


def test_standard_without_source_is_refused() -> None:
    raw = {
        "services": {
            "x": {
                "title_zh": "x",
                "unit": "bed",
                "group": "all",
                "per": 1000,
                "supply_column": "b",
                "unit_cost": {"value": 1, "kind": "capital", "source": "s", "verified": False},
                "values": [{"valid_from": date(2020, 1, 1), "value": 1.0, "source": " ", "verified": False}],
            }
        }
    }
    with pytest.raises(PlanningInputError, match=r"services.x.values\[0\]: source is empty"):
        parse_standards(raw)
