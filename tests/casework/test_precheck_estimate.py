"""A pre-check's earliest date is an estimate and says so, in the explanation and in the drafted reason, in the
words the office shows under every estimated date (frontend/src/locales: entitlement.estimate), with what it
assumes: what the rules say (a permit not yet held), else that nothing changes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from changzhu.casework.precheck import _reason, _text
from changzhu.rules.explain import ServiceExplanation

LOCALES = Path(__file__).resolve().parents[2] / "frontend" / "src" / "locales"


def _office_words(lang: str) -> tuple[str, str]:
    """The office's estimate sentence (before and after its {assumption}) and its standing assumption."""
    words = json.loads((LOCALES / ("zh-CN.json" if lang == "zh" else "en.json")).read_text("utf-8"))["entitlement"]
    return words["estimate"].split("{assumption}")[0], words["unchanged"]


def _points_service(assumes: list[str]) -> ServiceExplanation:
    return ServiceExplanation(
        "points_settlement", "积分落户", "not_eligible", False, date(2028, 12, 4), None, [], "440100", "穗府规", [],
        assumes=assumes,
    )  # fmt: skip


def test_an_earliest_date_assuming_nothing_says_it_assumes_nothing_changes() -> None:
    for lang in ("zh", "en"):
        opening, unchanged = _office_words(lang)
        explanation = _text(_points_service([]), lang)
        assert f"{opening}{unchanged}" in explanation, explanation
        assert f"{opening}{unchanged}" in _reason(_points_service([]), lang)


def test_an_earliest_date_says_what_the_rules_say_it_assumes() -> None:
    assumed = "此日期假定自 2026-12-04（最早可办理之日）起持有居住证"
    explanation = _text(_points_service([assumed]), "zh")
    assert f"这是估算，不是承诺：{assumed}。" in explanation
    _opening, unchanged = _office_words("zh")
    assert unchanged not in explanation


def test_a_date_not_given_carries_no_estimate_note() -> None:
    service = _points_service([])
    service.earliest = None
    assert "估算" not in _text(service, "zh") and "estimate" not in _text(service, "en")
