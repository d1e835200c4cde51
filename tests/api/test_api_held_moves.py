"""Held moves (迁入登记 from another jurisdiction): registered with the identity number the person shows (the arrival
place has the card, not the key), decided by staff of the place she lives in or by the person herself, never by
another resident; and the list of held items says whether the caller may open the person's page."""

from __future__ import annotations

from typing import Any

from api_support import ID_CD, ID_GZ, Service

ARRIVALS = "/api/v1/residents/arrivals"


def _arrival(id_number: str, to_region: str, key: str) -> dict[str, Any]:
    return {"id_number": id_number, "to_region": to_region, "moved_on": "2026-11-02", "proof_kind": "housing",
            "proof_ref": f"lease-{key}", "idempotency_key": key}  # fmt: skip


def _residence(service: Service, who: str, person: str) -> str:
    answer = service.client.get(f"/api/v1/residents/{service.people[person]}", headers=service.as_(who))
    assert answer.status_code == 200, answer.text
    return str(answer.json()["residence_region"])


def _pending(service: Service, who: str) -> list[dict[str, Any]]:
    answer = service.client.get("/api/v1/approvals", headers=service.as_(who))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_an_arrival_by_identity_number_is_held_for_the_old_place_or_the_person(service: Service) -> None:
    client = service.client
    held = client.post(ARRIVALS, json=_arrival(ID_CD, "440100", "arrive-cd-1"), headers=service.as_("cw_gz"))
    assert held.status_code == 202, held.text
    item = held.json()
    assert item["kind"] == "residence.move" and item["status"] == "pending"
    assert item["region"] is None  # the arrival place is not told where she lives
    assert item["request"]["person_key"] == service.people["cd"]
    assert "id_number" not in item["request"]  # the number shown is never stored with the move
    again = client.post(ARRIVALS, json=_arrival(ID_CD, "440100", "arrive-cd-1"), headers=service.as_("cw_gz"))
    assert again.status_code == 202 and again.json()["approval_id"] == item["approval_id"]  # a retry: the same item
    assert _residence(service, "res_cd", "cd") == "510100"  # nothing moved yet


def test_an_arrival_refuses_an_unknown_or_malformed_number_and_a_place_not_the_callers(service: Service) -> None:
    client, worker = service.client, service.as_("cw_gz")
    nobody = "11010519491231002X"  # a valid number no one is registered under
    unknown = client.post(ARRIVALS, json=_arrival(nobody, "440100", "arrive-nobody"), headers=worker)
    assert unknown.status_code == 404 and unknown.json()["code"] == "no_person_in_reach", unknown.text
    malformed = client.post(ARRIVALS, json=_arrival("510104198505054329", "440100", "arrive-bad"), headers=worker)
    assert malformed.status_code == 400, malformed.text
    elsewhere = client.post(ARRIVALS, json=_arrival(ID_CD, "440300", "arrive-sz"), headers=worker)  # Shenzhen
    assert elsewhere.status_code == 403 and elsewhere.json()["code"] == "move_recorded_where_arrived"
    resident = client.post(ARRIVALS, json=_arrival(ID_CD, "440100", "arrive-self"), headers=service.as_("res_cd"))
    assert resident.status_code == 403  # a resident never registers a move


def test_an_arrival_inside_the_callers_jurisdiction_is_recorded_at_once(service: Service) -> None:
    moved = service.client.post(ARRIVALS, json=_arrival(ID_GZ, "440300", "arrive-sz-gz"), headers=service.as_("ad_gd"))
    assert moved.status_code == 200, moved.text
    assert moved.json()["person_key"] == service.people["gz"] and moved.json()["to_region"] == "440300"
    assert _residence(service, "ad_gd", "gz") == "440300"


