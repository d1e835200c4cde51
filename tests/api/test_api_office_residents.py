"""The office's resident half of issue 17 (O1): search through keyed hashes, the resident page and its actions,
resident logins and self-service, each on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from api_support import ID_CD, ID_GZ, PASSWORD, Service
from sqlalchemy import func, select

from changzhu.ledger.checks import ledger_problems
from changzhu.registry.identity import check_char
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, ContributionMonthRow, PersonAttributeRow, PersonRow

NAME, PHONE = "欧阳 小梅", "138-0013-8000"


def _new_id(tail: str) -> str:
    first17 = f"44010619980808{tail}"
    return first17 + check_char(first17)


def _register(service: Service, who: str = "cw_gz", **extra: Any) -> Any:
    body = {
        "id_number": _new_id("123"), "hukou_region": "510100", "residence_region": "440100",
        "residence_since": "2022-05-01", "proof_kind": "employment", "proof_ref": "合同-88", "name": NAME,
        "phone": PHONE, **extra,
    }  # fmt: skip
    return service.client.post("/api/v1/residents", json=body, headers=service.as_(who))


def _first_login(service: Service, made: dict[str, Any]) -> dict[str, str]:
    """Log in with a new resident login's one-time password and change it (nothing else is allowed before)."""
    token = service.client.post("/api/v1/auth/login",
                                json={"username": made["username"], "password": made["one_time_password"]})  # fmt: skip
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = {"old_password": made["one_time_password"], "new_password": PASSWORD}
    changed = service.client.post("/api/v1/auth/password", headers=headers, json=body)
    assert changed.status_code == 200, changed.text
    return headers


def _search(service: Service, who: str, **params: str) -> Any:
    return service.client.get("/api/v1/residents", params=params, headers=service.as_(who))


def _audit_count(service: Service, action: str) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == action)) or 0)


def test_search_by_name_phone_id_and_key_through_keyed_hashes(db_service: Service) -> None:
    service = db_service
    created = _register(service)
    assert created.status_code == 201, created.text
    key = created.json()["person_key"]
    with session_scope(service.engine) as session:
        row = session.scalar(select(PersonRow).where(PersonRow.person_key == key))
        assert row is not None and row.name_hash and row.phone_hash and row.name_cipher and row.phone_cipher
        assert "小梅".encode() not in row.name_cipher and b"13800138000" not in row.phone_cipher
    before = _audit_count(service, "list_personal_data")
    # the name with a full-width space and no space, the phone in another spelling, the ID number, the key
    for q, by in (("欧阳\u3000小梅", "auto"), ("欧阳小梅", "name"), ("+86 13800138000", "auto"),
                  (_new_id("123"), "auto"), (key, "auto"), (key, "person_key")):  # fmt: skip
        found = _search(service, "cw_gz", q=q, by=by)
        assert found.status_code == 200, (q, found.text)
        assert [p["person_key"] for p in found.json()["items"]] == [key], q
        item = found.json()["items"][0]
        assert item["name"] == "欧阳小梅" and item["residence_region_name"] == "广州市"
        assert item["hukou_region_name"] == "成都市"
    assert _audit_count(service, "list_personal_data") == before + 6
    # an exact match only: a part of the name finds nobody; Chengdu's caseworker does not find a Guangzhou resident
    assert _search(service, "cw_gz", q="小梅").json()["total"] == 0
    assert _search(service, "cw_cd", q="欧阳小梅").json()["total"] == 0
    assert _search(service, "pl_nat", q="欧阳小梅").status_code == 403
    # the search text is not written to the audit log
    with session_scope(service.engine) as session:
        details = list(session.scalars(select(AuditRow.details).where(AuditRow.action == "list_personal_data")))
    assert not any("小梅" in d or "13800138000" in d for d in details)


