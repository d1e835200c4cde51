"""Shipped policy tests, policy-file errors and dated parameters."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from changzhu.rules import PolicyError, run_policy_tests
from changzhu.rules.catalog import POLICY_DIR, load_policy_dir, resolve, shipped_policies


def test_every_shipped_policy_test_passes_and_cites_a_source() -> None:
    results = run_policy_tests()
    files = {r.file for r in results}
    assert {"000000.yaml", "110100.yaml", "310100.yaml", "440100.yaml", "510100.yaml"} <= files
    failed = [r for r in results if not r.passed]
    assert not failed, failed
    assert all(r.source.strip() for r in results)


def test_every_jurisdiction_has_policy_tests() -> None:
    tested = {p.stem for p in (POLICY_DIR / "tests").glob("*.yaml")}
    assert set(shipped_policies().jurisdictions) <= tested


def test_every_parameter_value_cites_a_source() -> None:
    for j in shipped_policies().jurisdictions.values():
        for p in j.parameters.values():
            for v in p.values:
                assert len(v.source) > 10, (j.code, p.key)


def test_dated_parameter_gives_the_value_in_force() -> None:
    policy = resolve(shipped_policies(), ("000000", "310100"), None)
    _, dated = policy.value("minimum_living_allowance.standard_yuan_month", date(2024, 5, 1))
    assert dated.value == 1510  # Shanghai's value overrides the national one
    with pytest.raises(PolicyError, match="no value in force"):
        policy.value("minimum_living_allowance.standard_yuan_month", date(2024, 3, 1))
    _, national = resolve(shipped_policies(), ("000000",), None).value(
        "minimum_living_allowance.standard_yuan_month", date(2024, 5, 1)
    )
    assert national.value == 753


def _copy_policies(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, target)
    return target


def test_unknown_variable_is_rejected_naming_file_and_field(tmp_path: Path) -> None:
    target = _copy_policies(tmp_path)
    path = target / "jurisdictions" / "110100.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "variable: si_local, points_per_year: 3", "variable: si_locale, points_per_year: 3"
        )
    )
    with pytest.raises(PolicyError, match=r"110100.yaml: points_schemes.beijing_settlement_points.indicators\[0\]"):
        load_policy_dir(target)


def test_undefined_parameter_is_rejected(tmp_path: Path) -> None:
    target = _copy_policies(tmp_path)
    path = target / "jurisdictions" / "510100.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("param: chengdu.points.min_si_years", "param: chengdu.points.no_such")
    )
    with pytest.raises(PolicyError, match="chengdu.points.no_such"):
        load_policy_dir(target)


def test_parameter_without_source_is_rejected(tmp_path: Path) -> None:
    target = _copy_policies(tmp_path)
    path = target / "jurisdictions" / "440100.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("        source: 《广州市积分制服务管理规定》(穗府办规〔2020〕) annual line")
    end = text.index("\n", start)
    path.write_text(text[:start] + '        source: ""' + text[end:])
    with pytest.raises(PolicyError, match="source must name"):
        load_policy_dir(target)


def test_national_baseline_has_a_rule_for_every_service() -> None:
    from changzhu.domain.services import Service

    assert set(shipped_policies().jurisdictions["000000"].services) == set(Service)
