"""A scale's linear piece (`per_year`, `floor`): Dongguan's "46 起每岁减3" written as one bracket scores every age as
the one-bracket-per-year table did, in the interval engine and in the compiled kernels (by table and bracket by
bracket), and an unknown value spans the piece's whole range."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from changzhu.rules import codegen, evaluate
from changzhu.rules.catalog import load_policy_dir, policies_in_use, resolve
from changzhu.rules.errors import PolicyError
from changzhu.rules.indicators import Bracket, Scale
from changzhu.rules.people import people_from_records

ON = date(2026, 6, 1)
POLICIES = Path(__file__).parents[2] / "src" / "changzhu" / "rules" / "policies"
COLUMN = "points_dongguan_settlement_points"


def _table_points(age: int) -> float:
    """The age points of the one-bracket-per-year table the piece replaced (18–35: 5, 36–45: 1, from 46 −3 each year,
    which the table stopped at 60 and the piece continues past it)."""
    return 5.0 if 18 <= age <= 35 else 1.0 if 36 <= age <= 45 else -3.0 * (age - 45) if age >= 46 else 0.0


def _people() -> pl.DataFrame:
    base = yaml.safe_load((POLICIES / "tests" / "441900.yaml").read_text(encoding="utf-8"))["base"]
    ages = range(16, 71)
    born = [{**base, "person_id": age, "birth_date": date(ON.year - age, 1, 1)} for age in ages]
    return people_from_records(born, "test")


def _dongguan_age() -> Scale:
    policies = policies_in_use()
    scheme = resolve(policies, policies.chain_for("441900"), None).schemes["dongguan_settlement_points"]
    return next(i for i in scheme.indicators if isinstance(i, Scale))


def test_the_piece_scores_every_age_as_the_yearly_table_did(monkeypatch: pytest.MonkeyPatch) -> None:
    people = _people()
    full = evaluate(people, ON)
    fast = evaluate(people, ON, earliest=False)
    monkeypatch.setattr(codegen, "SCALE_TABLE_MAX", 0)
    by_bracket = evaluate(people, ON, earliest=False)

    at_30 = full.filter(pl.col("person_id") == 30)[COLUMN][0] - 5.0
    assert [p - at_30 for p in full[COLUMN].to_list()] == [_table_points(a) for a in full["person_id"]]
    for other in (fast, by_bracket):
        for column in (COLUMN, f"points_low_{COLUMN[7:]}", f"points_high_{COLUMN[7:]}"):
            assert other[column].equals(full[column]), column


def test_a_floor_bounds_the_piece_and_needs_a_step() -> None:
    policy = resolve(policies_in_use(), policies_in_use().chain_for("441900"), None)
    piece = Bracket(46, 70, -3.0, -3.0, -30.0)
    assert piece.by_year(policy, ON)[:3] == [-3.0, -6.0, -9.0] and piece.by_year(policy, ON)[-1] == -30.0
    assert Bracket(1, 3, 2.0).by_year(policy, ON) == [2.0, 2.0, 2.0]
    age = _dongguan_age()
    assert [b.per_year for b in age.brackets] == [None, None, -3.0]
    assert age.unknown_range(policy, ON) == (-255.0, 5.0)  # an unknown age spans the whole piece, to 130
    assert np.isclose(sum(Bracket(46, 60, -3.0, -3.0).by_year(policy, ON)), -3.0 * sum(range(1, 16)))


def test_a_floor_without_a_step_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "policies"
    (root / "jurisdictions").mkdir(parents=True)
    shutil.copytree(POLICIES / "agreements", root / "agreements")
    shutil.copy(POLICIES / "jurisdictions" / "000000.yaml", root / "jurisdictions")
    text = (POLICIES / "jurisdictions" / "441900.yaml").read_text(encoding="utf-8")
    broken = text.replace("{min: 36, max: 45, points: 1}", "{min: 36, max: 45, points: 1, floor: 0}")
    assert broken != text
    (root / "jurisdictions" / "441900.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(PolicyError, match="per_year"):
        load_policy_dir(root)