def test_list_is_paged_and_sorted(db_service: Service) -> None:
    service = db_service
    _register(service)
    by_birth = _search(service, "cw_gz", sort="birth_date", order="desc", limit="2").json()
    assert by_birth["total"] == 4 and len(by_birth["items"]) == 2  # worker, child, new person, the mover (moving in)
    births = [p["birth_date"] for p in by_birth["items"]]
    assert births == sorted(births, reverse=True) and births[0] == "2018-06-06"
    rest = _search(service, "cw_gz", sort="birth_date", order="desc", limit="2", offset="2").json()["items"]
    assert max(p["birth_date"] for p in rest) <= births[-1]
    named = _search(service, "cw_gz", sort="name", order="desc").json()["items"]
    assert named[0]["name"] == "欧阳小梅" and {p["name"] for p in named[1:]} == {None}
    assert _search(service, "cw_gz", sort="nonsense").status_code == 422


def test_overview_gathers_the_residents_page(db_service: Service) -> None:
    service = db_service
    gz = service.people["gz"]
    headers = service.as_("cw_gz")
    page = service.client.get(f"/api/v1/residents/{gz}/overview?on=2026-11-24", headers=headers)
    assert page.status_code == 200, page.text
    body = page.json()
    assert set(body) == {
        "record", "history", "entitlements", "incomplete", "account", "vouchers", "transfers", "applications",
        "region_names", "reported_residence", "crossings", "medical_claims", "counted_facts",
        "medical_insured_region",
    }  # fmt: skip
    # every place the account and the voucher mention, by name (the page showed bare codes)
    assert body["region_names"] == {
        "440100": {"name_zh": "广州市", "name_en": "Guangzhou"},
        "510100": {"name_zh": "成都市", "name_en": "Chengdu"},
    }
    assert body["incomplete"] == []
    assert body["record"]["person_key"] == gz and body["record"]["residence_region_name"] == "广州市"
    # what the page shows to know the person by: the identity number masked (the key is only the page's address)
    assert body["record"]["id_number_masked"] == ID_GZ[:2] + "*" * 14 + ID_GZ[-2:]
    assert [(e["kind"], e["from_region"], e["to_region"]) for e in body["history"]] == [
        ("registration", "510100", "440100")
    ]
    names = [(e["from_region_name_en"], e["to_region_name_en"]) for e in body["history"]]
    assert names == [("Chengdu", "Guangzhou")]  # an English screen names the places in English
    assert body["record"]["residence_region_name_en"] == "Guangzhou"
    entitlements = service.client.get(f"/api/v1/residents/{gz}/entitlements?on=2026-11-24", headers=headers).json()
    assert body["entitlements"] == entitlements
    assert body["account"] == service.client.get(f"/api/v1/residents/{gz}/account", headers=headers).json()
    assert [v["voucher_no"] for v in body["vouchers"]] == [service.voucher_no]
    assert body["applications"] == []
    applied = service.client.post("/api/v1/applications", json={"person_key": gz, "kind": "points"}, headers=headers)
    assert applied.status_code == 201, applied.text
    again = service.client.get(f"/api/v1/residents/{gz}/overview?on=2026-11-24", headers=headers).json()
    assert [(a["id"], a["kind"], a["status"]) for a in again["applications"]] == [
        (applied.json()["id"], "points", "submitted")
    ]
    assert service.client.get(f"/api/v1/residents/{gz}/overview", headers=service.as_("cw_cd")).status_code == 404


