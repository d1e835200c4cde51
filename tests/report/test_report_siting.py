"""The planning report names regions by the one lookup (a district with its city) and sites schools beside
hospitals: its own heading, table, map legend, units, data source and estimate note, in Chinese and English."""

from __future__ import annotations

from functools import cache

import polars as pl
import pytest

from changzhu.data.geo import province_geojson
from changzhu.planning.siting import SitingPlan, plan_sites
from changzhu.report.lang import Lang
from changzhu.report.planning import listed_supply
from changzhu.report.siting import no_school_list, sites_map, siting_part


def test_listed_supply_names_a_district_with_its_city() -> None:
    listed = pl.DataFrame({"region_code": ["440305"], "service": ["hospital_beds"]})
    assert "Nanshan District, Shenzhen (440305)" in listed_supply(listed, Lang.EN)
    assert "深圳市南山区（440305）" in listed_supply(listed, Lang.ZH)
    assert "：深圳市南山区（440305）的医院床位" in listed_supply(listed, Lang.ZH)  # no space after the bracket


@cache
def _schools(gap: float = 50_000.0) -> SitingPlan:
    """Primary schools sited in Guangdong from a list of two located Shenzhen schools, for a resident-basis gap."""
    listed = pl.DataFrame(
        {
            "name": ["福田小学", "翠竹小学"],
            "service": ["primary_school_places", "primary_school_places"],
            "region_code": ["440304", "440303"],
            "capacity": [1620.0, 1350.0],
            "lon": [114.055, 114.126],
            "lat": [22.541, 22.564],
        }
    )
    return plan_sites(
        "440000",
        gap,
        9_000_000.0,
        service="primary_school_places",
        group="age_6_11",
        p=3,
        facilities=listed,
        facility_scope="prefecture",
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            Lang.ZH,
            (
                "在哪里建小学：广东省新增 50,000 个小学学位（常住口径缺口）",
                "现有小学",
                "设施清单中有坐标的 2 所小学",
                "50 公里内6–11 岁儿童占比（前）",
                "国家统计局 2019 年分省小学在校生",
                "估算：建设前的每千名学龄儿童学位中",
            ),
        ),
        (
            Lang.EN,
            (
                "Where to build primary schools: 50,000 primary-school places (resident-basis gap) in Guangdong",
                "existing primary schools",
                "the facility list's 2 located primary schools",
                "NBS 2019 provincial primary enrolment",
                "estimate: before, the places not in the school list",
            ),
        ),
    ],
)
def test_school_siting_has_its_own_heading_table_units_source_and_estimate(lang: Lang, words: tuple[str, ...]) -> None:
    html = siting_part(_schools(), "440000", province_geojson(), lang)
    missing = [w for w in words if w not in html]
    assert not missing, missing
    assert "床位" not in html and "hospital" not in html  # no hospital words left in the schools' part


def test_school_map_legend_units_and_places() -> None:
    for lang, legend, colour, place in (
        (Lang.ZH, "设施清单中的小学（保留）", "每千名 6–11 岁儿童的小学学位", "深圳市福田区"),
        (
            Lang.EN,
            "the list's primary schools (kept open)",
            "primary places per 1,000 children aged 6–11",
            "Futian District, Shenzhen",
        ),
    ):
        figure = sites_map(_schools(), "440000", province_geojson(), lang)
        names = [trace.name for trace in figure.data if trace.name]
        assert legend in names and any(n.startswith(("拟建小学", "proposed primary schools")) for n in names)
        counties = next(t for t in figure.data if t.marker.colorbar.title.text)
        assert counties.marker.colorbar.title.text.startswith(colour)
        assert any(str(t).startswith(place) for t in counties.text)  # a district with its city
        listed = next(t for t in figure.data if t.name == legend)
        assert set(listed.text) == {"福田小学", "翠竹小学"}


def test_without_a_shortage_the_new_sites_are_said_to_add_nothing() -> None:
    """Guangdong's primary places outnumber its resident-basis demand when a school list covers Shenzhen: the report
    says there is no shortage rather than "0 places", and the proposed schools add none."""
    plan = _schools(-177_852.0)
    zh, en = (siting_part(plan, "440000", province_geojson(), lang) for lang in (Lang.ZH, Lang.EN))
    assert "在哪里建小学：广东省按常住口径没有小学学位缺口" in zh and "新增 0" not in zh
    assert "no resident-basis shortage of primary-school places in Guangdong" in en and "add none" in en
    proposed = next(
        t for t in sites_map(plan, "440000", province_geojson(), Lang.ZH).data if (t.name or "").startswith("拟建")
    )
    assert all(str(t).endswith("不新增") for t in proposed.text)


def test_without_a_school_list_the_report_names_the_option_that_sites_schools() -> None:
    """`changzhu plan` sites schools from --facilities only: a list uploaded in the office feeds the gaps, so the
    note does not send the planner to the upload page for siting."""
    zh, en = no_school_list(Lang.ZH), no_school_list(Lang.EN)
    assert "changzhu plan --facilities 学校清单.csv）" in zh and "上传的设施清单用于服务缺口，不用于这里的选址" in zh
    assert "(changzhu plan --facilities schools.csv)" in en and "not for this siting" in en
