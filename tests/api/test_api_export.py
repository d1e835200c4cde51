"""List endpoints as files: format=csv|xlsx|parquet gives the page's rows, the same as the JSON page."""

from __future__ import annotations

import io

import polars as pl
import pytest
from api_support import Service


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/api/v1/planning/gaps?level=prefecture&basis=resident&limit=40&offset=7", "pl_gd"),
        ("/api/v1/fiscal/allocation?limit=31", "fo_nat"),
        ("/api/v1/population?level=prefecture&limit=20", "pl_nat"),
        ("/api/v1/regions?level=province&limit=31", "pl_nat"),
    ],
)
def test_every_file_format_has_the_rows_of_the_json_page(service: Service, path: str, who: str) -> None:
    page = service.client.get(path, headers=service.as_(who))
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert items
    for fmt in ("csv", "xlsx", "parquet"):
        got = service.client.get(f"{path}&format={fmt}", headers=service.as_(who))
        assert got.status_code == 200, got.text
        assert f".{fmt}" in got.headers["content-disposition"]
        data = got.content
        if fmt == "csv":
            assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
            frame = pl.read_csv(io.BytesIO(data[3:]), infer_schema_length=None)
        elif fmt == "xlsx":
            frame = pl.read_excel(io.BytesIO(data))
        else:
            frame = pl.read_parquet(io.BytesIO(data))
        assert frame.height == len(items)
        key = "region_code" if "region_code" in frame.columns else "code"
        assert [str(v) for v in frame[key].to_list()] == [str(i[key]) for i in items], fmt


def test_a_file_keeps_the_jurisdiction_and_an_unknown_format_is_refused(service: Service) -> None:
    got = service.client.get("/api/v1/planning/gaps?level=province&format=csv&limit=500", headers=service.as_("pl_gd"))
    frame = pl.read_csv(io.BytesIO(got.content[3:]), schema_overrides={"region_code": pl.String})
    assert set(frame["region_code"]) == {"440000"}
    bad = service.client.get("/api/v1/planning/gaps?format=dbf", headers=service.as_("pl_gd"))
    assert bad.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/fiscal/allocation?limit=31",
        "/api/v1/fiscal/transfers?limit=31",
        "/api/v1/fiscal/flows?limit=15",
        "/api/v1/fiscal/winners?limit=31",
    ],
)
def test_estimates_are_labelled_in_the_json_and_in_every_file(service: Service, path: str) -> None:
    """Figures built on the gravity-estimated registered population and origins say so: JSON, CSV and XLSX."""
    page = service.client.get(path, headers=service.as_("fo_nat"))
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert items and all(str(i["estimate"]).startswith("估算") and "estimate" in i["estimate"] for i in items)
    for fmt in ("csv", "xlsx"):
        got = service.client.get(f"{path}&format={fmt}", headers=service.as_("fo_nat"))
        frame = (
            pl.read_csv(io.BytesIO(got.content[3:]), infer_schema_length=None)
            if fmt == "csv"
            else pl.read_excel(io.BytesIO(got.content))
        )
        assert frame["estimate"].str.starts_with("估算").all(), fmt


def test_gaps_below_the_province_say_supply_is_apportioned(service: Service) -> None:
    path = "/api/v1/planning/gaps?level=prefecture&basis=resident&limit=40"
    items = service.client.get(path, headers=service.as_("pl_gd")).json()["items"]
    assert items and all(i["supply_is_estimate"] is True and i["supply_source"] for i in items)
    frame = pl.read_csv(
        io.BytesIO(service.client.get(path + "&format=csv", headers=service.as_("pl_gd")).content[3:]),
        infer_schema_length=None,
    )
    assert frame["supply_is_estimate"].all() and frame["population_note"].is_not_null().all()
