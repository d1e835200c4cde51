"""Planning gaps, fiscal allocation and scenario runs over the API: real results, within the caller's jurisdiction."""

from __future__ import annotations

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


def test_scenario_run_compares_reform_with_baseline(service: Service) -> None:
    listed = _get(service, "/api/v1/scenarios")["items"]  # type: ignore[index]
    assert "entrance_exam_residence_1y" in {s["name"] for s in listed}
    path = "/api/v1/scenarios/entrance_exam_residence_1y/runs"
    body = {"sample": 0.00002, "year": 2025}
    run = service.client.post(path, json=body, headers=service.as_("pl_nat")).json()
    assert run["scenario"] == "entrance_exam_residence_1y" and run["year"] == 2025
    totals = {(t["scenario"], t["service"]): t for t in run["totals"]}
    exam = totals[("entrance_exam_residence_1y", "local_entrance_exam")]
    assert exam["newly_eligible"] > 0 and exam["delta_eligible"] > 0  # a shorter threshold lets more children sit
    assert totals[("baseline", "local_entrance_exam")]["delta_eligible"] == 0
    again = service.client.post(path, json=body, headers=service.as_("fo_nat")).json()
    assert again["run_id"] == run["run_id"]  # same settings: the stored run
    assert [r["run_id"] for r in _get(service, "/api/v1/scenarios/runs")] == [run["run_id"]]  # type: ignore[union-attr]
    rows = _get(service, f"/api/v1/scenarios/runs/{run['run_id']}?limit=500", "pl_gd")["items"]  # type: ignore[index]
    assert rows and {r["province_code"] for r in rows} == {"440000"}
    too_big = service.client.post(path, json={"sample": 0.5}, headers=service.as_("pl_nat"))
    assert too_big.status_code == 422 and too_big.json()["problems"][0]["field"] == "sample"
