"""An attacker with a legitimate account: writes checked against the resource they change (the person's residence,
both ends of a transfer), not only the caller's own region; no write widens who may read a person; and what the
refusals say does not tell one place about another place's residents. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from api_support import ID_CD, Service
from sqlalchemy import func, select

from changzhu.registry.identity import check_char
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PersonRow


def _contribution_file(id_number: str) -> dict[str, tuple[str, bytes, str]]:
    text = f"身份证号,险种,参保地,起始年月,截止年月,月缴费基数\n{id_number},医疗保险,440100,202601,202606,6500\n"
    return {"file": ("contributions.csv", text.encode("gb18030"), "text/csv")}


def _months_of(service: Service, person_key: str) -> int:
    with session_scope(service.engine) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(ContributionMonthRow)
                .join(PersonRow, PersonRow.id == ContributionMonthRow.person_id)
                .where(PersonRow.person_key == person_key)
            )
            or 0
        )


def _hold_large_voucher(service: Service, account: str) -> Any:
    """A 20,000-yuan Chengdu training voucher issued by `account`: over the limit, so held for a second approver."""
    voucher = {
        "holder_key": service.people["cd"], "issuer_region": "510100", "service": "vocational_training",
        "value_fen": 2_000_000, "issued_on": "2026-11-01", "expires_on": "2027-11-01",
    }  # fmt: skip
    return service.client.post("/api/v1/vouchers", json=voucher, headers=service.as_(account))


def test_a_contribution_file_writes_only_to_residents_of_the_callers_jurisdiction(db_service: Service) -> None:
    """Guangzhou's caseworker uploads months paid in Guangzhou for a person who lives in Chengdu: refused as
    POST /residents/{key}/contributions refuses it (the person's record is Chengdu's: those months would make
    Guangzhou the place the person is insured, so Chengdu's filings for them would be refused), and answered
    exactly as for an identity number no one has (the file is no oracle of who is registered elsewhere)."""
    service = db_service
    before = _months_of(service, service.people["cd"])
    answers = {}
    for dry_run in ("true", "false"):
        response = service.client.post(
            f"/api/v1/uploads/contribution?dry_run={dry_run}",
            files=_contribution_file(ID_CD),
            headers=service.as_("cw_gz"),
        )
        assert response.status_code == 422, response.text
        answers[dry_run] = response.json()
    assert _months_of(service, service.people["cd"]) == before
    nobody17 = "51010419770707001"
    unknown = service.client.post(
        "/api/v1/uploads/contribution?dry_run=true",
        files=_contribution_file(nobody17 + check_char(nobody17)),
        headers=service.as_("cw_gz"),
    ).json()

    def said(errors: list[dict[str, object]]) -> list[dict[str, object]]:  # each number as given (masked) aside
        return [{k: v for k, v in e.items() if k != "value"} for e in errors]

    assert said(answers["true"]["errors"]) == said(unknown["errors"])  # the same cells and reasons
    assert (
        answers["true"]["errors"][0]["reason_en"]
        == "no one registered with this identity number lives in your jurisdiction"
    )
    # Chengdu's own caseworker may not record months paid in Guangzhou (the paying place is checked too), and the
    # national administrator may record them
    refused = service.client.post(
        "/api/v1/uploads/contribution?dry_run=true", files=_contribution_file(ID_CD), headers=service.as_("cw_cd")
    )
    assert refused.status_code == 403, refused.text
    done = service.client.post(
        "/api/v1/uploads/contribution", files=_contribution_file(ID_CD), headers=service.as_("ad_nat")
    )
    assert done.status_code == 200, done.text
    assert _months_of(service, service.people["cd"]) == before + 6


def _next_approval_id(service: Service) -> int:
    from changzhu.store.approval_models import PendingApprovalRow

    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.max(PendingApprovalRow.id))) or 0) + 1


def test_a_client_key_cannot_take_a_key_the_service_uses_itself(db_service: Service) -> None:
    """Idempotency keys are one namespace: a caseworker who sends, with a write of their own, a key the service
    derives itself (the next held item's `approval-<id>`, a transfer's `<no>:complete`, a 跨省 message's reversal)
    would make that later operation a 409 forever (a held voucher never issued, a release never made, months never
    given back). Such keys are refused (422) before anything is stored; the checker's approval then goes through."""
    service = db_service
    facts = f"/api/v1/residents/{service.people['gz']}/facts"
    squats = [f"approval-{_next_approval_id(service)}", "t-mover-1:complete", "interregion-reverse:" + "a" * 32]
    for key in squats:
        body = {"facts": {"education": "master"}, "idempotency_key": key}
        response = service.client.patch(facts, json=body, headers=service.as_("cw_gz"))
        assert response.status_code == 422, (key, response.text)
    held = _hold_large_voucher(service, "cw_cd")
    assert held.status_code == 202, held.text
    approved = service.client.post(
        f"/api/v1/approvals/{held.json()['approval_id']}/approve", json={}, headers=service.as_("ad_nat")
    )
    assert approved.status_code == 200, approved.text
    released = service.client.post("/api/v1/transfers/t-mover-1/complete", headers=service.as_("cw_cd"))
    assert released.status_code == 200, released.text


def test_a_transfer_number_cannot_take_the_form_of_a_key_the_service_uses_itself(db_service: Service) -> None:
    """A transfer's two steps are keyed `<transfer_no>:apply` and `:complete`: POST /transfers checks the number as
    the CLI's `--transfer-no` and every client key are checked (changzhu.api.client_keys.client_key), 422 in the
    caller's language before anything is stored. Before, the API took any number its pattern allowed."""
    from changzhu.store.resident_models import TransferRow

    service, person = db_service, db_service.people["gz"]
    for number in ("approval-7", "import-residents-1", "interregion-9", "gz-back:apply", "gz-back:complete"):
        application = {
            "transfer_no": number, "person_key": person, "scheme": "pension", "from_region": "510100",
            "to_region": "440100", "applied_on": "2026-11-01",
        }  # fmt: skip
        for lang, words in (("en", "keeps for itself"), ("zh", "系统保留")):
            refused = service.client.post(
                f"/api/v1/transfers?lang={lang}", json=application, headers=service.as_("cw_gz")
            )
            assert refused.status_code == 422 and words in refused.text, (number, refused.text)
            assert "transfer_no" in refused.text, refused.text
            assert lang == "zh" or "idempotency key or transfer number" in refused.text, refused.text
    with session_scope(service.engine) as session:
        stored = session.scalars(select(TransferRow.transfer_no)).all()
    assert not [n for n in stored if n.startswith(("approval-", "import-", "interregion")) or ":" in n], stored


def test_a_move_elsewhere_withdraws_the_application_that_opened_the_record(db_service: Service) -> None:
    """Guangzhou's caseworker applies to take over the Guangzhou worker's Chengdu pension (an application opens the
    person's record to the destination's staff). The worker then moves to Chengdu: the application is withdrawn, so
    Guangzhou no longer reads or lists them, and Chengdu cannot release months to a place the person left."""
    from changzhu.ledger.checks import ledger_problems

    service, person = db_service, db_service.people["gz"]
    application = {
        "transfer_no": "gz-back-1", "person_key": person, "scheme": "pension", "from_region": "510100",
        "to_region": "440100", "applied_on": "2026-11-01",
    }  # fmt: skip
    applied = service.client.post("/api/v1/transfers", json=application, headers=service.as_("cw_gz"))
    assert applied.status_code == 201, applied.text
    move = {"to_region": "510100", "moved_on": "2026-11-20", "proof_kind": "housing", "proof_ref": "lease-cd"}
    moved = service.client.post(f"/api/v1/residents/{person}/moves", json=move, headers=service.as_("ad_nat"))
    assert moved.status_code == 200, moved.text
    record = service.client.get(f"/api/v1/residents/{person}", headers=service.as_("cw_gz"))
    assert record.status_code == 404, record.text
    listed = service.client.get(f"/api/v1/residents?q={person}&by=person_key", headers=service.as_("cw_gz")).json()
    assert listed["total"] == 0
    released = service.client.post("/api/v1/transfers/gz-back-1/complete", headers=service.as_("cw_cd"))
    assert released.status_code in (400, 409), released.text
    transfers = service.client.get(f"/api/v1/residents/{person}/transfers", headers=service.as_("cw_cd")).json()
    assert [t["status"] for t in transfers if t["transfer_no"] == "gz-back-1"] == ["withdrawn"]
    assert ledger_problems(service.engine) == []
    # an application to the place the person moves to stays: the mover (Chengdu → Guangzhou) moves to Guangzhou
    mover = service.people["mover"]
    to_gz = {"to_region": "440100", "moved_on": "2026-11-20", "proof_kind": "housing", "proof_ref": "lease-gz"}
    assert (
        service.client.post(f"/api/v1/residents/{mover}/moves", json=to_gz, headers=service.as_("ad_nat")).status_code
        == 200
    )
    done = service.client.post("/api/v1/transfers/t-mover-1/complete", headers=service.as_("cw_cd"))
    assert done.status_code == 200, done.text


def test_a_maker_cannot_approve_through_an_account_they_made_or_reset(db_service: Service) -> None:
    """The national administrator's 20,000-yuan Chengdu voucher waits for a second approver. They create a Chengdu
    caseworker account (replacing its one-time password with one of their choosing), or reset Chengdu's
    caseworker's password, and approve with it: refused (the maker holds both keys); Chengdu's caseworker with their
    own password approves."""
    service = db_service
    held = _hold_large_voucher(service, "ad_nat")
    assert held.status_code == 202, held.text
    approve = f"/api/v1/approvals/{held.json()['approval_id']}/approve"
    made = {"username": "cd_checker", "role": "caseworker", "jurisdictions": ["510100"]}
    created = service.client.post("/api/v1/users", json=made, headers=service.as_("ad_nat"))
    assert created.status_code == 201, created.text
    # the administrator learns the one-time password and can replace it before handing the account over
    login = {"username": "cd_checker", "password": created.json()["one_time_password"]}
    token = service.client.post("/api/v1/auth/login", json=login).json()["access_token"]
    own = {"old_password": login["password"], "new_password": "a password of the maker's choosing"}
    replaced = service.client.post("/api/v1/auth/password", json=own, headers={"Authorization": f"Bearer {token}"})
    assert replaced.status_code == 200, replaced.text
    own = service.client.post(approve, json={}, headers={"Authorization": f"Bearer {token}"})
    assert own.status_code == 403, own.text
    reset = service.client.post("/api/v1/users/cw_cd/password", headers=service.as_("ad_nat"))
    assert reset.status_code == 200, reset.text
    taken = service.client.post(
        "/api/v1/auth/login", json={"username": "cw_cd", "password": reset.json()["one_time_password"]}
    ).json()["access_token"]
    changed = service.client.post(
        "/api/v1/auth/password",
        json={"old_password": reset.json()["one_time_password"], "new_password": "the administrator's own"},
        headers={"Authorization": f"Bearer {taken}"},
    )
    assert changed.status_code in (200, 204), changed.text
    through_reset = service.client.post(approve, json={}, headers={"Authorization": f"Bearer {taken}"})
    assert through_reset.status_code == 403, through_reset.text
    with session_scope(service.engine) as session:
        from changzhu.store.approval_models import PendingApprovalRow

        assert session.get(PendingApprovalRow, held.json()["approval_id"]).status == "pending"  # type: ignore[union-attr]


def test_a_refused_settlement_does_not_tell_where_someone_else_is_insured(db_service: Service) -> None:
    """Guangzhou's caseworker (a hospital's place) posts a bill for the Chengdu worker (insured in Chengdu, living
    there: out of Guangzhou's reach) as insured in Guangzhou: answered as for a key no one has, without saying
    where the worker is insured, or whether at all (personal data of another place's resident). The mover, whom
    Guangzhou may see (a pending transfer there), and Chengdu's staff, who may see the worker, are told why."""
    from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions

    service = db_service
    paid = [MonthPaid(202601 + m, 600_000) for m in range(6)]
    record_contributions(service.engine, service.people["cd"], Scheme.MEDICAL, "510100", paid, actor="test")
    bill = {
        "person_key": service.people["cd"], "insured_region": "440100", "treatment_region": "440100",
        "hospital": "中山一院", "treated_on": "2026-07-01", "items": [{"item_code": "A001", "amount_fen": 1000}],
        "idempotency_key": "leak-probe-1",
    }  # fmt: skip
    refused = service.client.post("/api/v1/medical/settlements", json=bill, headers=service.as_("cw_gz"))
    no_one = {**bill, "person_key": "0123456789abcdef" * 2, "idempotency_key": "leak-probe-0"}
    unknown = service.client.post("/api/v1/medical/settlements", json=no_one, headers=service.as_("cw_gz"))
    assert (
        (refused.status_code, refused.json())
        == (unknown.status_code, unknown.json())
        == (
            404,
            {**unknown.json(), "code": "no_person_in_reach", "params": {}},
        )
    ), refused.text
    uninsured = {**bill, "person_key": service.people["mover"], "idempotency_key": "leak-probe-2"}  # no months
    same = service.client.post("/api/v1/medical/settlements", json=uninsured, headers=service.as_("cw_gz"))
    assert same.status_code == 403 and same.json()["code"] == "no_insurance_months", same.text
    own = {**bill, "insured_region": "440300", "treatment_region": "510100", "idempotency_key": "leak-probe-3"}
    told = service.client.post("/api/v1/medical/settlements", json=own, headers=service.as_("cw_cd"))
    assert told.status_code == 403 and told.json()["code"] == "not_insured_there", told.text
    assert "510100" in told.text
