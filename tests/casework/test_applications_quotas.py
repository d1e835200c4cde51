"""The application state machine and the ranking, by property: no path leaves the machine, ties rank the same."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from changzhu.casework.applications import (
    TRANSITIONS,
    Action,
    ApplicationKind,
    IllegalTransition,
    Status,
    allowed_actions,
    next_status,
)
from changzhu.casework.materials import DOCUMENTS, materials
from changzhu.casework.quotas import Candidate, TieBreak, by_capacity, by_quota, rank, with_added_places
from changzhu.rules import person_inputs

CITIES = ("000000", "110100", "120100", "310100", "440100", "441900", "510100")  # the shipped policy files
RULE = TieBreak(local_insurance_first=True, earlier_residence_first=True)


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_no_sequence_of_steps_leaves_the_machine(actions: list[Action]) -> None:
    status = Status.SUBMITTED
    reachable = {Status.SUBMITTED, *TRANSITIONS.values()}
    for action in actions:
        try:
            after = next_status(status, action)
        except IllegalTransition as exc:
            assert action not in allowed_actions(status)
            assert exc.refusal is not None and "不能" in exc.refusal.zh and "allowed" in exc.refusal.en
            continue
        assert (status, action) in TRANSITIONS and after in reachable
        status = after
    assert status in set(Status)


def test_closed_states_allow_nothing() -> None:
    for status in (Status.APPROVED, Status.UPHELD, Status.OVERTURNED):
        assert allowed_actions(status) == []
    assert allowed_actions(Status.REJECTED) == [Action.APPEAL]


candidates = st.builds(
    Candidate,
    application_id=st.integers(1, 10_000),
    person_key=st.just("k"),
    points=st.sampled_from([80.0, 90.0, 100.0, 100.5]),  # few values: many ties
    local_insurance_months=st.sampled_from([12, 36, 84]),
    residence_since=st.sampled_from([date(2015, 1, 1), date(2020, 6, 1)]),
    submitted_at=st.sampled_from(["2026-01-01T00:00:00", "2026-02-01T00:00:00"]),
    district=st.sampled_from(["440103", "440104", None]),
)


@given(st.lists(candidates, max_size=40, unique_by=lambda c: c.application_id), st.integers(0, 50), st.randoms())
def test_ranking_is_deterministic_under_ties(people: list[Candidate], quota: int, rnd: random.Random) -> None:
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert rank(people, RULE) == rank(shuffled, RULE)
    first, second = by_quota(people, RULE, quota), by_quota(shuffled, RULE, quota)
    assert first == second
    assert len(first.admitted) == min(quota, len(people))
    if first.admitted and first.waiting:
        assert first.cutoff_points is not None and all(c.points <= first.cutoff_points for c in first.waiting)
    capacity = {"440103": quota // 2, "440100": quota - quota // 2}
    assert by_capacity(people, RULE, capacity) == by_capacity(shuffled, RULE, capacity)


def test_tie_break_order() -> None:
    def c(i: int, points: float, months: int, since: date) -> Candidate:
        return Candidate(i, f"p{i}", points, months, since, "2026-01-01T00:00:00")

    people = [c(1, 100, 36, date(2020, 1, 1)), c(2, 100, 84, date(2021, 1, 1)), c(3, 100, 84, date(2019, 1, 1))]
    assert [x.application_id for x in rank(people, RULE)] == [3, 2, 1]
    plain = TieBreak(local_insurance_first=False, earlier_residence_first=False)
    assert [x.application_id for x in rank(people, plain)] == [1, 2, 3]  # earlier submission, then number
    result = by_quota(people, RULE, 2)
    assert result.cutoff_points == 100 and [x.application_id for x in result.waiting] == [1]


def test_capacity_by_district() -> None:
    people = [
        Candidate(i, f"p{i}", float(p), 0, date(2020, 1, 1), "t", d)
        for i, (p, d) in enumerate([(90, "440103"), (80, "440103"), (70, "440104"), (60, "510104")], start=1)
    ]
    result = by_capacity(people, RULE, {"440103": 1, "440100": 1})
    assert [x.application_id for x in result.admitted] == [1, 3]
    assert result.cutoffs == {"440103": 90.0, "440100": 70.0}
    more = by_capacity(people, RULE, with_added_places({"440103": 1, "440100": 1}, {"440103": 1}))
    assert [x.application_id for x in more.admitted] == [1, 2, 3]
    with pytest.raises(ValueError):
        by_quota(people, RULE, -1)


def test_materials_follow_the_rules() -> None:
    beijing = {m.input for m in materials(ApplicationKind.POINTS, "110100")}
    assert {"degree", "si_months_local"} <= beijing
    school = materials(ApplicationKind.SCHOOL_PLACE, "440100")
    assert any(m.of == "parent" for m in school) and any(m.input == "birth_date" for m in school)


def test_a_points_application_lists_what_proves_each_points_item() -> None:
    """A resident of a Guangzhou district (天河区) applies under Guangzhou's points scheme: the list names the facts
    its indicators read, each with the points items it supports in both languages (it named only 户籍地 and 常住地,
    the national rule's, since the district's code found no city file)."""
    listed = {m.input: m for m in materials(ApplicationKind.POINTS, "440106")}
    assert {"residence_permit_since", "guangzhou_rented_home_months", "education", "birth_date"} <= listed.keys()
    rented = listed["guangzhou_rented_home_months"].to_dict()
    assert rented["supports_zh"] == [
        "合法稳定住所（产权与租赁只取一项） — 合法租赁住所或单位宿舍（每满1年5分，最高20分）"
    ]
    assert rented["supports_en"] == [
        "legal stable home (owned or rented, one of them) — rented home or dormitory (5 per full year, at most 20)"
    ]
    permit = listed["residence_permit_since"].supports
    assert (
        "积分申请条件：持有在本市办理的有效《广东省居住证》",
        "points prerequisite: holds a valid Guangdong residence permit issued in Guangzhou",
    ) in permit
    assert any(zh.startswith("持《广东省居住证》年限") for zh, _ in permit)
    assert listed["hukou_region"].supports == ()  # read by the service's own rule, no points item
    assert materials(ApplicationKind.POINTS, "440100") == materials(ApplicationKind.POINTS, "440106")


def test_each_material_is_named_as_the_document_a_resident_brings() -> None:
    """The list named facts (在常住地缴纳职工社会保险月数); each item now names the document that proves it: a core
    fact's national document, a city input's from its policy file (`document:`), and where no file names one the
    document is unknown (null), never a guess."""
    listed = {m.input: m.to_dict() for m in materials(ApplicationKind.POINTS, "440106")}
    social = listed["si_months_local"]
    assert (social["document_zh"], social["document_en"]) == (
        "社会保险缴费证明",
        "social insurance contribution record",
    )
    assert social["label_zh"] == "在常住地缴纳职工社会保险月数"  # the fact it proves, kept beside it
    assert listed["birth_date"]["document_zh"] == "居民身份证"
    assert listed["criminal_record"]["document_zh"] == "无犯罪记录证明"
    assert listed["guangzhou_housing_fund_months"]["document_zh"] == "住房公积金缴存证明"  # Guangzhou's file
    assert listed["guangzhou_unemployment_insurance_months"]["document_zh"] == "社会保险缴费证明"
    unknown = listed["guangzhou_blood_donations_5y"]
    assert unknown["document_zh"] is None and unknown["document_en"] is None
    core = {i.name for i in person_inputs(None) if i.core}
    undocumented = {m.input for c in CITIES for k in ApplicationKind for m in materials(k, c) if m.document is None}
    assert undocumented and not undocumented & core  # every core fact a rule reads has its document


def test_a_city_whose_published_list_names_its_own_document_is_listed_with_it() -> None:
    """Guangzhou's 居住证 guide names its own proof of residence time (《广州市流动人口办理居住登记凭证》) and of a home
    (adding 宾馆旅店 and 借住 to the national list): a resident of 天河区 applying for a 居住证 is told those, in both
    languages, from the city's policy file; a fact the city's list does not name otherwise (户籍地) keeps the
    national document; Shanghai, whose list was not found, keeps the national ones; a fact no file documents stays
    unknown."""
    guangzhou = {m.input: m.to_dict() for m in materials(ApplicationKind.RESIDENCE_PERMIT, "440106")}
    assert (guangzhou["residence_since"]["document_zh"], guangzhou["residence_since"]["document_en"]) == (
        "《广州市流动人口办理居住登记凭证》",
        "Guangzhou record of migrant residence registration",
    )
    housing = guangzhou["housing"]
    assert "宾馆旅店出具的住宿证明" in str(housing["document_zh"])
    assert "hotel" in str(housing["document_en"]) and "借住" not in str(housing["document_en"])
    assert guangzhou["hukou_region"]["document_zh"] == DOCUMENTS["hukou_region"][0] == "居民户口簿"
    shanghai = {m.input: m.document for m in materials(ApplicationKind.RESIDENCE_PERMIT, "310100")}
    assert shanghai["housing"] == DOCUMENTS["housing"] and shanghai["employed"] == DOCUMENTS["employed"]
    assert shanghai["housing"] != (housing["document_zh"], housing["document_en"])
    # the national list (居住证暂行条例 第九条): 住所 includes 购房合同 and a lodging certificate, 就业 the employer's
    assert "购房合同" in DOCUMENTS["housing"][0] and "劳动关系证明" in DOCUMENTS["employed"][0]
    # a parent's fact in a school-place application is named with the parent's city document too
    school = [m for m in materials(ApplicationKind.SCHOOL_PLACE, "440100") if m.input == "residence_since"]
    assert [m.of for m in school] == ["parent"] and school[0].document == (
        "《广州市流动人口办理居住登记凭证》",
        "Guangzhou record of migrant residence registration",
    )
    points = {m.input: m.document for m in materials(ApplicationKind.POINTS, "440106")}
    assert points["guangzhou_blood_donations_5y"] is None  # unknown stays unknown, never the city's nearest guess
    everywhere = {c: {m.input: m.document for m in materials(ApplicationKind.RESIDENCE_PERMIT, c)} for c in CITIES}
    assert {c for c, docs in everywhere.items() if docs["residence_since"] != DOCUMENTS["residence_since"]} == {
        "110100",
        "440100",
        "441900",
    }