def test_facts_are_checked_against_the_declared_inputs(db_service: Service) -> None:
    service = db_service
    mover = service.people["mover"]  # lives in Chengdu, no facts on file
    path = f"/api/v1/residents/{mover}/facts"
    chinese = {**service.as_("cw_cd"), "Accept-Language": "zh-CN"}
    bad = service.client.patch(path, json={"facts": {"education": "phd"}}, headers=chinese)
    assert bad.status_code == 422 and "学历" in bad.json()["message"] and "education" in bad.json()["message"]
    unknown = service.client.patch(path, json={"facts": {"shoe_size": 42}}, headers=service.as_("cw_cd"))
    assert unknown.status_code == 422 and "shoe_size" in unknown.json()["message"]
    wrong_type = service.client.patch(path, json={"facts": {"employed": "perhaps"}}, headers=chinese)
    assert wrong_type.status_code == 422 and "合法稳定就业" in wrong_type.json()["message"]
    ok = service.client.patch(path, json={"facts": {"education": "master", "employed": True}},
                              headers=service.as_("cw_cd"))  # fmt: skip
    assert ok.status_code == 200, ok.text and ok.json()["set"] == ["education", "employed"]
    cleared = service.client.patch(path, json={"facts": {"employed": None}}, headers=service.as_("cw_cd"))
    assert cleared.json()["removed"] == ["employed"]
    with session_scope(service.engine) as session:
        stored = {a.name: a.value() for a in session.scalars(select(PersonAttributeRow).join(
            PersonRow, PersonRow.id == PersonAttributeRow.person_id).where(PersonRow.person_key == mover))}  # fmt: skip
    assert stored == {"education": "master"}  # employed is unknown again, not false
    # the record shows the facts on record (what the facts dialog shows as recorded): employed is absent, unknown
    record = service.client.get(f"/api/v1/residents/{mover}/overview", headers=service.as_("cw_cd")).json()["record"]
    assert record["facts"] == {"education": "master"}
    # Guangzhou sees the mover (moving in) but does not write to Chengdu's record
    assert (
        service.client.patch(path, json={"facts": {"education": "master"}}, headers=service.as_("cw_gz")).status_code
        == 404
    )


def test_a_category_fact_given_by_its_label_is_stored_as_its_code(db_service: Service) -> None:
    """A caseworker writes 本科 (the label the office shows, and what a person file may hold) rather than the code
    bachelor: the fact is stored as bachelor, as a file of residents would read it; a word that is no category's is
    still refused, naming the choices."""
    service = db_service
    path = f"/api/v1/residents/{service.people['mover']}/facts"
    given = {"education": "本科", "housing": "rented home", "professional_title": "无"}
    ok = service.client.patch(path, json={"facts": given}, headers=service.as_("cw_cd"))
    assert ok.status_code == 200, ok.text
    with session_scope(service.engine) as session:
        stored = {a.name: a.value() for a in session.scalars(select(PersonAttributeRow).join(
            PersonRow, PersonRow.id == PersonAttributeRow.person_id).where(
                PersonRow.person_key == service.people["mover"]))}  # fmt: skip
    assert stored == {"education": "bachelor", "housing": "rented", "professional_title": "none"}
    bad = service.client.patch(path, json={"facts": {"education": "学士"}}, headers=service.as_("cw_cd"))
    assert bad.status_code == 422 and "bachelor" in bad.json()["message"]
    # a count written in words is refused in plain English too ("is not a whole number", not "is not a integer")
    words = service.client.patch(path, json={"facts": {"admin_detentions": "两次"}}, headers=service.as_("cw_cd"))
    assert words.status_code == 422 and "'两次' is not a whole number" in words.json()["message"], words.text


def test_permit_issue_then_renew(db_service: Service) -> None:
    service = db_service
    gz = service.people["gz"]
    path = f"/api/v1/residents/{gz}/permits"
    issued = service.client.post(path, json={"issued_on": "2025-06-01"}, headers=service.as_("cw_gz"))
    assert issued.status_code == 201, issued.text
    assert issued.json()["action"] == "issued" and issued.json()["expires_on"] == "2026-06-01"
    renewed = service.client.post(path, json={"issued_on": "2026-05-20"}, headers=service.as_("cw_gz"))
    assert renewed.json()["action"] == "renewed" and renewed.json()["expires_on"] == "2027-06-01"
    record = service.client.get(f"/api/v1/residents/{gz}", headers=service.as_("cw_gz")).json()
    assert record["residence_permit_since"] == "2025-06-01"  # held without a break since the first issue
    created = _register(service, residence_since="2026-10-01")
    early = service.client.post(f"/api/v1/residents/{created.json()['person_key']}/permits",
                                json={"issued_on": "2026-11-01"}, headers=service.as_("cw_gz"))  # fmt: skip
    assert early.status_code == 400 and "6 months" in early.json()["message"]
    assert service.client.post(path, json={"issued_on": "2026-06-01"}, headers=service.as_("cw_cd")).status_code == 404


