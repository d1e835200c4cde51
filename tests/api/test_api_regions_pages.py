"""`GET /regions` reads one page from the database (not the whole list): its pages, one after another, are the whole
list in code order, each region once, with the same full names and figures as when asked for alone."""

from __future__ import annotations

import csv
import io

from api_support import Service


def _page(service: Service, query: str) -> dict[str, object]:
    answer = service.client.get(f"/api/v1/regions?{query}", headers=service.as_("pl_nat"))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_pages_of_regions_make_the_whole_list_once_in_order(db_service: Service) -> None:
    first = _page(db_service, "limit=500")
    total = first["total"]
    assert isinstance(total, int) and total > 3000  # every province, prefecture and county
    regions: list[dict[str, object]] = []
    for offset in range(0, total, 500):
        page = _page(db_service, f"limit=500&offset={offset}")
        assert page["total"] == total and page["offset"] == offset
        regions += page["items"]  # type: ignore[arg-type]
    keys = [(str(r["code"]), str(r["level"])) for r in regions]
    assert len(regions) == total and keys == sorted(set(keys))  # each once, in code order
    last = {"items": [], "total": total, "limit": 50, "offset": total, "new_area": None}
    assert _page(db_service, f"offset={total}") == last
    panyu = next(r for r in regions if r["code"] == "440113")  # named with its province and city on a late page
    assert panyu["full_name_zh"] == "广东省广州市番禺区" and regions.index(panyu) >= 500
    alone = db_service.client.get("/api/v1/regions/440113", headers=db_service.as_("pl_nat")).json()
    assert alone == [panyu]
    counties = _page(db_service, "level=county&limit=7&offset=1000")
    assert counties["items"] == [r for r in regions if r["level"] == "county"][1000:1007]
    sheet = db_service.client.get(
        "/api/v1/regions?level=county&limit=7&offset=1000&format=csv", headers=db_service.as_("pl_nat")
    )
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert [row["code"] for row in rows] == [r["code"] for r in counties["items"]]  # type: ignore[union-attr]


def test_a_search_for_a_new_area_finds_the_counties_it_spans(db_service: Service) -> None:
    """天府新区 has no region code: the office's region search offers the counties it spans (domain/new_areas.py)."""
    found = _page(db_service, "name=天府新区")
    codes = [r["code"] for r in found["items"]]  # type: ignore[union-attr]
    assert codes == ["510112", "510116", "510118", "510185", "511403", "511421"]
    assert _page(db_service, "name=新区")["total"] != 6  # a part of a name still searches names


def test_a_search_for_a_new_area_says_it_is_none_and_names_its_counties(db_service: Service) -> None:
    """The page of a search naming 天府新区 says what the area is (no administrative region, no code of its own) and
    lists every county it spans, in both languages, so a picker can say so beside the counties it offers; a search
    that names no new area says nothing."""
    for written in ("天府新区", "Tianfu New Area", "成都天府新区"):
        area = _page(db_service, f"name={written}&level=prefecture")["new_area"]  # no prefecture: the note still comes
        assert isinstance(area, dict), written
        assert (area["name_zh"], area["name_en"]) == ("四川天府新区", "Sichuan Tianfu New Area")
        assert "没有自己的区划代码" in area["what_zh"] and "no division code of its own" in area["what_en"]
        counties = [(c["code"], c["name_zh"], c["name_en"]) for c in area["counties"]]
        assert counties[0] == ("510116", "双流区", "Shuangliu District") and len(counties) == 6
        assert ("511421", "仁寿县", "Renshou County") in counties
    assert _page(db_service, "name=新区")["new_area"] is None
    assert _page(db_service, "name=成都")["new_area"] is None
    mine = db_service.client.get("/api/v1/regions?name=天府新区&mine=true", headers=db_service.as_("cw_gz")).json()
    assert mine["items"] == [] and len(mine["new_area"]["counties"]) == 6  # none in Guangzhou: still said what it is
