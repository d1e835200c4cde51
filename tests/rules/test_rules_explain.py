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
    parent = explain(case.people, case.on, person_id=1, services=[Service.RESIDENCE_PERMIT], lang="en")
    permit = parent.services[0]
    si = next(c for c in permit.conditions if c.citation and c.citation.parameter == "shanghai.permit.min_si_months")
    assert si.value == "4 months" and si.missing == "2 more months" and si.earliest == date(2026, 11, 20)
    assert si.citation is not None and "沪府令" in si.citation.source
    zh = explain(case.people, case.on, person_id=1, services=[Service.RESIDENCE_PERMIT], lang="zh")
    si_zh = next(c for c in zh.services[0].conditions if c.citation == si.citation)
    assert si_zh.value == "4 个月" and si_zh.missing == "还差 2 个月"


def test_moved_family_keeps_recognised_months_in_suzhou() -> None:
    case = load_example("shanghai-migrant")[1]
    result = explain(case.people, case.on, person_id=1, lang="en")
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
    out = runner.invoke(app, ["explain", "--example", "shanghai-migrant", "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert "not eligible — eligible from 2026-11-20" in out.output and "Suzhou (320500)" in out.output
    zh = runner.invoke(app, ["explain", "--example", "shanghai-migrant", "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert "可于 2026-11-20 起符合" in zh.output
    refused = runner.invoke(app, ["explain", "--example", "shanghai-migrant", "--lang", "fr"])  # the option's choices
    assert refused.exit_code == 2 and "'fr' is not one of 'zh', 'en'" in refused.output
    checked = runner.invoke(app, ["check"])
    assert checked.exit_code == 0, checked.output
    assert "expectations hold" in checked.output


def _migrant(**facts: object) -> dict[str, object]:
    """One employed migrant with a bachelor's degree renting her home, no record; `facts` change or add any fact."""
    row: dict[str, object] = {
        "person_id": 1,
        "sex": "F",
        "employed": True,
        "education": "bachelor",
        "housing": "rented",
        "criminal_record": False,
        "prior_region": None,
        "prior_residence_months": 0,
        "prior_si_months": 0,
        "parent_id": None,
    }
    return row | facts


def test_explain_names_the_indicators_that_are_not_modelled() -> None:
    from changzhu.rules.people import people_from_records

    row = _migrant(
        birth_date=date(1990, 3, 1),
        hukou_region="130100",
        residence_region="110100",
        residence_since=date(2016, 1, 1),
        residence_permit_since=date(2016, 10, 1),
        si_months_local=120,
        si_months_total=120,
        medical_months_local=120,
        income_per_capita_month=8000.0,
    )
    people = people_from_records([row])
    texts = {}
    for lang, innovation in (("zh", "创新创业"), ("en", "innovation and entrepreneurship")):
        got = explain(people, date(2026, 6, 1), 1, lang=lang)
        scheme = next(p for p in got.points if p.scheme == "beijing_settlement_points")
        assert [u.name for u in scheme.unmodelled] == ["innovation", "age_above_45"]
        assert scheme.unmodelled[0].label == innovation and scheme.unmodelled[0].source.startswith("京政办发")
        texts[lang] = got.to_text()
        assert innovation in texts[lang]
        assert got.to_dict()["points"][0]["unmodelled"][0]["label"] == innovation
    assert "未纳入模型的指标" in texts["zh"] and "not modelled" in texts["en"]


def test_a_placeholder_scheme_says_so_on_screen() -> None:
    """Chengdu's scheme has no sourced table: it says so in one plain sentence in both languages (its `verified:
    false`; the labels say what is scored, not the project's "placeholder" notes), the unsourced indicators are
    listed with the reason, and a deduction of nothing reads +0 (not -0)."""
    from changzhu.rules.people import people_from_records

    row = _migrant(
        birth_date=date(1996, 1, 1),
        hukou_region="511300",
        residence_region="510100",
        residence_since=date(2023, 1, 1),
        residence_permit_since=date(2024, 6, 1),
        si_months_local=36,
        si_months_total=36,
        medical_months_local=36,
        income_per_capita_month=5000.0,
        admin_detentions=0,
        chengdu_home_area="suburban",
    )
    people = people_from_records([row])
    unchecked = (("zh", "尚未与本市公布的文件核对", "未找到分值表"), ("en", "not yet been checked", "no table found"))
    for lang, placeholder, reason in unchecked:
        got = explain(people, date(2026, 6, 1), 1, services=[Service.POINTS_SETTLEMENT], lang=lang)
        scheme = got.points[0]
        assert not scheme.verified and scheme.total == 110  # 30 + 10 + 40 + 20 + 区域导向 10
        assert [u.name for u in scheme.unmodelled] == ["title", "tax", "investment", "honours"]
        assert all(u.reason == reason for u in scheme.unmodelled)
        text = got.to_text()
        assert "+0  " in text and "-0  " not in text and placeholder in text
        assert not any(word in ind.label for ind in scheme.indicators for word in ("占位", "placeholder"))


def _guangzhou_migrant(**facts: object) -> dict[str, object]:
    """A migrant from Chengdu living in Guangzhou since 2021 with a permit and five years of insurance."""
    return _migrant(
        birth_date=date(1991, 3, 12),
        hukou_region="510100",
        residence_region="440100",
        residence_since=date(2021, 9, 1),
        residence_permit_since=date(2021, 10, 1),
        si_months_local=61,
        si_months_total=61,
        medical_months_local=61,
        income_per_capita_month=5600.0,
        **facts,
    )


def test_a_line_reached_by_the_assessed_items_alone_says_at_least() -> None:
    """Guangzhou's line is met by the assessed items while the skills item waits for the title: the condition shows
    "at least" the assessed total, never "not assessed" beside a tick; with the title given it shows the total."""
    from changzhu.rules.people import people_from_records

    gz = {f"guangzhou_{name}_months": 60 for name in ("housing_fund", "injury_insurance", "maternity_insurance")}
    gz |= {"guangzhou_unemployment_insurance_months": 60, "guangzhou_rented_home_months": 60}
    zeros = ("moved_out_months", "invention_patent_shares", "high_tech_months", "hardship_frontline_months")
    zeros += ("blood_donations_5y", "volunteer_years_5y", "first_class_merits", "second_class_merits")
    gz |= {f"guangzhou_{name}": 0 for name in (*zeros, "third_class_merits")}
    gz |= {"guangzhou_shortage_occupation": False, "guangzhou_awards": []}
    row = _guangzhou_migrant(admin_detentions=0, **gz)

    def line_condition(title: str | None, lang: str) -> tuple[str | None, bool | None]:
        people = people_from_records([row | {"professional_title": title}])
        got = explain(people, date(2026, 11, 30), 1, services=[Service.POINTS_SETTLEMENT], lang=lang)
        shown = next(c for c in got.services[0].conditions if c.kind == "points")
        return shown.value, shown.passed

    assert line_condition(None, "zh") == ("至少 180 分（尚有未评定指标）", True)
    assert line_condition(None, "en") == ("at least 180 points (some items not assessed)", True)
    assert line_condition("none", "zh") == ("180 分", True)


def test_a_yes_no_condition_names_the_fact_it_shows() -> None:
    """Guangzhou asks "hukou is elsewhere" (hukou_local == false): the person's value is shown with the fact's own
    name ("hukou here: no"), never a bare "no (no)" beside a label that states the opposite (the office journey
    checks the resident's pre-check text)."""
    from changzhu.rules.people import people_from_records

    row = _guangzhou_migrant()
    people = people_from_records([row])
    cases = (("zh", "户籍不在本市", "户籍在本市：否"), ("en", "hukou is elsewhere", "hukou here: no"))
    for lang, label, shown in cases:
        got = explain(people, date(2026, 11, 30), 1, services=[Service.POINTS_SETTLEMENT], lang=lang)
        hukou = next(c for c in got.services[0].conditions if c.label == label)
        assert (hukou.value, hukou.threshold, hukou.passed) == (shown, None, True)
        text = got.to_text()
        assert f"{label} — {shown}\n" in text or text.endswith(f"{label} — {shown}")
        assert "(否)" not in text and "no (no)" not in text


def test_english_explanations_list_categories_with_english_commas() -> None:
    """A category condition's values, read in English, are separated as English lists are ("owned home, rented
    home"), not by the Chinese enumeration comma (owned home、rented home), which stays in Chinese."""
    case = load_example("shanghai-migrant")[1]  # in Suzhou: the national residence permit rule, four kinds of home
    for lang, comma, foreign in (("en", ", ", "、"), ("zh", "、", ", ")):
        explained = explain(case.people, case.on, person_id=1, services=[Service.RESIDENCE_PERMIT], lang=lang)
        texts = json.dumps(explained.to_dict(), ensure_ascii=False)
        housing = [t for t in texts.split('"') if ("dormitory" if lang == "en" else "宿舍") in t]
        assert housing, lang  # the housing condition is among those explained
        assert all(comma in t and foreign not in t for t in housing), housing


def test_amounts_in_explanations_carry_their_units() -> None:
    """An income test shows the person's income and the line in 元/月 (yuan a month), from the variable's unit; a
    points line in 分 (points), as the points are."""
    case = load_example("shanghai-migrant")[0]
    for lang, money, points in (("zh", "元/月", "分"), ("en", "yuan a month", "points")):
        result = explain(
            case.people,
            case.on,
            person_id=1,
            services=[Service.MINIMUM_LIVING_ALLOWANCE, Service.PUBLIC_RENTAL_HOUSING],
            lang=lang,
        )
        income = [
            c
            for s in result.services
            for c in s.conditions
            if c.citation is not None and c.citation.parameter.endswith("_yuan_month")
        ]
        assert income, "an income-tested service is explained"
        for c in income:
            assert c.value == f"3200 {money}" and c.threshold is not None and c.threshold.endswith(f" {money}")
        child = explain(case.people, case.on, person_id=2, services=[Service.LOCAL_ENTRANCE_EXAM], lang=lang)
        lines = [c for s in child.services for c in s.conditions if c.kind == "points"]
        assert lines and all(c.threshold is not None and c.threshold.endswith(f" {points}") for c in lines)


def test_an_open_group_shows_its_known_parts_and_its_range() -> None:
    """Dongguan's insurance (sum_of) with the unemployment months unknown: the group is a range, as the decision
    takes it, and the explanation lists its four known insurances with their points and names the unknown one
    (and the tax group keeps its known deed tax beside the unknown income tax)."""
    from pathlib import Path

    import yaml

    from changzhu.rules import evaluate
    from changzhu.rules.people import people_from_records

    tests = Path(__file__).parents[2] / "src" / "changzhu" / "rules" / "policies" / "tests" / "441900.yaml"
    base = yaml.safe_load(tests.read_text(encoding="utf-8"))["base"]
    unknown = {"dongguan_unemployment_insurance_months": None, "dongguan_income_tax": None, "dongguan_deed_tax": 9000}
    people = people_from_records([{**base, "person_id": 1, **unknown}], "test")
    on = date(2026, 6, 1)
    result = explain(people, on, person_id=1, lang="en")
    (scheme,) = result.points
    insurance = next(i for i in scheme.indicators if i.name == "insurance")
    assert insurance.points is None and (insurance.low, insurance.high) == (40.0, float("inf"))
    parts = {p.name: p for p in insurance.parts}
    assert [parts[n].points for n in ("pension_insurance", "medical_insurance", "injury_insurance")] == [10.0] * 3
    unemployment = parts["unemployment_insurance"]
    assert unemployment.points is None and unemployment.needed_inputs == ["dongguan_unemployment_insurance_months"]
    assert sum(p.low for p in insurance.parts) == insurance.low  # the range is made of its parts
    tax = {p.name: p for p in next(i for i in scheme.indicators if i.name == "tax").parts}
    assert tax["deed_tax"].points == 4.0 and tax["income_tax"].points is None
    text = result.to_text()
    assert "+10  pension insurance" in text and "+4  deed tax" in text
    assert "?  unemployment insurance — not assessed (missing: months of unemployment insurance in Dongguan)" in text
    decided = evaluate(people, on).row(0, named=True)
    assert (scheme.low, scheme.high) == (
        decided["points_low_dongguan_settlement_points"],
        decided["points_high_dongguan_settlement_points"] or float("inf"),
    )
    data = result.to_dict()["points"][0]
    shown = next(i for i in data["indicators"] if i["name"] == "insurance")
    assert shown["high"] is None and [p["points"] for p in shown["parts"]][:2] == [10.0, 10.0]
    assert all(i["parts"] == [] for i in data["indicators"] if i["points"] is not None)  # assessed: no parts listed
    # the resident's view (GET /me) and the application pre-check build their points tables from the same parts
    from changzhu.api.self_service import points_items
    from changzhu.casework.precheck import _own_points

    zh = explain(people, on, person_id=1, lang="zh")
    for items in (points_items(zh, result)[0]["items"], (_own_points(zh, result) or {})["items"]):
        group = next(i for i in items if i["item"] == "insurance")
        assert [p["points"] for p in group["parts"]] == [10.0, 10.0, None, 10.0, 10.0]
        assert group["parts"][2]["needs_en"] == ["months of unemployment insurance in Dongguan"]


def _guangzhou_points_row(permit_since: date | None) -> dict[str, object]:
    """The Guangzhou migrant below the points line (no extra insurance, home or skills points), with a permit held
    since `permit_since` or none."""
    gz = {f"guangzhou_{name}_months": 0 for name in ("housing_fund", "injury_insurance", "maternity_insurance")}
    gz |= {"guangzhou_unemployment_insurance_months": 0, "guangzhou_rented_home_months": 0}
    zeros = ("moved_out_months", "invention_patent_shares", "high_tech_months", "hardship_frontline_months")
    zeros += ("blood_donations_5y", "volunteer_years_5y", "first_class_merits", "second_class_merits")
    gz |= {f"guangzhou_{name}": 0 for name in (*zeros, "third_class_merits")}
    gz |= {"guangzhou_shortage_occupation": False, "guangzhou_awards": [], "professional_title": "none"}
    return _guangzhou_migrant(admin_detentions=0, **gz) | {"residence_permit_since": permit_since}


def test_a_settlement_date_counted_from_a_permit_not_yet_held_says_what_it_assumes() -> None:
    """Without a permit, Guangzhou's permit years count from the first day one can be had: the projected settlement
    date assumes a permit held from that day, and the explanation says so in the service and the points scheme (zh
    and en, in the text too); with a permit held nothing is assumed."""
    from changzhu.rules.people import people_from_records

    on = date(2026, 11, 30)
    people = people_from_records([_guangzhou_points_row(None)])
    zh = "此日期假定自 2026-11-30（最早可办理之日）起持有居住证"
    en = "this date assumes a residence permit held from 2026-11-30, the first day one can be had"
    for lang, words in (("zh", zh), ("en", en)):
        got = explain(people, on, 1, services=[Service.POINTS_SETTLEMENT], lang=lang)
        settlement = got.services[0]
        assert settlement.decision == "not_eligible" and settlement.earliest is not None and settlement.earliest > on
        assert len(settlement.assumes) == 1 and settlement.assumes[0].startswith(words), settlement.assumes
        scheme = next(p for p in got.points if p.scheme == "guangzhou_settlement_points")
        assert scheme.earliest == settlement.earliest and scheme.assumes == settlement.assumes
        assert got.to_dict()["services"][0]["assumes"] == settlement.assumes
        assert settlement.assumes[0] in got.to_text()
    held = explain(people_from_records([_guangzhou_points_row(date(2025, 10, 1))]), on, 1, lang="en")
    settlement = next(s for s in held.services if s.service == Service.POINTS_SETTLEMENT.value)
    assert settlement.earliest is not None and settlement.earliest > on  # a projected date, from the permit held
    assert settlement.assumes == [] and all(p.assumes == [] for p in held.points)
    assert all(s.assumes == [] for s in held.services)


@pytest.mark.parametrize(
    ("lang", "unknown", "yes"), [("zh", "未知（未提供）", "是"), ("en", "unknown (not given)", "yes")]
)
def test_a_yes_no_input_not_given_reads_unknown_under_its_points_item(lang: str, unknown: str, yes: str) -> None:
    """Guangzhou's shortage-occupation item with the fact not given: the item is open (0–10) and the line of what it
    is scored on says the fact is unknown. It read 职业工种或职业资格符合当年广州市积分急需目录：是 — the stored
    "unknown" of a yes/no fact (−1) taken for yes — in front of the caseworker and the resident."""
    from changzhu.rules.people import people_from_records

    people = people_from_records([{**_guangzhou_points_row(date(2021, 10, 1)), "guangzhou_shortage_occupation": None}])
    (scheme,) = explain(people, date(2026, 6, 1), person_id=1, lang=lang).points
    group = next(i for i in scheme.indicators if i.name == "shortage_and_hardship")
    lines = [line for part in [group, *group.parts] for line in part.inputs if "shortage" in line or "急需" in line]
    assert lines and all(line.endswith(unknown) for line in lines), lines
    assert not any(line.endswith(yes) for line in lines), lines