def test_a_permit_or_move_dated_after_today_is_refused(service: Service) -> None:
    """A permit typed as 2030-01-01 was stored, and from then on the person's page and her own answered 400 "invalid
    person table: ... date is after the evaluation date" (uncoded, in English) on every opening: refused when typed,
    saying what to give instead, in either language; the page still opens."""
    gz, cd = service.people["gz"], service.people["cd"]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    zh = {**service.as_("cw_gz"), "Accept-Language": "zh"}
    permit = service.client.post(f"/api/v1/residents/{gz}/permits", json={"issued_on": tomorrow}, headers=zh)
    assert permit.status_code == 400 and permit.json()["code"] == "permit_in_future", permit.text
    wanted = f"签发日期 {tomorrow} 晚于今天（{date.today()}）：请填写居住证实际签发之日，最晚为今天"
    assert permit.json()["message"] == wanted, permit.text
    move = {"moved_on": tomorrow, "proof_kind": "employment", "proof_ref": "合同-9"}
    arrival = {**move, "to_region": "440100", "id_number": ID_CD}  # from Chengdu: held for the old place
    within = {**move, "to_region": "440300"}  # Guangzhou to Shenzhen, both in the province's reach
    for who, key, body in (("cw_gz", cd, arrival), ("ad_gd", gz, within)):
        moved = service.client.post(f"/api/v1/residents/{key}/moves", json=body, headers=service.as_(who))
        assert moved.status_code == 400 and moved.json()["code"] == "move_in_future", moved.text
        assert "record a move once it has happened" in moved.json()["message"]
    for who in ("cw_gz", "res_gz"):
        path = f"/api/v1/residents/{gz}/overview" if who == "cw_gz" else "/api/v1/me/overview"
        page = service.client.get(path, headers=service.as_(who))
        assert page.status_code == 200 and page.json()["record"]["residence_permit_since"] is None, page.text


def test_a_move_out_of_the_jurisdiction_says_who_records_it(service: Service) -> None:
    """登记迁入 to Shenzhen by Guangzhou's caseworker said only "深圳市（440300）不在您的辖区（广州市（440100））内":
    now also who records the move, in either language."""
    move = {"to_region": "440300", "moved_on": "2026-06-01", "proof_kind": "employment", "proof_ref": "合同-9"}
    path = f"/api/v1/residents/{service.people['gz']}/moves"
    for lang, wanted in (
        (
            "zh",
            "迁入地 深圳市（440300）不在您的辖区（广州市（440100））内：迁移由迁入地的经办机构登记",
        ),
        ("en", "Shenzhen (440300) is outside your jurisdiction (Guangzhou (440100)): a move is recorded by the office"),
    ):
        refused = service.client.post(path, json=move, headers={**service.as_("cw_gz"), "Accept-Language": lang})
        assert refused.status_code == 403 and refused.json()["code"] == "move_recorded_where_arrived", refused.text
        assert refused.json()["message"].startswith(wanted), refused.text


