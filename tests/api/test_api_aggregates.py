"""Planning gaps and fiscal allocation over the API: real results, within the caller's jurisdiction (runs:
test_api_reform.py)."""

from __future__ import annotations

import re

from api_support import Service


def _get(service: Service, path: str, who: str = "pl_nat") -> object:
    response = service.client.get(path, headers=service.as_(who))
    assert response.status_code == 200, response.text
    return response.json()


def test_gaps_on_both_bases_scoped_to_the_jurisdiction(service: Service) -> None:
    national = _get(service, "/api/v1/planning/gaps?level=province&service=primary_school_places&limit=500")
    assert national["total"] == 62  # 31 provinces × 2 bases
    guangdong = _get(service, "/api/v1/planning/gaps?level=province&limit=500", "pl_gd")
    assert {r["region_code"] for r in guangdong["items"]} == {"440000"}
    cities = _get(service, "/api/v1/planning/gaps?level=prefecture&basis=resident&limit=500", "pl_gd")
    assert {r["province_code"] for r in cities["items"]} == {"440000"} and cities["total"] == 21 * 7
    gz = [r for r in national["items"] if r["region_code"] == "440000"]
    resident, registered = sorted(gz, key=lambda r: r["basis"] != "resident")
    assert resident["demand"] > registered["demand"]  # Guangdong's in-migrants are counted where they live


def test_fiscal_allocation_spends_the_fund_and_flows_touch_the_caller(service: Service) -> None:
    schemes = _get(service, "/api/v1/fiscal/schemes", "fo_nat")
    in_force = [s for s in schemes if s["in_force"]]  # type: ignore[union-attr]
    assert len(in_force) == 1
    editable = ("weights", "floor_yuan_per_resident", "max_min_per_capita_ratio", "resident_conversion_ratio")
    assert all(s[k] is not None for s in schemes for k in editable)  # type: ignore[index]
    assert abs(sum(in_force[0]["weights"].values()) - 1) < 1e-9
    han = re.compile(r"[\u4e00-\u9fff]")
    assert all(han.search(s["title_zh"]) and not han.search(s["title_en"]) for s in schemes)  # type: ignore[index]
    rows = _get(service, "/api/v1/fiscal/allocation?limit=500", "fo_nat")["items"]  # type: ignore[index]
    assert len(rows) == 31
    assert sum(r["per_resident_head_yuan"] for r in rows) == in_force[0]["fund_yuan"]
    old = _get(service, "/api/v1/fiscal/allocation?scheme=hukou_baseline_2014&limit=500", "fo_nat")["items"]  # type: ignore[index]
    assert len(old) == 31
    flows = _get(service, "/api/v1/fiscal/flows?limit=500", "pl_gd")["items"]  # type: ignore[index]
    assert flows and all("440000" in (f["payer_code"], f["payee_code"]) for f in flows)
    equity = _get(service, "/api/v1/fiscal/equity", "ad_gd")
    assert len(equity) == 3  # type: ignore[arg-type]
    missing = service.client.get("/api/v1/fiscal/allocation?scheme=nope", headers=service.as_("fo_nat"))
    assert missing.status_code == 404 and "renqian_guagou_2021" in missing.json()["message"]
