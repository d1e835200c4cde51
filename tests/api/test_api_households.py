"""Households through the API: staff link a parent and a child, the household is listed, and a parent applies for
a linked minor child's school place (随迁子女入学) and follows it; nobody else may (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from api_support import Service
from sqlalchemy import select

from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow


def _register(service: Service, first17: str, residence: str) -> str:
    reg = Registration(first17 + check_char(first17), "510100", residence, date(2020, 1, 1), ProofKind.HOUSING,
                       "lease-h", {"employed": False, "education": "none", "housing": "rented",
                                   "income_per_capita_month": 3000.0, "criminal_record": False})  # fmt: skip
    return str(register_resident(service.engine, reg, actor="test")["person_key"])


def _link(service: Service, who: str, parent: str, child: str) -> Any:
    body = {"parent_key": parent, "child_key": child}
    return service.client.post("/api/v1/households/links", json=body, headers=service.as_(who))


def _apply(service: Service, who: str, key: str, kind: str = "school_place") -> Any:
    return service.client.post("/api/v1/applications", json={"person_key": key, "kind": kind}, headers=service.as_(who))


def test_staff_link_within_their_jurisdiction_and_the_link_is_audited(db_service: Service) -> None:
    service = db_service
    parent = _register(service, "51010419850505003", "440100")
    child = _register(service, "51010420160606004", "440100")
    elsewhere = _register(service, "51010420170707005", "510100")
    assert _link(service, "cw_cd", parent, child).status_code == 404  # neither lives in Chengdu: out of reach
    refused = _link(service, "cw_gz", parent, elsewhere)  # the child lives in Chengdu
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach"
    assert _link(service, "res_gz", parent, child).status_code == 403
    backwards = _link(service, "cw_gz", child, parent)
    assert backwards.status_code == 400 and "the parent must be born before the child" in backwards.json()["message"]
    made = _link(service, "cw_gz", parent, child)
    assert made.status_code == 201, made.text
    assert made.json()["parent"] == parent and made.json()["child"] == child
    again = _link(service, "cw_gz", parent, child)
    assert again.status_code == 409 and "already linked" in again.json()["message"]
    with session_scope(service.engine) as session:
        record = session.scalar(select(AuditRow).where(AuditRow.action == "household.link", AuditRow.subject == child))
        assert record is not None and record.actor == "user:cw_gz"
    listed = service.client.get(f"/api/v1/residents/{child}/household", headers=service.as_("cw_gz")).json()
    assert [p["person_key"] for p in listed["parents"]] == [parent] and listed["children"] == []


def test_household_lists_names_to_those_who_may_see_them(db_service: Service) -> None:
    service = db_service
    gz, child = service.people["gz"], service.people["child"]
    own = service.client.get(f"/api/v1/residents/{gz}/household", headers=service.as_("res_gz"))
    assert own.status_code == 200
    [kid] = own.json()["children"]
    assert kid["person_key"] == child and kid["minor"] is True and kid["guardian"] is True
    staff = service.client.get(f"/api/v1/residents/{gz}/household", headers=service.as_("cw_gz")).json()
    assert staff["children"][0]["guardian"] is False  # staff act for nobody
    # the child was registered without a name: staff are told none is on file, not that it is withheld from them
    assert (staff["children"][0]["name"], staff["children"][0]["name_shown"]) == (None, True)
    for who, refused in (("res_cd", 403), ("cw_cd", 404), ("pl_gd", 403)):  # Chengdu's staff: out of reach
        assert service.client.get(f"/api/v1/residents/{gz}/household", headers=service.as_(who)).status_code == refused
    # the child's own household page is not the parent's to open
    assert service.client.get(f"/api/v1/residents/{child}/household", headers=service.as_("res_gz")).status_code == 403


def test_a_parent_applies_for_their_minor_child_and_follows_it(db_service: Service) -> None:
    service = db_service
    gz, child = service.people["gz"], service.people["child"]
    made = _apply(service, "res_gz", child)
    assert made.status_code == 201, made.text
    application = made.json()
    assert application["person_key"] == child and application["submitted_by"] == "res_gz"
    assert application["precheck"]["service"] == "compulsory_schooling"
    # the same rule as when the office takes it at the counter (where a second application for the same school place
    # is refused while this one is open, naming it)
    counter = service.client.get(f"/api/v1/applications/{application['id']}/draft-reason", headers=service.as_("cw_gz"))
    assert counter.json()["decision"] == application["precheck"]["decision"]
    again = _apply(service, "cw_gz", child)
    assert again.status_code == 409 and again.json()["params"]["application_id"] == str(application["id"]), again.text
    # the parent lists, reads and may appeal it; the other resident may not see it
    mine = service.client.get("/api/v1/applications", headers=service.as_("res_gz")).json()
    assert application["id"] in [a["id"] for a in mine["items"]]
    by_key = service.client.get(f"/api/v1/applications?person_key={child}", headers=service.as_("res_gz"))
    assert by_key.status_code == 200 and {a["person_key"] for a in by_key.json()["items"]} == {child}
    path = f"/api/v1/applications/{application['id']}"
    read = service.client.get(path, headers=service.as_("res_gz"))
    assert read.status_code == 200 and read.json()["name"] is None  # the populated child has no name on file
    assert service.client.get(path, headers=service.as_("res_cd")).status_code == 403
    assert (
        service.client.get(f"/api/v1/applications?person_key={child}", headers=service.as_("res_cd")).status_code == 403
    )
    for action in ({"action": "review"}, {"action": "reject", "reason": "学位已满"}):  # the rules say eligible
        step = service.client.post(f"{path}/transition", json=action, headers=service.as_("cw_gz"))
        assert step.status_code == 200, step.text
    staff_only = service.client.post(f"{path}/transition", json={"action": "review"}, headers=service.as_("res_gz"))
    assert staff_only.status_code == 403
    appeal = {"action": "appeal", "reason": "孩子已在本市就读一年"}
    appealed = service.client.post(f"{path}/transition", json=appeal, headers=service.as_("res_gz"))
    assert appealed.status_code == 200 and appealed.json()["status"] == "appealed"
    # on the parent's own page
    overview = service.client.get("/api/v1/me/overview", headers=service.as_("res_gz")).json()
    assert {child} <= {a["person_key"] for a in overview["applications"]}
    assert gz != child


def test_a_resident_acts_for_no_one_else(db_service: Service) -> None:
    service = db_service
    child, cd = service.people["child"], service.people["cd"]
    other = _apply(service, "res_gz", child, "dibao")  # a guardian applies for a school place only
    assert other.status_code == 403 and "school place for a migrant child" in other.json()["message"]
    assert _apply(service, "res_cd", child).status_code == 403  # not her child
    assert _apply(service, "res_gz", cd).status_code == 403  # not his child
    assert _apply(service, "res_gz", "no-such-person").status_code == 403  # no hint whether the key exists
    adult = _register(service, "51010420070101006", "440100")  # 19 years old in 2026
    assert _link(service, "cw_gz", service.people["gz"], adult).status_code == 201
    listed = service.client.get(f"/api/v1/residents/{service.people['gz']}/household", headers=service.as_("res_gz"))
    grown = next(c for c in listed.json()["children"] if c["person_key"] == adult)
    assert grown["minor"] is False and grown["guardian"] is False and grown["name"] is None
    assert _apply(service, "res_gz", adult).status_code == 403  # an adult applies for themself


def test_the_parents_facts_feed_the_childs_rule(db_service: Service) -> None:
    """随迁子女入学 reads the linked parent's residence and 居住证 conditions: unknown facts of the parent leave the
    child's pre-check undetermined, naming them; known facts that fail it make the child not eligible."""
    service = db_service
    gz, child = service.people["gz"], service.people["child"]

    def precheck_after(facts: dict[str, Any]) -> dict[str, Any]:
        patched = service.client.patch(
            f"/api/v1/residents/{gz}/facts", json={"facts": facts}, headers=service.as_("cw_gz")
        )
        assert patched.status_code == 200, patched.text
        made = _apply(service, "res_gz", child)
        assert made.status_code == 201, made.text
        # decided, so the next fact change is pre-checked on a new application (one open application of a kind)
        path = f"/api/v1/applications/{made.json()['id']}/transition"
        for step in ({"action": "review"}, {"action": "reject", "reason": "测试：换一组事实再申请"}):
            assert service.client.post(path, json=step, headers=service.as_("cw_gz")).status_code == 200
        return made.json()["precheck"]  # type: ignore[no-any-return]

    assert precheck_after({"employed": True})["decision"] == "eligible"
    unknown = precheck_after({"employed": None, "housing": None})
    assert unknown["decision"] == "undetermined"
    assert {"employed", "housing"} <= {need["input"] for need in unknown["needs"]}
    assert precheck_after({"employed": False, "housing": "none"})["decision"] == "not_eligible"
