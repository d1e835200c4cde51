"""Counties have English names on the API: an English reader sees and finds 番禺区 as Panyu District."""

from __future__ import annotations

from api_support import Service


def test_county_names_in_english_and_found_by_them(service: Service) -> None:
    found = service.client.get("/api/v1/regions?level=county&name=panyu", headers=service.as_("pl_gd"))
    assert found.status_code == 200, found.text
    assert [(r["code"], r["name_zh"], r["name_en"]) for r in found.json()["items"]] == [
        ("440113", "番禺区", "Panyu District")
    ]
    county = service.client.get("/api/v1/regions/653101", headers=service.as_("pl_nat"))
    assert county.status_code == 200, county.text
    assert [(r["level"], r["name_en"]) for r in county.json()] == [("county", "Kashgar City")]