def test_a_parent_without_a_permit_is_not_said_to_hold_one(service: Service) -> None:
    """Her child's school place reads the permit service of the parent (its conditions met), not a permit held: the
    Guangzhou worker holds none, and her pre-check said "✓ 父母持有本地居住证" / "the parent holds a residence permit
    here"."""
    made = service.client.post(
        "/api/v1/applications",
        json={"person_key": service.people["child"], "kind": "school_place"},
        headers=service.as_("res_gz"),
    )
    assert made.status_code == 201, made.text
    check = made.json()["precheck"]
    assert service.client.get("/api/v1/me/overview", headers=service.as_("res_gz")).json()["record"]["permits"] == []
    assert "✓ 父母符合本地居住证办理条件" in check["explanation_zh"], check["explanation_zh"]
    assert "✓ the parent qualifies for a residence permit here" in check["explanation_en"], check["explanation_en"]
    assert "持有本地居住证" not in check["explanation_zh"] and "holds a residence permit" not in check["explanation_en"]


def test_contributions_go_through_the_ledger(db_service: Service) -> None:
    service = db_service
    created = _register(service)
    key = created.json()["person_key"]
    body = {"scheme": "medical", "region": "440100", "from_period": 202601, "months": 6, "amount_yuan": 7500}
    done = service.client.post(f"/api/v1/residents/{key}/contributions", json=body, headers=service.as_("cw_gz"))
    assert done.status_code == 201, done.text and done.json()["months"] == 6
    with session_scope(service.engine) as session:
        periods = sorted(session.scalars(select(ContributionMonthRow.period).join(
            PersonRow, PersonRow.id == ContributionMonthRow.person_id).where(PersonRow.person_key == key)))  # fmt: skip
    assert periods == [202601, 202602, 202603, 202604, 202605, 202606]
    again = service.client.post(f"/api/v1/residents/{key}/contributions", json=body, headers=service.as_("cw_gz"))
    assert again.status_code == 400 and "already recorded" in again.json()["message"]
    # in the words of the dialog: the month as picked and the place by name, not "202601 ... (缴于 440100)"
    zh = service.client.post(f"/api/v1/residents/{key}/contributions", json=body,
                             headers={**service.as_("cw_gz"), "Accept-Language": "zh"})  # fmt: skip
    assert zh.json()["message"] == "2026-01：该月份已有医疗保险缴费记录（缴于 广州市（440100））", zh.text
    elsewhere = {**body, "region": "510100", "from_period": 202607}
    refused = service.client.post(f"/api/v1/residents/{key}/contributions", json=elsewhere,
                                  headers=service.as_("cw_gz"))  # fmt: skip
    assert refused.status_code == 403
    assert ledger_problems(service.engine) == []


def test_a_resident_login_without_a_person_id(db_service: Service) -> None:
    service = db_service
    key = _register(service).json()["person_key"]
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_gz"))
    assert made.status_code == 201, made.text
    username, password = made.json()["username"], made.json()["one_time_password"]
    assert (
        service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_gz")).status_code == 409
    )
    token = service.client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert token.status_code == 200, token.text
    me = service.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert me.json()["person_key"] == key and me.json()["role"] == "resident"
    with session_scope(service.engine) as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.username == username))
    assert stored is not None and password not in stored