def test_a_resident_decides_her_own_held_move_and_never_anothers(service: Service) -> None:
    client = service.client
    to_gz = client.post(ARRIVALS, json=_arrival(ID_CD, "440100", "arrive-cd-2"), headers=service.as_("cw_gz"))
    to_cd = client.post(ARRIVALS, json=_arrival(ID_GZ, "510100", "arrive-gz-2"), headers=service.as_("cw_cd"))
    assert to_gz.status_code == to_cd.status_code == 202, (to_gz.text, to_cd.text)
    hers, his = to_gz.json()["approval_id"], to_cd.json()["approval_id"]

    assert [i["approval_id"] for i in _pending(service, "res_cd")] == [hers]  # only her own
    shown = _pending(service, "res_cd")[0]
    assert shown["region"] == "510100" and shown["request"]["to_region"] == "440100"
    for decision in ("approve", "reject"):  # another resident's item: refused, and it stays pending
        refused = client.post(f"/api/v1/approvals/{his}/{decision}", json={}, headers=service.as_("res_cd"))
        assert refused.status_code == 403, refused.text
    assert [i["approval_id"] for i in _pending(service, "res_gz")] == [his]

    approved = client.post(f"/api/v1/approvals/{hers}/approve", json={}, headers=service.as_("res_cd"))
    assert approved.status_code == 200 and approved.json()["checker"] == "res_cd", approved.text
    assert _residence(service, "res_cd", "cd") == "440100"  # she lives in Guangzhou now
    refused = client.post(f"/api/v1/approvals/{his}/reject", json={"note": "不是我"}, headers=service.as_("res_cd"))
    assert refused.status_code == 403
    returned = client.post(f"/api/v1/approvals/{his}/reject", json={"note": "不是我"}, headers=service.as_("res_gz"))
    assert returned.status_code == 200 and returned.json()["status"] == "rejected"
    assert _residence(service, "res_gz", "gz") == "440100"  # returned: he stays


def test_a_resident_never_decides_a_held_voucher_or_bill_of_her_own(service: Service) -> None:
    voucher = {"holder_key": service.people["gz"], "issuer_region": "510100", "service": "vocational_training",
               "value_fen": 2_000_000, "issued_on": "2026-11-01", "expires_on": "2027-11-01",
               "idempotency_key": "held-for-gz"}  # fmt: skip
    held = service.client.post("/api/v1/vouchers", json=voucher, headers=service.as_("cw_cd"))
    assert held.status_code == 202, held.text
    path = f"/api/v1/approvals/{held.json()['approval_id']}/approve"
    assert service.client.post(path, json={}, headers=service.as_("res_gz")).status_code == 403
    assert _pending(service, "res_gz") == []  # not hers to see either


def test_the_list_says_whether_the_caller_may_open_the_persons_page(service: Service) -> None:
    bill = {"person_key": service.people["gz"], "insured_region": "510100", "treatment_region": "440100",
            "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "open-bill-1",
            "items": [{"item_code": "A001", "amount_fen": 25_000_000}]}  # fmt: skip
    held = service.client.post("/api/v1/medical/settlements", json=bill, headers=service.as_("cw_gz"))
    assert held.status_code == 202, held.text

    def opens(who: str) -> bool:
        item = next(i for i in _pending(service, who) if i["approval_id"] == held.json()["approval_id"])
        return bool(item["record_open"])

    assert opens("cw_gz") is True  # she lives in Guangzhou
    assert opens("cw_cd") is False  # Chengdu's fund pays, but her page is Guangzhou's
    refused = service.client.get(f"/api/v1/residents/{service.people['gz']}/overview", headers=service.as_("cw_cd"))
    assert refused.status_code == 404  # as the flag says


def test_an_approved_held_bill_is_on_the_persons_page(service: Service) -> None:
    bill = {"person_key": service.people["gz"], "insured_region": "510100", "treatment_region": "440100",
            "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "page-bill-1",
            "items": [{"item_code": "A001", "amount_fen": 25_000_000}]}  # fmt: skip
    held = service.client.post("/api/v1/medical/settlements", json=bill, headers=service.as_("cw_gz"))
    page = f"/api/v1/residents/{service.people['gz']}/overview"
    assert service.client.get(page, headers=service.as_("cw_gz")).json()["medical_claims"] == []  # held: none yet
    path = f"/api/v1/approvals/{held.json()['approval_id']}/approve"
    assert service.client.post(path, json={}, headers=service.as_("cw_cd")).status_code == 200
    overview = service.client.get(page, headers=service.as_("cw_gz")).json()
    [claim] = overview["medical_claims"]
    assert claim["hospital"] == "中山一院" and claim["total_fen"] == 25_000_000
    assert claim["fund_fen"] + claim["self_fen"] == 25_000_000
    assert overview["region_names"]["510100"]["name_zh"] == "成都市"
