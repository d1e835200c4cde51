"""The residence permit's months come from the parameter tree, so a scenario changes them like a rule parameter."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from changzhu.casework.worked_example import example_id
from changzhu.config import shipped_dir
from changzhu.parameters import Scenario, load_scenario
from changzhu.registry.residents import ProofKind, Registration, RegistryError, issue_permit, register_resident


@pytest.fixture(autouse=True)
def identity_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Test keys from the environment, and a scratch data dir (the migrated `engine` is tests/conftest.py's)."""
    monkeypatch.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
    monkeypatch.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
    monkeypatch.setenv("CHANGZHU_DATA_DIR", str(tmp_path / "data"))


def _register(engine: Engine, seq: int, since: date = date(2020, 1, 1)) -> str:
    reg = Registration(
        example_id("510104", date(1990, 1, 1), seq),
        "510100",
        "440300",
        since,
        ProofKind.EMPLOYMENT,
        "contract",
        {},
    )
    return str(register_resident(engine, reg, actor="t", key=f"reg-{seq}")["person_key"])


def test_permit_months_follow_the_scenario(engine: Engine) -> None:
    person = _register(engine, 2)
    with pytest.raises(RegistryError, match="needs 6 months .* 3 months on 2020-04-01"):
        issue_permit(engine, person, date(2020, 4, 1), actor="t")
    shorter = Scenario.from_overrides({"440300": {"residence_permit.min_residence_months": 3}}, "permit-3")
    elsewhere = Scenario.from_overrides({"310100": {"residence_permit.min_residence_months": 3}}, "permit-3-sh")
    with pytest.raises(RegistryError, match="needs 6 months"):
        issue_permit(engine, person, date(2020, 4, 1), actor="t", scenario=elsewhere)
    longer = Scenario.from_overrides({"registry.residence_permit.valid_years": 2}, "two-years")
    both = Scenario("both", shorter.overrides + longer.overrides)
    permit = issue_permit(engine, person, date(2020, 4, 1), actor="t", scenario=both)
    assert permit["expires_on"] == "2022-04-01"


def test_the_shipped_reform_file_changes_the_registry(engine: Engine) -> None:
    reform = load_scenario(shipped_dir("scenarios") / "permit_after_3_months.yaml")
    person = _register(engine, 3)
    with pytest.raises(RegistryError, match="needs 6 months"):  # the reform starts on 2027-01-01
        issue_permit(engine, person, date(2020, 4, 1), actor="t", scenario=reform)
    moved = _register(engine, 4, since=date(2026, 10, 1))
    with pytest.raises(RegistryError, match="needs 6 months"):
        issue_permit(engine, moved, date(2027, 1, 2), actor="t")
    assert issue_permit(engine, moved, date(2027, 1, 2), actor="t", scenario=reform)["expires_on"] == "2028-01-02"
