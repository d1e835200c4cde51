"""The office's administration half of issue 17 (O1): users, the audit log and uploads, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

from api_support import PASSWORD, Service
from sqlalchemy import func, select

from changzhu.registry.identity import check_char
from changzhu.store import audit
from changzhu.store.audit_subjects import person
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.store.txn import write_session

HEADER = "身份证号,姓名,联系电话,户籍地,常住地,居住起始日期,证明类型,证明编号\n"


def _id(tail: str) -> str:
    first17 = f"51010419920202{tail}"
    return first17 + check_char(first17)


def _patch(service: Service, username: str, body: dict[str, Any], who: str = "ad_gd") -> Any:
    return service.client.patch(f"/api/v1/users/{username}", json=body, headers=service.as_(who))


def _persons(service: Service) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PersonRow)) or 0)


def test_a_disabled_account_stops_working_at_once(db_service: Service) -> None:
    service = db_service
    assert service.client.get("/api/v1/residents", headers=service.as_("cw_gz")).status_code == 200
    disabled = _patch(service, "cw_gz", {"disabled": True})
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert service.client.get("/api/v1/residents", headers=service.as_("cw_gz")).status_code == 401
    assert (
        service.client.post("/api/v1/auth/login", json={"username": "cw_gz", "password": PASSWORD}).status_code == 401
    )
    assert _patch(service, "cw_gz", {"disabled": False}).json()["disabled"] is False
    assert service.client.get("/api/v1/residents", headers=service.as_("cw_gz")).status_code == 200


def test_nobody_grants_more_than_they_hold(db_service: Service) -> None:
    service = db_service
    # Guangdong's administrator: not the whole country, not Chengdu, not an account outside Guangdong
    assert _patch(service, "cw_gz", {"jurisdictions": ["000000"]}).status_code == 403
    assert _patch(service, "cw_gz", {"jurisdictions": ["510100"]}).status_code == 403
    assert _patch(service, "cw_cd", {"disabled": True}).status_code == 404
    assert _patch(service, "ad_nat", {"disabled": True}).status_code == 404
    # within Guangdong: Shenzhen instead of Guangzhou, and a caseworker made an administrator of Guangzhou
    moved = _patch(service, "cw_gz", {"jurisdictions": ["440300"], "role": "administrator"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["jurisdictions"] == ["440300"] and moved.json()["role"] == "administrator"
    assert (moved.json()["jurisdiction_names_zh"], moved.json()["jurisdiction_names_en"]) == (["深圳市"], ["Shenzhen"])
    gz = service.people["gz"]
    assert service.client.get(f"/api/v1/residents/{gz}", headers=service.as_("cw_gz")).status_code == 404
    # an administrator does not widen, demote or disable themself; staff does not become a resident login
    assert _patch(service, "ad_gd", {"disabled": True}).status_code == 403
    assert _patch(service, "pl_gd", {"role": "resident"}).status_code == 400
    assert _patch(service, "pl_gd", {"role": "planner"}, who="cw_cd").status_code == 403
    listed = service.client.get("/api/v1/users", headers=service.as_("ad_gd")).json()
    names = {u["username"] for u in listed["items"]}
    assert {"cw_gz", "pl_gd", "res_gz", "ad_gd"} <= names and not names & {"cw_cd", "res_cd", "ad_nat", "pl_nat"}
    (gd,) = [u for u in listed["items"] if u["username"] == "ad_gd"]
    assert gd["jurisdiction_names_zh"] == ["广东省"] and gd["jurisdiction_names_en"] == ["Guangdong"]


def test_password_reset_gives_a_one_time_password(db_service: Service) -> None:
    service = db_service
    reset = service.client.post("/api/v1/users/res_gz/password", headers=service.as_("ad_gd"))
    assert reset.status_code == 200, reset.text
    fresh = reset.json()["one_time_password"]
    assert len(fresh) >= 16
    assert (
        service.client.post("/api/v1/auth/login", json={"username": "res_gz", "password": PASSWORD}).status_code == 401
    )
    assert service.client.post("/api/v1/auth/login", json={"username": "res_gz", "password": fresh}).status_code == 200
    assert service.client.post("/api/v1/users/res_cd/password", headers=service.as_("ad_gd")).status_code == 404


def test_audit_log_within_reach_and_verified(db_service: Service) -> None:
    service = db_service
    gz, cd = service.people["gz"], service.people["cd"]
    for who, key in (("cw_gz", gz), ("cw_cd", cd)):
        assert service.client.get(f"/api/v1/residents/{key}", headers=service.as_(who)).status_code == 200
    regional = service.client.get(f"/api/v1/audit?subject={gz}&limit=500", headers=service.as_("ad_gd")).json()
    assert regional["total"] >= 1 and {e["subject"] for e in regional["items"]} == {gz}
    assert "read_personal_data" in {e["action"] for e in regional["items"]}
    assert service.client.get(f"/api/v1/audit?subject={cd}", headers=service.as_("ad_gd")).json()["total"] == 0
    everything = service.client.get("/api/v1/audit?limit=500", headers=service.as_("ad_gd")).json()
    assert cd not in {e["subject"] for e in everything["items"]}
    national = service.client.get(f"/api/v1/audit?subject={cd}&actor=user:cw_cd", headers=service.as_("ad_nat"))
    assert national.json()["total"] == 1 and national.json()["items"][0]["details"]["purpose"] == "view record"
    assert {e["subject_name_zh"] for e in regional["items"]} == {None}  # a person is not named in the log
    assert service.client.get("/api/v1/residents", headers=service.as_("cw_gz")).status_code == 200
    listing = service.client.get("/api/v1/audit?subject=region:440100", headers=service.as_("ad_gd")).json()
    named = {(e["subject_name_zh"], e["subject_name_en"]) for e in listing["items"]}
    assert listing["total"] >= 1 and named == {("广州市", "Guangzhou")}
    verified = service.client.get("/api/v1/audit/verify", headers=service.as_("ad_gd")).json()
    assert verified["ok"] is True and verified["records"] > 0 and verified["problem"] is None
    assert service.client.get("/api/v1/audit", headers=service.as_("cw_gz")).status_code == 403


def _upload(service: Service, text: str, who: str = "cw_gz", **params: str) -> Any:
    files = {"file": ("登记.csv", text.encode(), "text/csv")}
    return service.client.post("/api/v1/uploads/resident", params=params, files=files, headers=service.as_(who))


def test_upload_residents_dry_run_errors_and_skip(db_service: Service) -> None:
    service = db_service
    good = f"{_id('111')},李 雷,13912345678,510100,440100,2023-03-01,就业,合同-1\n"
    bad = f"{_id('222')},韩梅梅,13912345679,510100,440100,2023-13-01,就业,合同-2\n"
    before = _persons(service)
    dry = _upload(service, HEADER + good, dry_run="true")
    assert dry.status_code == 200, dry.text
    expected = {"kind": "resident", "rows": 1, "stored": 0, "dry_run": True, "replayed": False, "errors": []}
    assert {k: v for k, v in dry.json().items() if k in expected} == expected
    # the preview masks the identity number and the phone as the resident page does (51**************30)
    shown = dry.json()["preview"][0]
    assert (shown["id_number"], shown["phone"], shown["name"]) == (
        "51" + "*" * 14 + _id("111")[-2:],
        "13*******78",
        "李 雷",
    )
    assert _persons(service) == before
    rejected = _upload(service, HEADER + good + bad)
    assert rejected.status_code == 422 and rejected.json()["stored"] == 0 and rejected.json()["rows"] == 2
    (problem,) = rejected.json()["errors"]
    assert problem["row"] == 3 and problem["column"] == "居住起始日期"
    assert problem["reason_en"].startswith("no such day: there is no month 13") and problem["reason_zh"].startswith(
        "没有这一天：没有 13 月"
    )
    assert _persons(service) == before
    skipped = _upload(service, HEADER + good + bad, skip_bad_rows="true")
    assert skipped.status_code == 200, skipped.text
    assert skipped.json()["stored"] == 1 and [e["row"] for e in skipped.json()["errors"]] == [3]
    assert _persons(service) == before + 1
    found = service.client.get("/api/v1/residents?q=李雷", headers=service.as_("cw_gz")).json()
    assert found["total"] == 1 and found["items"][0]["name"] == "李雷"
    by_phone = service.client.get("/api/v1/residents?q=13912345678", headers=service.as_("cw_gz")).json()
    assert by_phone["items"] == found["items"]


def test_upload_errors_mask_identity_numbers_as_the_resident_page_does(service: Service) -> None:
    """A row whose identity number is refused (its check character wrong) names the number in the error table as
    the resident page shows one: first two and last two characters, not the six-digit region code."""
    wrong = _id("555")[:-1] + ("1" if _id("555")[-1] != "1" else "2")
    rejected = _upload(service, HEADER + f"{wrong},王五,,510100,440100,2023-03-01,就业,合同-5\n")
    assert rejected.status_code == 422, rejected.text
    (problem,) = rejected.json()["errors"]
    assert problem["column"] == "身份证号" and problem["value"] == "51" + "*" * 14 + wrong[-2:]


def test_upload_refuses_rows_outside_the_jurisdiction_and_bad_formats(db_service: Service) -> None:
    service = db_service
    row = f"{_id('333')},张三,,510100,440100,2023-03-01,就业,合同-3\n"
    assert _upload(service, HEADER + row, who="cw_cd").status_code == 403
    assert _upload(service, HEADER + row, who="pl_nat").status_code == 403
    files = {"file": ("people.exe", b"MZ", "application/octet-stream")}
    odd = service.client.post("/api/v1/uploads/resident", files=files, headers=service.as_("cw_gz"))
    assert odd.status_code == 422 and ".exe" in odd.json()["message"]
    wrong_phone = _upload(service, HEADER + row.replace(",,", ",12345,"))
    assert wrong_phone.status_code == 422
    assert (
        wrong_phone.json()["errors"][0]["column"] == "联系电话"  # as the file names it, like every other bad cell
        and "手机号" in wrong_phone.json()["errors"][0]["reason_zh"]
    )


def test_upload_contributions(db_service: Service) -> None:
    service = db_service
    assert _upload(service, HEADER + f"{_id('444')},王五,,510100,440100,2023-03-01,就业,合同-4\n").status_code == 200
    text = "身份证号,险种,参保地,起始年月,截止年月,月缴费基数\n" + f"{_id('444')},医疗保险,440100,202401,202406,7000\n"
    files = {"file": ("缴费.csv", text.encode(), "text/csv")}
    done = service.client.post("/api/v1/uploads/contribution", files=files, headers=service.as_("cw_gz"))
    assert done.status_code == 200, done.text
    assert done.json()["stored"] == 1 and done.json()["errors"] == []
    again = service.client.post("/api/v1/uploads/contribution", files=files, headers=service.as_("cw_gz"))
    assert again.json()["replayed"] is True  # the same file is imported once


def test_audit_reasons_in_both_languages(db_service: Service) -> None:
    """Every reason a route or the ledger writes is kept in Chinese and English; a record written before (one
    text) shows what it holds in both."""
    service = db_service
    gz = service.people["gz"]
    assert service.client.get(f"/api/v1/residents/{gz}/overview", headers=service.as_("cw_gz")).status_code == 200
    assert service.client.get("/api/v1/residents?limit=5", headers=service.as_("cw_gz")).status_code == 200
    items = service.client.get("/api/v1/audit?limit=500", headers=service.as_("ad_nat")).json()["items"]
    by_reason = {e["reason_en"]: e for e in items}
    overview = by_reason["view overview"]
    assert overview["reason_zh"] == "查看居民页面" and overview["reason"] == "查看居民页面"
    assert overview["details"]["purpose"] == "view overview"
    assert by_reason["caseload listing"]["reason_zh"] == "辖区居民列表"
    written = [e for e in items if e["action"] in ("register", "contribute.pension", "permit.issue")]
    assert written and all(e["reason_zh"] != e["reason_en"] for e in written)
    assert all(re.search(r"[\u4e00-\u9fff]", e["reason_zh"]) for e in items if e["reason_zh"] != e["reason_en"])
    assert all(not re.search(r"[\u4e00-\u9fff]", e["reason_en"]) for e in items if e["reason_zh"] != e["reason_en"])
    with write_session(service.engine) as session:  # a record as written before reasons had two languages
        audit.append(
            session, actor="user:old", action="read_personal_data", subject=person(gz), details={}, reason="legacy"
        )
    old = service.client.get("/api/v1/audit?actor=user:old", headers=service.as_("ad_nat")).json()["items"][0]
    assert old["reason"] == old["reason_zh"] == old["reason_en"] == "legacy"
    assert service.client.get("/api/v1/audit/verify", headers=service.as_("ad_nat")).json()["ok"] is True


def _now_lives_in_chengdu(service: Service, person_key: str) -> None:
    """The person's residence set to Chengdu directly in the database (out of Guangdong's reach)."""
    with write_session(service.engine) as session:
        moved = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        assert moved is not None
        moved.residence_region = "510100"


def test_audit_of_a_person_who_moved_out_keeps_own_staff_actions_redacted(db_service: Service) -> None:
    """A regional administrator reads the log by the jurisdiction of what each record is about: once the Guangzhou
    worker lives in Chengdu, Guangdong's administrator still sees that their caseworker read his record (who, what,
    when) but not whom it was about nor what was recorded; asking for him by key finds nothing; the national
    administrator sees the record whole."""
    service = db_service
    gz = service.people["gz"]
    assert service.client.get(f"/api/v1/residents/{gz}", headers=service.as_("cw_gz")).status_code == 200
    _now_lives_in_chengdu(service, gz)
    log = service.client.get("/api/v1/audit?actor=cw_gz&limit=500", headers=service.as_("ad_gd")).json()
    reads = [e for e in log["items"] if e["action"] == "read_personal_data"]
    assert reads and gz not in str(log)
    for entry in reads:
        assert entry["redacted"] is True and entry["actor"] == "user:cw_gz" and entry["at"]
        assert (entry["subject"], entry["details"], entry["reason_en"], entry["subject_person_key"]) == (
            "",
            {},
            "",
            None,
        )
        assert (entry["subject_name_zh"], entry["subject_name_en"]) == (
            "辖区外的居民",
            "a resident outside your jurisdiction",
        )
    assert service.client.get(f"/api/v1/audit?subject={gz}", headers=service.as_("ad_gd")).json()["total"] == 0
    exported = service.client.get("/api/v1/audit?actor=cw_gz&limit=500&format=csv", headers=service.as_("ad_gd"))
    assert exported.status_code == 200 and gz not in exported.text
    national = service.client.get(f"/api/v1/audit?subject={gz}&actor=cw_gz", headers=service.as_("ad_nat")).json()
    assert national["total"] == len(reads) and {e["redacted"] for e in national["items"]} == {False}
    assert {e["subject_person_key"] for e in national["items"]} == {gz}


def test_audit_of_a_moved_residents_login_keeps_own_staff_actions_redacted(db_service: Service) -> None:
    """Guangzhou's caseworker made the Guangzhou child a login (its default user name is the start of the person
    key) and Guangdong's administrator reset its password; once the child lives in Chengdu, the administrator sees
    that they reset an account's password, but not whose: a record about a resident's account is redacted as the
    records about the person are."""
    service = db_service
    child = service.people["child"]
    made = service.client.post(f"/api/v1/residents/{child}/login", json={}, headers=service.as_("cw_gz"))
    assert made.status_code == 201, made.text
    username = made.json()["username"]
    reset = service.client.post(f"/api/v1/users/{username}/password", headers=service.as_("ad_gd"))
    assert reset.status_code == 200, reset.text
    _now_lives_in_chengdu(service, child)
    log = service.client.get("/api/v1/audit?actor=ad_gd&limit=500", headers=service.as_("ad_gd")).json()
    resets = [e for e in log["items"] if e["action"] == "account.password_reset"]
    assert resets and username not in str(log) and child[:12] not in str(log)
    assert {(e["redacted"], e["subject"], e["subject_name_en"]) for e in resets} == {
        (True, "", "a resident outside your jurisdiction")
    }
    national = service.client.get("/api/v1/audit?actor=ad_gd&limit=500", headers=service.as_("ad_nat")).json()
    assert f"user:{username}" in {e["subject"] for e in national["items"] if e["action"] == "account.password_reset"}