def test_my_overview_lists_what_is_missing_and_my_points(db_service: Service) -> None:
    service = db_service
    mine = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=service.as_("res_gz"))
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["record"]["person_key"] == service.people["gz"]
    for item in body["missing"]:
        assert set(item) >= {"service", "fact", "condition", "label_zh", "label_en", "from_date"}
        assert item["label_zh"] and item["label_en"]
    assert body["points"], "Guangzhou has a points scheme"
    scheme = body["points"][0]
    assessed = [i["points"] for i in scheme["items"] if i["points"] is not None]
    assert abs(sum(assessed) - scheme["total"]) < 1e-9
    assert all(i["label_zh"] and i["label_en"] for i in scheme["items"])
    # a new resident with no facts on file: the undetermined services name the facts they need, never zero
    key = _register(service).json()["person_key"]
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_gz")).json()
    headers = _first_login(service, made)
    new = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=headers).json()
    assert "employed" in new["incomplete"]  # decided under every value the missing facts can take
    unsure = {u["service"]: u["needs"] for u in new["entitlements"]["undetermined"]}
    assert "合法稳定就业" in unsure["residence_permit"]
    employed = next(m for m in new["missing"] if m["fact"] == "employed")
    assert employed["label_zh"] == "合法稳定就业" and employed["from_date"] is None
    reading_education = [i for s in new["points"] for i in s["items"] if "education" in i["needs"]]
    assert reading_education and all(i["points"] is None for i in reading_education)
    # once the facts are given, the services decide; an unknown fact leaves a decision undetermined and named
    facts = {"employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 6000.0,
             "criminal_record": False}  # fmt: skip
    given = service.client.patch(f"/api/v1/residents/{key}/facts", json={"facts": facts}, headers=service.as_("cw_gz"))
    assert given.status_code == 200, given.text
    decided = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=headers).json()
    assert decided["entitlements"] is not None and decided["points"]
    later = [m for m in decided["missing"] if m["service"] == "points_settlement"]
    # Guangzhou's full points table reads facts not given here: each is named (no date); a date is never invented
    assert later and all(
        (m["fact"] is None and m["from_date"] > "2026-11-24") or (m["fact"] and m["from_date"] is None) for m in later
    )
    assert service.client.get("/api/v1/me/overview", headers=service.as_("cw_gz")).status_code == 403


def test_my_points_say_plainly_that_the_values_are_unchecked(db_service: Service) -> None:
    """Chengdu's scheme is a placeholder: the resident read "（占位分值，未经核实）" and "（占位：每满1年10分）", the
    project's notes. The labels say what is scored; `verified` false is the page's plain sentence (MeView)."""
    service = db_service
    body = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=service.as_("res_cd")).json()
    scheme = next(p for p in body["points"] if p["scheme"] == "chengdu_settlement_points")
    assert scheme["verified"] is False
    shown = [scheme["title_zh"], scheme["title_en"]] + [
        t for m in body["missing"] for t in (m["label_zh"], m["label_en"])
    ]
    shown += [t for i in scheme["items"] for t in (i["label_zh"], i["label_en"])]
    assert scheme["title_zh"] == "成都市居住证积分入户"
    assert not [t for t in shown if re.search("占位|未经核实|placeholder|not verified", t)], shown


def test_my_statement(db_service: Service) -> None:
    service = db_service
    statement = service.client.get("/api/v1/me/statement?on=2026-11-24", headers=service.as_("res_gz"))
    assert statement.status_code == 200, statement.text
    body = statement.json()
    pension = [b for b in body["balances"] if b["kind"] == "pension_individual"]
    assert pension and all(b["yuan"] == b["balance"] / 100 for b in pension)
    months = {(m["scheme"], m["paid_region"]): m["months"] for m in body["contribution_months"]}
    assert months[("pension", "510100")] == 38 and months[("medical", "510100")] == 32
    assert body["region_names"]["510100"] == {"name_zh": "成都市", "name_en": "Chengdu"}
    assert [v["voucher_no"] for v in body["vouchers"]] == [service.voucher_no]
    assert ID_GZ not in statement.text


def test_registering_with_a_bad_phone_names_it(service: Service) -> None:
    bad = _register(service, phone="12345678901")
    assert bad.status_code == 400 and bad.json()["code"] == "phone_form" and "phone number" in bad.json()["message"]
    assert service.client.get("/api/v1/residents?q=欧阳小梅", headers=service.as_("cw_gz")).json()["total"] == 0
    assert PASSWORD  # the fixture's accounts are untouched


