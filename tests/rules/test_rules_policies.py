"""Shipped policy tests, policy-file errors and dated parameters."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from changzhu.rules import PolicyError
from changzhu.rules.catalog import POLICY_DIR, load_policy_dir, resolve, shipped_policies
from changzhu.rules.policy_tests import case_names, run_policy_test_file

_FILES = sorted((POLICY_DIR / "tests").glob("*.yaml"))
_CASES = [pytest.param(path, name, id=f"{path.stem}: {name}") for path in _FILES for name in case_names(path)]


@pytest.mark.parametrize(("path", "case"), _CASES)
def test_policy_case(path: Path, case: str) -> None:
    """Each shipped policy test case is its own item: its expectations hold and it cites a source."""
    results = run_policy_test_file(path, only=case)
    assert results, f"{case}: no expectations"
    failed = [r for r in results if not r.passed]
    assert not failed, failed
    assert all(r.source.strip() for r in results)


def test_every_shipped_city_has_policy_cases() -> None:
    with_cases = {path.stem for path in _FILES if case_names(path)}
    assert {"000000", "110100", "310100", "440100", "510100"} <= with_cases


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
    start = text.index("        source: 广州市积分制入户年度分数线")
    end = text.index("\n", start)
    path.write_text(text[:start] + '        source: ""' + text[end:])
    with pytest.raises(PolicyError, match="source must name"):
        load_policy_dir(target)


def test_national_baseline_has_a_rule_for_every_service() -> None:
    from changzhu.domain.services import Service

    assert set(shipped_policies().jurisdictions["000000"].services) == set(Service)


def test_a_broken_policy_directory_is_refused_every_time(tmp_path: Path) -> None:
    """Resolved policies are cached by directory and content, not by object: a broken directory loaded just after
    a good one (whose object may be freed and its id reused) is never taken for it."""
    good = _copy_policies(tmp_path / "good")
    broken = _copy_policies(tmp_path / "broken")
    path = broken / "jurisdictions" / "510100.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("param: chengdu.points.min_si_years", "param: chengdu.points.no_such")
    )
    refused = 0
    for _ in range(20):
        load_policy_dir(good)  # dropped at once: its id is free for the next PolicySet
        try:
            load_policy_dir(broken)
        except PolicyError:
            refused += 1
    assert refused == 20


def _new_city(directory: Path, code: str = "440600", name: str = "佛山市") -> None:
    """Add a city to a policy directory: Guangzhou's rules under another code."""
    text = (directory / "jurisdictions" / "440100.yaml").read_text(encoding="utf-8")
    text = text.replace('jurisdiction: "440100"', f'jurisdiction: "{code}"')
    text = text.replace("name_zh: 广州市", f"name_zh: {name}")
    (directory / "jurisdictions" / f"{code}.yaml").write_text(text, encoding="utf-8")


def test_the_policy_directory_in_use_is_read_again_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CHANGZHU_POLICY_DIR moves the policies out of the package; a new city is seen on the next call."""
    from changzhu.rules import catalog
    from changzhu.rules.catalog import policies_in_use

    target = _copy_policies(tmp_path)
    monkeypatch.setenv("CHANGZHU_POLICY_DIR", str(target))
    first = policies_in_use()
    assert "440600" not in first.jurisdictions and policies_in_use() is first  # unchanged: not read again
    _new_city(target)
    second = policies_in_use()
    assert "440600" in second.jurisdictions and second.key != first.key
    assert second.chain_for("440600") == ("000000", "440600")
    assert not [k for k in catalog._resolved_cache if k[0] == first.key]  # the old version's rules are let go
    monkeypatch.setenv("CHANGZHU_POLICY_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(PolicyError, match="no such policy directory"):
        policies_in_use()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      - name: innovation\n", "      - name: employment\n", "already an indicator"),
        ("reason: {zh: 分值未能核实, en: the scale could not be verified}", "reason: 分值未能核实", "need {zh"),
        ("        source: 京政办发〔2020〕9号 第三条 创新创业\n", "", "missing field 'source'"),
    ],
)
def test_a_bad_unmodelled_entry_is_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    target = _copy_policies(tmp_path)
    path = target / "jurisdictions" / "110100.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        load_policy_dir(target)
