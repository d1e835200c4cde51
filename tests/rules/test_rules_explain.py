"""explain() and the CLI: the Shanghai migrant family and its move to Suzhou (长三角 互认)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from changzhu.cli.main import app
from changzhu.domain.services import Service
from changzhu.rules import PersonNotFound, explain
from changzhu.rules.examples import load_example


def test_child_in_shanghai_waits_for_the_parents_permit() -> None:
    case = load_example("shanghai-migrant")[0]
    result = explain(case.people, case.on, person_id=2)
    school = next(s for s in result.services if s.service == Service.COMPULSORY_SCHOOLING.value)
    assert not school.eligible and school.earliest == date(2026, 11, 20)
    failed = [c for c in school.conditions if c.kind != "group" and not c.passed]
    assert any("居住证" in c.label and c.earliest == date(2026, 11, 20) for c in failed)
    parent = explain(case.people, case.on, person_id=1, services=[Service.RESIDENCE_PERMIT])
    permit = parent.services[0]
    si = next(c for c in permit.conditions if c.parameter == "shanghai.permit.min_si_months")
    assert si.value == "4 months" and si.missing == "2 more months" and si.earliest == date(2026, 11, 20)
    assert si.parameter_source and "沪府令" in si.parameter_source


def test_moved_family_keeps_recognised_months_in_suzhou() -> None:
    case = load_example("shanghai-migrant")[1]
    result = explain(case.people, case.on, person_id=1)
    assert result.recognition is not None and "+28 months" in result.recognition
    decided = {s.service: s.eligible for s in result.services}
    assert decided["residence_permit"] and decided["residence_registration_settlement"]
    child = explain(case.people, case.on, person_id=2)
    assert next(s for s in child.services if s.service == "compulsory_schooling").eligible


def test_to_dict_is_json() -> None:
    case = load_example("shanghai-migrant")[0]
    data = explain(case.people, case.on, person_id=1).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert data["services"][0]["conditions"] and "2026-11-20" in text
    assert data["points"][0]["scheme"] == "shanghai_residence_points"


def test_unknown_person() -> None:
    case = load_example("shanghai-migrant")[0]
    with pytest.raises(PersonNotFound):
        explain(case.people, case.on, person_id=77)


def test_cli_explain_example_and_check() -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["explain", "--example", "shanghai-migrant"])
    assert out.exit_code == 0, out.output
    assert "not yet — eligible from 2026-11-20" in out.output and "苏州市" in out.output
    checked = runner.invoke(app, ["check"])
    assert checked.exit_code == 0, checked.output
    assert "expectations hold" in checked.output