def test_undetermined_services_name_the_declared_inputs_they_need(db_service: Service) -> None:
    """A Shanghai resident with the core facts but none of Shanghai's declared inputs: the residence points are
    undetermined and name the inputs they need; once given through PATCH /facts they are no longer missing."""
    service = db_service
    body = {
        "id_number": "310104199202023337", "hukou_region": "510100", "residence_region": "310100",
        "residence_since": "2019-05-01", "proof_kind": "housing", "proof_ref": "沪房-1",
        "attributes": {"employed": True, "education": "master", "housing": "rented",
                       "income_per_capita_month": 9000.0, "criminal_record": False},
    }  # fmt: skip
    created = service.client.post("/api/v1/residents", json=body, headers=service.as_("ad_nat"))
    assert created.status_code == 201, created.text
    key = created.json()["person_key"]
    for scheme in ("pension", "medical"):  # six years of insurance in Shanghai, for the points prerequisites
        paid = {"scheme": scheme, "region": "310100", "from_period": 202001, "months": 72, "amount_yuan": 12000}
        done = service.client.post(f"/api/v1/residents/{key}/contributions", json=paid, headers=service.as_("ad_nat"))
        assert done.status_code == 201, done.text
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("ad_nat")).json()
    headers = _first_login(service, made)
    page = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=headers).json()
    needed = {m["fact"]: m for m in page["missing"] if m["fact"]}
    assert "degree" in needed, page["missing"]  # an input only Shanghai declares, behind an unassessed indicator
    assert needed["degree"]["service"] == "shanghai_residence_points" and needed["degree"]["from_date"] is None
    assert needed["degree"]["label_zh"] != "degree" and needed["degree"]["label_en"]
    scheme = next(p for p in page["points"] if p["scheme"] == "shanghai_residence_points")
    assert scheme["status"] == "undetermined" and any(i["points"] is None for i in scheme["items"])
    # Shanghai's inputs are declared for Shanghai only: refused for a Guangzhou resident
    gz_facts = f"/api/v1/residents/{service.people['gz']}/facts"
    refused = service.client.patch(gz_facts, json={"facts": {"degree": "master"}}, headers=service.as_("ad_nat"))
    assert refused.status_code == 422 and "degree" in refused.json()["message"]
    given = service.client.patch(f"/api/v1/residents/{key}/facts", json={"facts": {"degree": "master"}},
                                 headers=service.as_("ad_nat"))  # fmt: skip
    assert given.status_code == 200, given.text
    again = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=headers).json()
    assert "degree" not in {m["fact"] for m in again["missing"]}


def test_an_unknown_person_key_is_not_repeated_to_the_caller(service: Service, caplog: Any) -> None:
    """A link to a person no one is (a key typed wrong, a record since removed): the page, an action and an
    application say there is no such resident and what to do, in either language, without the 32-hex key; the
    server log keeps the key."""
    unknown = "0123456789abcdef" * 2
    calls = (
        ("get", f"/api/v1/residents/{unknown}", None),
        ("get", f"/api/v1/residents/{unknown}/overview", None),
        ("post", f"/api/v1/residents/{unknown}/permits", {"issued_on": "2026-06-01"}),
        ("post", "/api/v1/applications", {"person_key": unknown, "kind": "points"}),
    )
    wanted = {
        "en": "no such resident within your reach (check the link or search again)",
        "zh": "您可查看的范围内没有此居民（请检查链接或重新搜索）",
    }
    with caplog.at_level("INFO", logger="changzhu"):
        for method, path, body in calls:
            for lang, message in wanted.items():
                headers = {**service.as_("cw_gz"), "Accept-Language": lang}
                answer = service.client.request(method, path, json=body, headers=headers)
                assert answer.status_code == 404, (path, answer.text)
                assert (answer.json()["code"], answer.json()["message"]) == ("no_person_in_reach", message)
                assert unknown not in answer.text
    assert unknown in caplog.text


