"""The seat points of county-level units the seat source (S4, cpca 0.5.5) has under an older code only: each lies
in its unit's shipped boundary, names the former code and the change, and the units still without a point are the
ones the change records cannot give a single predecessor for (docs/data.md, "Seat points")."""

from __future__ import annotations

import polars as pl

from changzhu.data.census import AS_SEAT_SOURCE, census_2020, read_seat_supplement
from changzhu.data.geo import km_outside
from changzhu.planning.siting import NO_SEAT, ZONE_WITHOUT_SEAT, left_out_units, statistical_zone

MAX_KM_OUTSIDE = 3.0  # the boundaries are simplified to about 1 km
STILL_WITHOUT_POINT = {  # county units (not development zones) with census residents and no seat point
    "140403", "230718", "230723", "230724", "230725", "230751", "232761", "232762", "232763", "232764", "360113",
    "632857", "659008", "659009", "659010",
}  # fmt: skip


def _census_units() -> pl.DataFrame:
    return census_2020().counties.filter(pl.col("in_census_2020"))


def test_every_added_point_lies_in_its_units_boundary() -> None:
    census_codes = dict(zip(_census_units()["code"].to_list(), _census_units()["code_2020"].to_list(), strict=True))
    supplement = read_seat_supplement()
    assert supplement.height == 107
    for row in supplement.iter_rows(named=True):
        outside = km_outside(row["code"], row["lon"], row["lat"])
        if outside is None:  # 嘉峪关市 is drawn under its census code 620200, not 620201
            outside = km_outside(census_codes[row["code"]], row["lon"], row["lat"])
        assert outside is not None and outside <= MAX_KM_OUTSIDE, row
        assert row["coordinate_source"].startswith("http"), row


def test_a_seat_source_point_names_its_former_code_and_change() -> None:
    from_s4 = read_seat_supplement().filter(pl.col("coordinate_system") == AS_SEAT_SOURCE)
    assert from_s4.height == 94
    counties = census_2020().counties
    assert set(from_s4["former_code"].to_list()).isdisjoint(set(counties["code"].drop_nulls().to_list()))
    changed = from_s4.filter(~pl.col("change").str.starts_with("census code"))
    assert changed["change_year"].is_between(2016, 2020).all()
    assert changed["change_source"].str.starts_with("http").all()
    # the same unit under a new code or type is a seat as S4 had it; a renamed or merged successor is not verified
    recoded = from_s4.filter(pl.col("change").is_in(["撤县设区", "撤县设市", "撤市设区", "同名改码", "更名"]))
    assert recoded.filter(pl.col("verified")).height == 76
    assert not from_s4.filter(pl.col("change").is_in(["撤销", "区划调整"]))["verified"].any()


def test_units_left_without_a_point() -> None:
    missing = _census_units().filter(pl.col("seat_lon").is_null())
    assert (missing.height, missing["pop_resident_2020"].sum()) == (149, 24_512_595)  # was 159, 29,316,481
    zones = missing.filter(statistical_zone(pl.col("code")))
    assert (zones.height, zones["pop_resident_2020"].sum()) == (134, 22_406_668)  # no seat of their own
    units = missing.filter(~statistical_zone(pl.col("code")))
    assert set(units["code"].to_list()) == STILL_WITHOUT_POINT  # was 116 units, 47.5 million residents
    assert units["pop_resident_2020"].sum() == 2_105_927  # was 25 units, 6,909,813


def test_jinan_and_chengdu_leave_no_county_unit_out() -> None:
    for prefecture in ("370100", "510100"):  # 济南 (章丘, 济阳, 莱芜, 钢城), 成都 (郫都, 新津)
        units = census_2020().counties.filter(pl.col("prefecture_code") == prefecture)
        census_units = units.filter(pl.col("in_census_2020") & ~statistical_zone(pl.col("code")))
        left = left_out_units(prefecture, census_units)
        assert left.is_empty(), left


def test_a_plan_says_why_each_unit_is_left_out() -> None:
    """A development zone is left out because it has no seat of its own, a county unit because no point was sourced
    for it: both named, with their residents (河北省: 22 zones and 0 county units without a point; 伊春: 5 units)."""
    hebei = census_2020().counties.filter((pl.col("province_code") == "130000") & pl.col("in_census_2020"))
    left = left_out_units("130000", hebei)
    assert left.height > 0 and left["reason"].unique().to_list() == [ZONE_WITHOUT_SEAT], left
    assert "130171" in left["region_code"].to_list()  # 石家庄高新技术产业开发区
    yichun = census_2020().counties.filter((pl.col("prefecture_code") == "230700") & pl.col("in_census_2020"))
    assert left_out_units("230700", yichun)["reason"].unique().to_list() == [NO_SEAT]


def test_a_point_from_a_wikipedia_article_cites_the_article_not_a_copy() -> None:
    """A web point's source is the Wikipedia article itself (xx.wikipedia.org), the canonical page, even where the
    point was read through a copy; never a proxy or mirror of it (anonyproxies, an azureedge or cloudfront host,
    trans.hiragana.jp, paperai.life, a Kiwix copy…, as the rows added in 2026-12 cited), which may change or vanish
    and is no one's authority. Its seat address, where it comes from the article too, likewise."""
    web = read_seat_supplement().filter(pl.col("coordinate_system") != AS_SEAT_SOURCE)
    assert web.height == 13
    canonical = r"^https://(en|zh|de)\.wikipedia\.org/wiki/\S+( \(.*\))?$"
    for row in web.iter_rows(named=True):
        assert pl.Series([row["coordinate_source"]]).str.contains(canonical).all(), row
        assert row["verified"] is False, row
    cited = " ".join(str(v) for row in read_seat_supplement().iter_rows() for v in row if v is not None)
    assert not [host for host in COPIES_OF_WIKIPEDIA if host in cited]


# hosts of copies of Wikipedia articles the rows once cited (proxies, mirrors, Kiwix copies)
COPIES_OF_WIKIPEDIA = (
    "anonyproxies.com", "azureedge.net", "cloudfront.net", "trans.hiragana.jp", "paperai.life", "profilpelajar.com",
    "friendlywiki.com", "wikimili.com", "sapo.pt", "av1.space", "moesalih.com", "wikide.org", "sagapedia.com",
    "clateway.com", "enwikipedia.net", "wiki.li", "wikiwand.com", "kfd.me", "oracleblog.org", "dokumen123.com",
)  # fmt: skip
