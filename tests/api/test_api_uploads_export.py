"""The list endpoints that gained format=csv|xlsx|parquet with the uploads (issue 15): a file has the JSON page's
rows, nested values as JSON text, CSV with a BOM."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from api_support import Service


def _frame(fmt: str, data: bytes) -> pl.DataFrame:
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
        return pl.read_csv(io.BytesIO(data[3:]), infer_schema_length=None)
    if fmt == "xlsx":
        return pl.read_excel(io.BytesIO(data))
    return pl.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize(
    ("path", "who", "key"),
    [
        ("/api/v1/parameters?limit=30&offset=5", "pl_nat", "key"),
        ("/api/v1/variables?limit=40", "pl_nat", "name"),
        ("/api/v1/users?limit=20", "ad_nat", "username"),
        ("/api/v1/audit?limit=10", "ad_nat", "id"),
        ("/api/v1/scenarios?limit=10", "pl_nat", "name"),
        ("/api/v1/approvals?status=pending&limit=10", "ad_nat", None),
        ("/api/v1/scenarios/runs?limit=10", "pl_nat", None),
    ],
)
def test_a_file_has_the_rows_of_the_json_page(service: Service, path: str, who: str, key: str | None) -> None:
    page = service.client.get(path, headers=service.as_(who))
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    if key is not None:
        assert items
    for fmt in ("csv", "xlsx", "parquet"):
        got = service.client.get(f"{path}&format={fmt}", headers=service.as_(who))
        assert got.status_code == 200, got.text
        assert f".{fmt}" in got.headers["content-disposition"]
        if not items:
            continue
        frame = _frame(fmt, got.content)
        assert frame.height == len(items), fmt
        if key is not None:
            assert [str(v) for v in frame[key].to_list()] == [str(i[key]) for i in items], fmt


def test_nested_values_are_json_text_and_roles_still_apply(service: Service) -> None:
    got = service.client.get("/api/v1/users?format=csv&limit=50", headers=service.as_("ad_nat"))
    frame = pl.read_csv(io.BytesIO(got.content[3:]), infer_schema_length=None)
    jurisdictions = dict(zip(frame["username"].to_list(), frame["jurisdictions"].to_list(), strict=True))
    assert json.loads(jurisdictions["pl_gd"]) == ["440000"]
    assert service.client.get("/api/v1/users?format=csv", headers=service.as_("pl_gd")).status_code == 403
    assert service.client.get("/api/v1/audit?format=xlsx", headers=service.as_("cw_gz")).status_code == 403
