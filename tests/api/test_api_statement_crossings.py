"""The resident's statement after a 跨省通办 move, read at both ends: what left the sender is what the receiver took
in (money and months), each end says where to or from; and a voucher says until when and from where it is valid.

Before, the sender's statement showed the pension individual account at 0.00 with no trace of where the money went
(its transfers table lists only transfers between places of one instance) and the receiver's listed nothing
either; a voucher showed no last valid day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from api_support import Service, hand_over_to_sichuan, received_in_sichuan

from changzhu.api.overview import statement_of


def _held_here(statement: dict[str, object], region: str) -> dict[str, int]:
    """The statement's balances held at `region`, by account kind."""
    return {b["kind"]: b["balance"] for b in statement["balances"] if b["region"] == region}  # type: ignore[attr-defined,index]


def test_both_ends_of_a_cross_province_move_show_the_same_money_and_months(service: Service, tmp_path: Path) -> None:
    before = service.client.get("/api/v1/me/statement", headers=service.as_("res_gz")).json()
    held = _held_here(before, "440100")
    assert held["pension_individual"] > 0 and held["pension_months"] > 0
    assert before["crossings"] == []
    # the Guangzhou worker moves to Chengdu: Guangdong's instance hands her account over to Sichuan's
    message_id = hand_over_to_sichuan(service)
    pending = service.client.get("/api/v1/me/statement", headers=service.as_("res_gz")).json()
    assert _held_here(pending, "440100")["pension_individual"] == 0  # the money left here ...
    [out] = pending["crossings"]  # ... and the statement says where to, how much, and that it is on its way
    assert (out["direction"], out["peer_region"], out["city"], out["status"]) == ("out", "510000", "510100", "pending")
    assert out["pension_individual_fen"] == held["pension_individual"]
    assert out["moved"] == {"medical_months": held["medical_months"], "pension_months": held["pension_months"]}
    assert pending["region_names"]["510100"]["name_zh"] == "成都市"
    assert pending["region_names"]["510000"]["name_zh"] == "四川省"

    arrival = received_in_sichuan(service, message_id, tmp_path)
    there = statement_of(arrival.sichuan, arrival.person, date(2026, 12, 1))
    [came] = there["crossings"]
    assert (came["direction"], came["peer_region"], came["city"], came["status"]) == (
        "in",
        "440000",
        "510100",
        "received",
    )
    # conserved: what the receiver took in is what the sender's statement says left, and what it now holds
    assert came["pension_individual_fen"] == out["pension_individual_fen"] and came["moved"] == out["moved"]
    assert _held_here(there, "510100") == {
        "pension_individual": held["pension_individual"],
        "pension_months": held["pension_months"],
        "medical_months": held["medical_months"],
    }
    assert there["region_names"]["440000"]["name_en"] == "Guangdong"
    arrival.sichuan.dispose()


def test_a_voucher_on_the_statement_says_until_when_and_who_issued_it(service: Service) -> None:
    statement = service.client.get("/api/v1/me/statement", headers=service.as_("res_gz")).json()
    [voucher] = statement["vouchers"]
    assert (voucher["issued_on"], voucher["expires_on"]) == ("2026-03-01", "2027-03-01")
    assert statement["region_names"][voucher["issuer_region"]]["name_zh"] == "成都市"


def test_guangzhou_does_not_rank_a_worker_handed_over_to_chengdu(service: Service) -> None:
    """Her points application was granted in Guangzhou; after the hand-over Guangzhou's quota run leaves her out
    as moved (before, it ranked her with her Guangzhou months as if she still lived there)."""
    submitted = service.client.post(
        "/api/v1/applications",
        json={"person_key": service.people["gz"], "kind": "points"},
        headers=service.as_("cw_gz"),
    )
    assert submitted.status_code == 201, submitted.text
    path = f"/api/v1/applications/{submitted.json()['id']}/transition"
    for step in ({"action": "review"}, {"action": "approve", "reason": "经复核予以批准"}):
        assert service.client.post(path, json=step, headers=service.as_("cw_gz")).status_code == 200
    hand_over_to_sichuan(service)
    body = {"kind": "points_hukou", "region": "440100", "year": 2026, "quota": 1}
    run = service.client.post("/api/v1/quotas/runs", json=body, headers=service.as_("cw_gz"))
    assert run.status_code == 201, run.text
    assert run.json()["admitted"] + run.json()["waiting"] == []
    [apart] = run.json()["rule"]["not_ranked"]
    assert apart["reason"]["code"] == "person_moved_out" and apart["reason"]["params"]["region"] == "510100"
    assert "成都市" in apart["reason"]["zh"] and "2026-11-01" in apart["reason"]["en"]
