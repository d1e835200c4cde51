"""Why a granted application is left out of a quota run: the reason names the missing facts in the caseworker's
words (labels, never input names), in both languages."""

from __future__ import annotations

from datetime import date
from typing import Any

from changzhu.casework.quota_runs import QuotaKind, _labels, _unrankable, annual_quota, city_scheme, tie_break
from changzhu.domain.refusals import Refusal

GUANGZHOU = "440100"


def _score(**changed: Any) -> dict[str, Any]:
    base = {"prerequisites": True, "prerequisites_need": [], "low": 80.0, "high": 80.0, "unassessed": []}
    base["si_months_local"] = 36
    return base | changed


def test_undecided_prerequisites_name_the_missing_facts() -> None:
    labels = _labels(GUANGZHOU, city_scheme(GUANGZHOU))
    reason = _unrankable(
        QuotaKind.POINTS_HUKOU, _score(prerequisites=None, prerequisites_need=["admin_detentions"]), labels
    )
    assert reason is not None
    assert reason["zh"] == "积分办法的申请条件尚不能判断，缺少：近5年行政拘留次数"
    assert reason["en"].endswith("missing: administrative detentions in the last 5 years")
    assert reason["missing"] == ["admin_detentions"]
    assert reason["code"] == "quota_prerequisites_missing"  # a code of the one table (changzhu.domain.refusals)
    assert Refusal.from_json(reason).zh == reason["zh"]


def test_unmet_prerequisites_are_not_called_unknown() -> None:
    reason = _unrankable(QuotaKind.POINTS_HUKOU, _score(prerequisites=False), {})
    assert reason == {
        "code": "quota_prerequisites_unmet",
        "params": {},
        "zh": "不满足积分办法的申请条件",
        "en": "the scheme's prerequisites are not met",
    }


def test_unassessed_points_name_the_indicators() -> None:
    scheme = city_scheme(GUANGZHOU)
    indicator = scheme.indicators[0]
    score = _score(low=60.0, high=90.0, unassessed=[indicator.name])
    reason = _unrankable(QuotaKind.POINTS_HUKOU, score, _labels(GUANGZHOU, scheme))
    assert reason is not None and reason["zh"].endswith(f"缺少：{indicator.label[0]}")
    assert indicator.name not in reason["zh"] + reason["en"]


def test_a_fully_assessed_candidate_is_ranked() -> None:
    assert _unrankable(QuotaKind.POINTS_HUKOU, _score(), {}) is None


def test_unknown_local_insurance_months_are_not_ranked_as_zero() -> None:
    """The tie-break reads the local insurance months: unknown (no contribution history), the candidate is left
    out, naming them, even with every point assessed."""
    labels = _labels(GUANGZHOU, city_scheme(GUANGZHOU))
    reason = _unrankable(QuotaKind.POINTS_HUKOU, _score(si_months_local=None), labels)
    assert reason is not None and reason["missing"] == ["si_months_local"]
    assert reason["zh"].endswith("缺少：在常住地缴纳职工社会保险月数") and "no contribution history" in reason["en"]
    assert reason["code"] == "quota_tie_break_missing"


def test_a_quota_and_a_tie_break_keep_their_sources_in_each_language() -> None:
    """A run keeps where its quota and tie-break come from for a reader of either language (`cited`): Beijing's
    quota cites a Chinese document (the same in each), the national tie-break is the project's own setting, said in
    English to an English reader (it was the Chinese remark, 本项目设定…, for everyone)."""
    on = date(2026, 6, 1)
    quota, source = annual_quota("110100", on)
    assert quota == 6000 and source["source_zh"] == source["source_en"] == "北京市人社局 积分落户公示"
    assert (source["parameter"], source["since"], source["label_en"]) == (
        "quota.points_hukou.annual_quota",
        "2018-01-01",
        "Annual points settlement quota",
    )
    earlier = tie_break(GUANGZHOU, on).describe()["sources"]["quota.tie_break.earlier_residence_first"]
    assert earlier["source_zh"].startswith("本项目设定")
    assert earlier["source_en"].startswith("changzhu's own setting") and "本项目" not in earlier["source_en"]
