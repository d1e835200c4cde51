"""The ledger's ages and periods (art. 5's 50/40, art. 6's 10 years, the filings' six months) come from the
parameter tree on the date they apply: a changed tree changes the decision, and a date before a rule is refused."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine

from changzhu.casework.worked_example import example_id
from changzhu.ledger import thresholds
from changzhu.ledger.medical import FilingKind, MedicalError, file_treatment
from changzhu.ledger.pension_rules import drawing_place, needs_temporary_account
from changzhu.parameters import load_tree
from changzhu.parameters.tree import TREE_DIR
from changzhu.registry.residents import ProofKind, Registration, register_resident


def _tree_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, since: str, value: float) -> None:
    """The shipped tree with one more dated value of a ledger key, used by changzhu.ledger.thresholds."""
    copy = tmp_path / "tree"
    shutil.copytree(TREE_DIR, copy)
    raw = yaml.safe_load((copy / "ledger.yaml").read_text(encoding="utf-8"))
    raw["parameters"][key]["values"].append({"since": since, "value": value, "source": "test", "verified": False})
    (copy / "ledger.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    tree = load_tree(copy)
    monkeypatch.setattr(thresholds, "parameter_tree", lambda: tree)


def test_temporary_account_ages_are_dated_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    born = date(1975, 6, 1)
    assert not needs_temporary_account("M", born, date(2024, 6, 1), "440300", "510100")  # 49
    assert needs_temporary_account("M", born, date(2025, 6, 1), "440300", "510100")  # 50
    assert needs_temporary_account("F", date(1984, 6, 1), date(2024, 6, 1), "440300", "510100")  # 40
    assert not needs_temporary_account("M", born, date(2025, 6, 1), "510100", "510100")  # the hukou place
    _tree_with(tmp_path, monkeypatch, "ledger.pension.temporary_account_age.men", "2024-01-01", 45)
    assert not needs_temporary_account("M", born, date(2019, 6, 1), "440300", "510100")  # 44, before the change
    assert needs_temporary_account("M", born, date(2024, 6, 1), "440300", "510100")  # 49 ≥ 45 from 2024


def test_drawing_years_are_a_dated_parameter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paid = {"440300": 119, "510100": 30}
    last = {"440300": 202306, "510100": 201012}
    assert drawing_place("510100", "440300", paid, last, date(2026, 1, 1)).clause == 4
    assert drawing_place("510100", "440300", {**paid, "440300": 120}, last, date(2026, 1, 1)).clause == 2
    _tree_with(tmp_path, monkeypatch, "ledger.pension.drawing_place_min_years", "2025-01-01", 9)
    place = drawing_place("510100", "440300", paid, last, date(2026, 1, 1))
    assert (place.region, place.clause) == ("440300", 2)
    assert "9 years or more" in place.reason_en and "满 9 年" in place.reason_zh
    assert drawing_place("510100", "440300", paid, last, date(2024, 12, 31)).clause == 4


def _person(engine: Engine) -> str:
    reg = Registration(
        example_id("510104", date(1980, 1, 1), 7), "510100", "440300", date(2020, 1, 1), ProofKind.EMPLOYMENT, "c", {}
    )
    return str(register_resident(engine, reg, actor="t", key="reg-thresholds")["person_key"])


def test_filing_periods_are_months_from_the_tree(engine: Engine) -> None:
    person = _person(engine)
    temporary = file_treatment(
        engine, person, "510100", "440300", FilingKind.TEMPORARY, date(2026, 8, 31), actor="t", key="f-1"
    )
    assert temporary["valid_until"] == "2027-02-28"  # six months end on the month's last day (民法典 art. 203)
    file_treatment(engine, person, "510100", "440300", FilingKind.LONG_TERM, date(2026, 1, 15), actor="t", key="f-2")
    with pytest.raises(MedicalError, match="within 6 months"):
        file_treatment(
            engine, person, "510100", "320500", FilingKind.LONG_TERM, date(2026, 7, 15), actor="t", key="f-3"
        )
    file_treatment(engine, person, "510100", "320500", FilingKind.LONG_TERM, date(2026, 7, 16), actor="t", key="f-4")
    with pytest.raises(MedicalError, match="ledger.medical.temporary_filing_months"):
        file_treatment(engine, person, "510100", "440300", FilingKind.TEMPORARY, date(2021, 1, 4), actor="t", key="f-5")


def test_a_drawing_reason_is_given_in_both_languages_from_one_wording() -> None:
    """Each clause's reason in Chinese and English, with the months and places (before: English only, and the CLI's
    Chinese a second table without them), each place by its name and code (before 79cb079's review: bare codes,
    "参保地 510100（130 个月）")."""
    paid = {"440300": 30, "510100": 130, "320500": 125}
    last = {"440300": 202306, "510100": 201812, "320500": 201512}
    place = drawing_place("110100", "440300", paid, last, date(2026, 1, 1))
    assert (place.region, place.clause) == ("510100", 3)
    assert place.reason_zh == (
        "在养老保险关系所在地深圳市（440300）缴费 30 个月，不满 10 年：回到最近一个缴费满 10 年的参保地成都市（510100）"
        "领取（在该地缴费 130 个月）"
    )
    assert place.reason_en == (
        "30 months paid at Shenzhen (440300), under 10 years: drawn back at Chengdu (510100), the last place with 10"
        " years or more (130 months paid there)"
    )
    second = drawing_place("110100", "440300", {"440300": 150}, {"440300": 202306}, date(2026, 1, 1))
    assert second.reason_zh == "在养老保险关系所在地深圳市（440300）缴费 150 个月，满 10 年：在该地领取", second
    assert second.reason_en == "150 months paid at Shenzhen (440300), 10 years or more", second