def test_every_points_item_i_cannot_score_names_its_facts_in_what_is_missing(db_service: Service) -> None:
    """The mover lives in Chengdu with no facts and no contribution history: Chengdu's points table cannot score the
    insurance years (its local insurance months are unknown), so what is missing names that fact too, not only the
    facts of the other open items (the decision table lists such a fact itself, not its item)."""
    service = db_service
    made = service.client.post(
        f"/api/v1/residents/{service.people['mover']}/login", json={}, headers=service.as_("cw_cd")
    )
    page = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=_first_login(service, made.json())).json()
    scheme = next(p for p in page["points"] if p["scheme"] == "chengdu_settlement_points")
    open_items = {n for i in scheme["items"] if i["points"] is None for n in i["needs"]}
    assert "si_months_local" in open_items, scheme["items"]
    named = {m["fact"] for m in page["missing"] if m["service"] == "chengdu_settlement_points"}
    assert named == open_items, (named, open_items)


def test_each_points_item_says_what_it_is_scored_on_or_which_fact_it_needs(db_service: Service) -> None:
    """A 0 on the resident's points table is a recorded value that scores 0, and the page says which: the Guangzhou
    worker's 技术能力 (skills) is 0 because 职业资格/职称 is recorded as 无 (none), not because it is unknown; a yes/no
    fact is said once ("...急需目录：否", not the label twice). An item the Chengdu resident's record cannot score
    has no points, names the facts it needs in words and the points it could still give."""
    service = db_service
    page = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=service.as_("res_gz")).json()
    items = {i["item"]: i for s in page["points"] for i in s["items"]}
    skills = items["skills"]
    assert skills["points"] == 0 and skills["needs"] == []
    assert skills["basis_zh"] == ["职业资格/职称：无"]
    assert skills["basis_en"] == ["vocational qualification or professional title: none"]
    assert "职业工种或职业资格符合当年广州市积分急需目录：否" in items["shortage_and_hardship"]["basis_zh"]
    assert (
        "occupation or qualification on the year's Guangzhou shortage list: no"
        in (items["shortage_and_hardship"]["basis_en"])
    )
    for item in items.values():  # every assessed item says what it read
        assert item["basis_zh"] and item["basis_en"] and item["needs_zh"] == [], item
    chengdu = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=service.as_("res_cd")).json()
    area = next(i for s in chengdu["points"] for i in s["items"] if i["item"] == "area")
    assert area["points"] is None and area["needs"] == ["chengdu_home_area"]
    assert area["needs_zh"] == ["申请落户的家庭所在区域"]
    assert area["needs_en"] == ["area chosen for the household's registration"]
    assert (area["low"], area["high"]) == (0, 30)


def test_no_residence_permit_reads_the_same_in_every_city(db_service: Service) -> None:
    """Neither the Guangzhou worker nor the Chengdu resident holds a residence permit: both pages say so ("无居住证"),
    not "0 个月" in Guangzhou (where the rules count permit months from the day one can be had) and "无" in Chengdu;
    the points table and the conditions alike."""
    service = db_service
    for who, scheme in (("res_gz", "guangzhou_settlement_points"), ("res_cd", "chengdu_settlement_points")):
        page = service.client.get("/api/v1/me/overview?on=2026-11-24", headers=service.as_(who)).json()
        assert page["record"]["permits"] == [], who
        items = [i for s in page["points"] for i in s["items"] if s["scheme"] == scheme and i["item"] == "permit_years"]
        assert items, [s["scheme"] for s in page["points"]]
        assert items[0]["basis_zh"] == ["持居住证时间：无居住证"], items[0]
        assert items[0]["basis_en"] == ["time holding a residence permit: no residence permit"], items[0]
        key = page["record"]["person_key"]
        staff = service.as_("cw_gz" if who == "res_gz" else "cw_cd")
        shown = service.client.get(f"/api/v1/residents/{key}/entitlements?on=2026-11-24", headers=staff).json()
        values = [c["value"] for s in shown["services"] for c in s["conditions"] if "居住证" in (c["label"] or "")]
        values += [i for p in shown["points"] for x in p["indicators"] for i in x["inputs"] if i.startswith("持居住证")]
        assert values and not [v for v in values if v and ("0 个月" in v or v.endswith("：无"))], values
