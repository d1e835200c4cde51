"""The authorization matrix: every /api/v1 endpoint called by every account, against the expected status."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from api_support import ACCOUNTS, ID_CD, ID_GZ, PASSWORD, Service
from sqlalchemy import func, select

from changzhu.api.access import STAFF_WITH_PERSONAL_ACCESS
from changzhu.api.approvals import HeldKind, hold
from changzhu.api.auth.accounts import create_user, load_principal
from changzhu.api.auth.roles import Role
from changzhu.api.scenario_files import create_scenario
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, PersonRow

ALL = set(ACCOUNTS)
STAFF = {"cw_gz", "cw_cd", "ad_nat", "ad_gd"}
_counter = itertools.count()
_months = itertools.count()


@dataclass(frozen=True)
class Case:
    """One call: method, path template, how to fill it, which accounts succeed (`ok`), which get their request
    held for a second approver (202), and which are refused (`denied`)."""

    method: str
    route: str
    path: Callable[[Service], str]
    allowed: set[str]
    ok: int = 200
    denied: int = 403
    body: Callable[[], dict[str, Any]] | None = None
    held: frozenset[str] = frozenset()
    files: Callable[[], dict[str, tuple[str, bytes, str]]] | None = None

    def expected(self, username: str) -> int:
        """The status `username` gets."""
        return self.ok if username in self.allowed else 202 if username in self.held else self.denied


def _new_user() -> dict[str, Any]:
    return {
        "username": f"new_{next(_counter)}",
        "role": "planner",
        "jurisdictions": ["440100"],
    }


def _move() -> dict[str, Any]:
    # the Chengdu resident arriving in Guangzhou shows their identity card (needed from outside the caller's reach)
    return {
        "to_region": "440100",
        "moved_on": "2026-02-01",
        "proof_kind": "housing",
        "proof_ref": "lease-1",
        "id_number": ID_CD,
    }


def _move_to_shenzhen() -> dict[str, Any]:
    return {"to_region": "440300", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease-2"}


def _new_resident() -> dict[str, Any]:
    first17 = f"51010420100606{next(_counter) % 1000:03d}"
    return {
        "id_number": first17 + check_char(first17), "hukou_region": "510100", "residence_region": "440100",
        "residence_since": "2024-09-01", "proof_kind": "study", "proof_ref": "school-7",
    }  # fmt: skip


def _user_id(service: Service, username: str) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(UserRow.id).where(UserRow.username == username)) or 0)


def _reset_target(service: Service) -> str:
    """A new Guangzhou planner account to reset (a reset account must change its password before anything else,
    so the matrix's own accounts are not reset)."""
    username = f"reset_{next(_counter)}"
    create_user(service.engine, username, "a long enough password", Role.PLANNER, ["440100"])
    return f"/api/v1/users/{username}/password"


def _held_voucher(service: Service) -> str:
    """A 20,000-yuan voucher of Chengdu made by Chengdu's caseworker, waiting for a second approver."""
    maker = load_principal(service.engine, _user_id(service, "cw_cd"))
    request = {**_voucher(), "holder_key": service.people["gz"], "value_fen": 2_000_000}
    request.pop("idempotency_key")
    held = hold(service.engine, maker, HeldKind.VOUCHER, "510100", request, key=None, amount_fen=2_000_000)
    return f"/api/v1/approvals/{held['approval_id']}/approve"


def _held_move(service: Service) -> str:
    """Guangzhou's caseworker moving the Chengdu resident to Guangzhou, waiting for Chengdu or the person."""
    maker = load_principal(service.engine, _user_id(service, "cw_gz"))
    with session_scope(service.engine) as session:
        person_id = session.scalar(select(PersonRow.id).where(PersonRow.person_key == service.people["cd"]))
    request = {"person_key": service.people["cd"], **_move()}
    held = hold(service.engine, maker, HeldKind.MOVE, "510100", request, key=None, person_id=person_id)
    return f"/api/v1/approvals/{held['approval_id']}/reject"


def _none_open(service: Service, path: str, kind: str = "residence_permit") -> str:
    """`path`, once the Guangzhou worker's open applications of `kind` are decided (rejected): a person has one open
    application of a kind at a time, and each call of the matrix applies anew."""
    from changzhu.store.application_models import ApplicationRow

    with session_scope(service.engine) as session:
        person_id = session.scalar(select(PersonRow.id).where(PersonRow.person_key == service.people["gz"]))
        for row in session.scalars(
            select(ApplicationRow).where(
                ApplicationRow.person_id == person_id,
                ApplicationRow.kind == kind,
                ApplicationRow.status.in_(["submitted", "in_review", "appealed"]),
            )
        ):
            row.status = "rejected"
    return path


def _application(service: Service, kind: str = "residence_permit") -> int:
    """An application of the Guangzhou worker, submitted by Guangzhou's caseworker (the one open of its kind)."""
    from changzhu.casework.application_records import submit
    from changzhu.casework.applications import ApplicationKind

    _none_open(service, "", kind)

    with session_scope(service.engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == service.people["gz"]))
        assert person is not None
        session.expunge(person)
    return int(submit(service.engine, person, ApplicationKind(kind), None, "cw_gz")["id"])


def _quota_run(service: Service) -> str:
    """A published (empty) 积分落户 run of Guangzhou."""
    from changzhu.casework.quota_runs import QuotaKind, publish
    from changzhu.casework.quotas import Ranking

    run = publish(service.engine, QuotaKind.POINTS_HUKOU, "440100", 2026, 0, None, Ranking(None, [], []), {}, "cw_gz")
    return f"/api/v1/quotas/runs/{run['id']}"


APPLICANT_GZ = {"res_gz", "cw_gz", "ad_nat", "ad_gd"}  # the Guangzhou worker's applications
STAFF_GZ = {"cw_gz", "ad_nat", "ad_gd"}


ANALYSTS = {"pl_nat", "pl_gd", "fo_nat", "ad_nat", "ad_gd"}
GZ_RECORD = {"res_gz", "cw_gz", "ad_nat", "ad_gd"}  # who may see the Guangzhou worker's personal data
FISCAL_CD = {"fo_nat", "ad_nat"}  # fiscal roles covering Chengdu (510100), which pays


def _person_in_guangzhou() -> dict[str, Any]:
    row = {
        "person_id": 1, "sex": "F", "birth_date": "1995-05-05", "hukou_region": "510100",
        "residence_region": "440100", "residence_since": "2023-01-01", "residence_permit_since": None,
        "si_months_local": 30, "si_months_total": 50, "medical_months_local": 30, "prior_region": None,
        "prior_residence_months": 0, "prior_si_months": 0, "employed": True, "education": "bachelor",
        "housing": "rented", "income_per_capita_month": 4000.0, "parent_id": None, "criminal_record": False,
    }  # fmt: skip
    return {"on": "2026-11-24", "people": [row]}


def _apply_transfer() -> dict[str, Any]:
    return {
        "transfer_no": "gz-pension-1", "person_key": "{gz}", "scheme": "pension",
        "from_region": "510100", "to_region": "440100", "applied_on": "2026-11-01",
    }  # fmt: skip


def _voucher() -> dict[str, Any]:
    return {
        "holder_key": "{gz}", "issuer_region": "510100", "service": "vocational_training", "value_fen": 50000,
        "issued_on": "2026-11-01", "expires_on": "2027-11-01", "idempotency_key": "matrix-voucher-1",
    }  # fmt: skip


def _redeem() -> dict[str, Any]:
    return {"provider": "广州技师学院", "provider_region": "440100", "redeemed_on": "2026-11-20",
            "idempotency_key": "matrix-redeem-1"}  # fmt: skip


def _clearing() -> dict[str, Any]:
    return {"payer_region": "510100", "payee_region": "440100", "idempotency_key": "matrix-clearing-1"}


def _medical_clearing() -> dict[str, Any]:
    return {**_clearing(), "idempotency_key": "matrix-medical-clearing-1"}


def _filing() -> dict[str, Any]:
    return {"person_key": "{gz}", "insured_region": "510100", "treatment_region": "440100", "kind": "long_term",
            "filed_on": "2026-06-01", "idempotency_key": "matrix-filing-1"}  # fmt: skip


def _bill() -> dict[str, Any]:
    return {
        "person_key": "{gz}", "insured_region": "510100", "treatment_region": "440100", "hospital": "中山一院",
        "treated_on": "2026-07-01", "items": [{"item_code": "A001", "amount_fen": 500000}],
        "idempotency_key": "matrix-bill-1",
    }  # fmt: skip


def _policy() -> dict[str, Any]:
    return {"deductible_fen": 100000, "rate_permille": 700, "cap_fen": 50000000, "temporary_cut_permille": 100,
            "unfiled_cut_permille": 200, "source": "matrix test"}  # fmt: skip


def _catalogue() -> dict[str, Any]:
    return {"items": [{"item_code": "A001", "name": "血常规", "category": "A", "self_pay_permille": 0}]}


NATIONAL_ANALYSTS = {"pl_nat", "fo_nat", "ad_nat"}


def _reform_yaml(name: str, jurisdiction: str | None) -> str:
    where = f"\n    jurisdiction: '{jurisdiction}'" if jurisdiction else ""
    return (
        f"name: {name}\ntitle:\n  zh: 矩阵测试方案\ndescription: matrix\noverrides:\n"
        f"  - parameter: entrance_exam.child_residence_months\n    value: 12{where}\n"
    )


def _gz_reform() -> dict[str, Any]:
    return {"yaml": _reform_yaml(f"matrix_gz_{next(_counter)}", "440100")}


def _gz_reform_update() -> dict[str, Any]:
    return {
        "title": {"en": "Six months"},
        "description": "six months",
        "overrides": {"440100": {"entrance_exam.child_residence_months": 6}},
    }


def _national_reform() -> dict[str, Any]:
    return {"yaml": _reform_yaml(f"matrix_nat_{next(_counter)}", None)}


def _save(service: Service, jurisdiction: str | None) -> str:
    """A reform saved directly by the national planner; the path of its resource."""
    name = f"matrix_saved_{next(_counter)}"
    owner = load_principal(service.engine, _user_id(service, "pl_nat"))
    create_scenario(service.engine, None, owner, _reform_yaml(name, jurisdiction))
    return f"/api/v1/scenarios/{name}"


def _saved_gz_reform(service: Service) -> str:
    return _save(service, "440100")


def _saved_national_reform(service: Service) -> str:
    return _save(service, None)


def _gz(s: Service) -> str:
    return s.people["gz"]


def _facts() -> dict[str, Any]:
    return {"facts": {"education": "master", "housing": "owned"}}


def _permit() -> dict[str, Any]:
    return {"issued_on": "2026-11-01"}


def _contribution() -> dict[str, Any]:
    """One month of pension paid in Guangzhou, a different month each call (from March 2024 on)."""
    n = next(_months) % 30  # March 2024 to August 2026; each database is fresh
    year, month = 2024 + (n + 2) // 12, (n + 2) % 12 + 1
    return {"scheme": "pension", "region": "440100", "from_period": year * 100 + month, "months": 1,
            "amount_yuan": 8000}  # fmt: skip


def _unregistered_login(service: Service) -> str:
    """A person newly registered in Guangzhou, without a login yet."""
    first17 = f"44010619950404{next(_counter) % 1000:03d}"  # not 19950303: the populated mover is 440106199503031113
    reg = Registration(first17 + check_char(first17), "440100", "440100", date(2020, 1, 1), ProofKind.HOUSING,
                       "lease-9", {})  # fmt: skip
    return f"/api/v1/residents/{register_resident(service.engine, reg, actor='test')['person_key']}/login"


def _unlinked_pair(service: Service, child_region: str) -> str:
    """A parent newly registered in Guangzhou and a child in `child_region`, not yet linked: the body of the next
    POST /households/links names them as {link_parent} and {link_child}."""
    for name, first17, region in (
        ("link_parent", f"44010619800808{next(_counter) % 1000:03d}", "440100"),
        ("link_child", f"44010620150909{next(_counter) % 1000:03d}", child_region),
    ):
        reg = Registration(first17 + check_char(first17), "440100", region, date(2020, 1, 1), ProofKind.HOUSING,
                           f"lease-{name}", {})  # fmt: skip
        service.people[name] = str(register_resident(service.engine, reg, actor="test")["person_key"])
    return "/api/v1/households/links"


def _link() -> dict[str, Any]:
    return {"parent_key": "{link_parent}", "child_key": "{link_child}"}


def _resident_file() -> dict[str, tuple[str, bytes, str]]:
    first17 = f"51010420100606{next(_counter) % 1000:03d}"
    text = (
        "身份证号,姓名,手机号,户籍地,常住地,居住起始日期,证明类型,证明编号\n"
        f"{first17 + check_char(first17)},王小明,13800138000,510100,440100,2024-09-01,就学,school-7\n"
    )
    return {"file": ("residents.csv", text.encode(), "text/csv")}


def _table_file(kind: str, header: str, row: str) -> Callable[[], dict[str, tuple[str, bytes, str]]]:
    """A one-row file of `kind` in Guangzhou (or Guangdong), GBK with Chinese headers."""
    return lambda: {"file": (f"{kind}.csv", f"{header}\n{row}\n".encode("gb18030"), "text/csv")}


PERSON_ROW = (
    "编号,性别,出生日期,户籍地,常住地,居住起始日期,居住证办理日期,本地社保缴费月数,社保缴费总月数,本地医保缴费月数,"
    "上一居住地,上一居住地居住月数,上一居住地社保月数,合法稳定就业,学历,住房,家庭人均月收入,父母编号,犯罪记录",
    "1,女,1990-03-15,510100,440100,2019-09-01,,60,96,60,,0,0,是,本科,租房,4500,,否",
)
PLANNING_FILES = {
    "facility": ("设施编号,名称,服务,所在地区,容量", "GZ-1,广州医院,医疗卫生机构床位,440104,900"),
    "supply": (
        "省份,医疗卫生机构床位数,执业(助理)医师数,注册护士数,小学在校生数,小学专任教师数,初中在校生数,初中专任教师数",
        "440000,1,1,1,1,1,1,1",
    ),
    "standard": ("地区,服务,标准值,起始日期,依据", "440100,hospital_beds,5,2021-01-01,广州市规划"),
    "population": ("地区,常住人口", "440100,18000000"),
}
ANALYSTS_GD = {"pl_nat", "pl_gd", "ad_nat", "ad_gd"}  # planners and administrators covering Guangdong

CASES = [
    Case("GET", "/api/v1/auth/me", lambda s: "/api/v1/auth/me", ALL),
    Case(
        "POST",
        "/api/v1/auth/password",
        lambda s: "/api/v1/auth/password",
        ALL,
        body=lambda: {"old_password": PASSWORD, "new_password": "a new passphrase of mine"},
    ),
    Case(  # a wrong current password: refused for everyone (and counted as a failed login)
        "POST",
        "/api/v1/auth/password",
        lambda s: "/api/v1/auth/password",
        set(),
        body=lambda: {"old_password": "not the password", "new_password": "another passphrase"},
    ),
    Case("GET", "/api/v1/regions", lambda s: "/api/v1/regions?level=province", ALL),
    Case("GET", "/api/v1/regions/{code}", lambda s: "/api/v1/regions/440100", ALL),
    Case("GET", "/api/v1/inputs", lambda s: "/api/v1/inputs?region=440100", ALL),
    Case("GET", "/api/v1/population", lambda s: "/api/v1/population", ALL),
    Case("GET", "/api/v1/geo/provinces", lambda s: "/api/v1/geo/provinces", ALL),
    Case("GET", "/api/v1/geo/boundaries", lambda s: "/api/v1/geo/boundaries?level=province", ALL),
    Case("GET", "/api/v1/geo/south-china-sea", lambda s: "/api/v1/geo/south-china-sea", ALL),
    Case("GET", "/api/v1/users", lambda s: "/api/v1/users", {"ad_nat", "ad_gd"}),
    # a Guangdong planner's account: administrators whose jurisdiction holds Guangdong
    Case(
        "PATCH",
        "/api/v1/users/{username}",
        lambda s: "/api/v1/users/pl_gd",
        {"ad_nat", "ad_gd"},
        body=lambda: {"disabled": False, "jurisdictions": ["440000"]},
    ),
    Case("POST", "/api/v1/users/{username}/password", _reset_target, {"ad_nat", "ad_gd"}),
    Case("GET", "/api/v1/audit", lambda s: "/api/v1/audit", {"ad_nat", "ad_gd"}),
    Case("GET", "/api/v1/audit/verify", lambda s: "/api/v1/audit/verify", {"ad_nat", "ad_gd"}),
    # a file registering a pupil in Guangzhou (dry run): staff covering Guangzhou
    Case(
        "POST",
        "/api/v1/uploads/{kind}",
        lambda s: "/api/v1/uploads/resident?dry_run=true",
        {"cw_gz", "ad_nat", "ad_gd"},
        files=_resident_file,
    ),
    # a month of pension paid in Guangzhou (dry run): staff covering Guangzhou
    Case(
        "POST",
        "/api/v1/uploads/{kind}",
        lambda s: "/api/v1/uploads/contribution?dry_run=true",
        {"cw_gz", "ad_nat", "ad_gd"},
        files=_table_file(
            "contribution",
            "身份证号,险种,参保地,起始年月,截止年月,月缴费基数",
            f"{ID_GZ},养老保险,440100,202501,202501,6500",
        ),
    ),
    # a person table of Guangzhou, evaluated: caseworkers, planners and administrators covering Guangzhou
    Case(
        "POST",
        "/api/v1/uploads/{kind}",
        lambda s: "/api/v1/uploads/person?on=2026-06-01",
        {"cw_gz", *ANALYSTS_GD} - {"fo_nat"},
        files=_table_file("person", *PERSON_ROW),
    ),
    # planning datasets of Guangzhou or Guangdong (dry run): planners and administrators covering them
    *(
        Case(
            "POST",
            "/api/v1/uploads/{kind}",
            lambda s, kind=kind: f"/api/v1/uploads/{kind}?dry_run=true",
            ANALYSTS_GD,
            files=_table_file(kind, *rows),
        )
        for kind, rows in PLANNING_FILES.items()
    ),
    # self-service: residents only, each their own
    Case("GET", "/api/v1/me/overview", lambda s: "/api/v1/me/overview?on=2026-11-24", {"res_gz", "res_cd"}),
    Case("GET", "/api/v1/me/statement", lambda s: "/api/v1/me/statement", {"res_gz", "res_cd"}),
    Case("POST", "/api/v1/users", lambda s: "/api/v1/users", {"ad_nat", "ad_gd"}, ok=201, body=_new_user),
    # registering someone living in Guangzhou: staff covering Guangzhou
    Case(
        "POST",
        "/api/v1/residents",
        lambda s: "/api/v1/residents",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_new_resident,
    ),
    Case("GET", "/api/v1/residents", lambda s: "/api/v1/residents", STAFF),
    # a Guangzhou resident's record: themself, Guangzhou's caseworker, national and Guangdong administrators
    Case("GET", "/api/v1/residents/{person_key}", lambda s: f"/api/v1/residents/{_gz(s)}", GZ_RECORD),
    # a Chengdu resident: only themself, Chengdu's caseworker and the national administrator
    Case(
        "GET",
        "/api/v1/residents/{person_key}",
        lambda s: f"/api/v1/residents/{s.people['cd']}",
        {"res_cd", "cw_cd", "ad_nat"},
    ),
    # lives in Chengdu, applied to move to Guangzhou: both cities' caseworkers see them
    Case(
        "GET",
        "/api/v1/residents/{person_key}",
        lambda s: f"/api/v1/residents/{s.people['mover']}",
        {"cw_cd", "cw_gz", "ad_nat", "ad_gd"},
    ),
    Case("GET", "/api/v1/residents/{person_key}/account", lambda s: f"/api/v1/residents/{_gz(s)}/account", GZ_RECORD),
    Case(
        "GET",
        "/api/v1/residents/{person_key}/overview",
        lambda s: f"/api/v1/residents/{_gz(s)}/overview?on=2026-11-24",
        GZ_RECORD,
    ),
    # households: the Guangzhou worker's linked child is listed to those who may see the worker
    Case(
        "GET",
        "/api/v1/residents/{person_key}/household",
        lambda s: f"/api/v1/residents/{_gz(s)}/household",
        GZ_RECORD,
    ),
    Case(
        "GET",
        "/api/v1/residents/{person_key}/household",
        lambda s: f"/api/v1/residents/{s.people['cd']}/household",
        {"res_cd", "cw_cd", "ad_nat"},
    ),
    # linking a parent and a child: staff covering where both live (both in Guangzhou; then a child in Chengdu)
    Case(
        "POST",
        "/api/v1/households/links",
        lambda s: _unlinked_pair(s, "440100"),
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_link,
    ),
    Case("POST", "/api/v1/households/links", lambda s: _unlinked_pair(s, "510100"), {"ad_nat"}, 201, body=_link),
    # writes to the Guangzhou worker's record: staff covering Guangzhou, where they live
    Case(
        "PATCH",
        "/api/v1/residents/{person_key}/facts",
        lambda s: f"/api/v1/residents/{_gz(s)}/facts",
        {"cw_gz", "ad_nat", "ad_gd"},
        body=_facts,
    ),
    Case(
        "POST",
        "/api/v1/residents/{person_key}/permits",
        lambda s: f"/api/v1/residents/{_gz(s)}/permits",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_permit,
    ),
    Case(
        "POST",
        "/api/v1/residents/{person_key}/contributions",
        lambda s: f"/api/v1/residents/{_gz(s)}/contributions",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_contribution,
    ),
    Case(
        "POST",
        "/api/v1/residents/{person_key}/login",
        _unregistered_login,
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=lambda: {},
    ),
    Case(
        "GET",
        "/api/v1/residents/{person_key}/entitlements",
        lambda s: f"/api/v1/residents/{_gz(s)}/entitlements?on=2026-11-24",
        GZ_RECORD,
    ),
    Case(
        "GET", "/api/v1/residents/{person_key}/transfers", lambda s: f"/api/v1/residents/{_gz(s)}/transfers", GZ_RECORD
    ),
    Case("GET", "/api/v1/residents/{person_key}/vouchers", lambda s: f"/api/v1/residents/{_gz(s)}/vouchers", GZ_RECORD),
    # moving someone from Chengdu into Guangzhou: Guangzhou's staff ask, and it waits for Chengdu or the person;
    # the national administrator covers both ends
    Case(
        "POST",
        "/api/v1/residents/{person_key}/moves",
        lambda s: f"/api/v1/residents/{s.people['cd']}/moves",
        {"ad_nat"},
        body=_move,
        held=frozenset({"cw_gz", "ad_gd"}),
    ),
    # the same arrival registered with the identity number alone (迁入登记 in the office: the counter has the card)
    Case(
        "POST",
        "/api/v1/residents/arrivals",
        lambda s: "/api/v1/residents/arrivals",
        {"ad_nat"},
        body=_move,
        held=frozenset({"cw_gz", "ad_gd"}),
    ),
    # within Guangdong (Guangzhou to Shenzhen): staff covering both cities
    Case(
        "POST",
        "/api/v1/residents/{person_key}/moves",
        lambda s: f"/api/v1/residents/{_gz(s)}/moves",
        {"ad_nat", "ad_gd"},
        body=_move_to_shenzhen,
    ),
    # a posted person table living in Guangzhou: staff and analysts covering Guangzhou, never residents
    Case(
        "POST", "/api/v1/eligibility", lambda s: "/api/v1/eligibility", ANALYSTS | {"cw_gz"}, body=_person_in_guangzhou
    ),
    Case(
        "POST",
        "/api/v1/eligibility/explain",
        lambda s: "/api/v1/eligibility/explain",
        ANALYSTS | {"cw_gz"},
        body=_person_in_guangzhou,
    ),
    # the place the person lives in (Guangzhou) takes the application; the old place (Chengdu) releases
    Case(
        "POST",
        "/api/v1/transfers",
        lambda s: "/api/v1/transfers",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_apply_transfer,
    ),
    Case(
        "POST",
        "/api/v1/transfers/{transfer_no}/complete",
        lambda s: "/api/v1/transfers/t-mover-1/complete",
        {"cw_cd", "ad_nat"},
    ),
    # the list of what waits for release: every caseworker and administrator (each sees their own origin's)
    Case("GET", "/api/v1/transfers/awaiting-release", lambda s: "/api/v1/transfers/awaiting-release", STAFF),
    # 跨省通办: the outbox (each sees the hand-overs of people who left their own places) and the peers
    Case("GET", "/api/v1/interregion/outbox", lambda s: "/api/v1/interregion/outbox", STAFF),
    Case("GET", "/api/v1/interregion/peers", lambda s: "/api/v1/interregion/peers", STAFF),
    # Chengdu funds a voucher for its hukou holder in Guangzhou; a Guangzhou provider redeems; Chengdu's fund pays
    Case("POST", "/api/v1/vouchers", lambda s: "/api/v1/vouchers", {"cw_cd", "ad_nat"}, 201, body=_voucher),
    Case(
        "POST",
        "/api/v1/vouchers/{voucher_no}/redeem",
        lambda s: f"/api/v1/vouchers/{s.voucher_no}/redeem",
        {"cw_gz", "ad_nat", "ad_gd"},
        body=_redeem,
    ),
    Case("POST", "/api/v1/vouchers/clearing", lambda s: "/api/v1/vouchers/clearing", FISCAL_CD, body=_clearing),
    # 异地就医: the insured person online, or the insured place's staff; the hospital's place settles
    Case(
        "POST",
        "/api/v1/medical/filings",
        lambda s: "/api/v1/medical/filings",
        {"res_gz", "cw_cd", "ad_nat"},
        201,
        body=_filing,
    ),
    Case(
        "POST",
        "/api/v1/medical/settlements",
        lambda s: "/api/v1/medical/settlements",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_bill,
    ),
    Case("POST", "/api/v1/medical/clearing", lambda s: "/api/v1/medical/clearing", FISCAL_CD, body=_medical_clearing),
    # maker–checker: the held items the caller made or may decide
    Case("GET", "/api/v1/approvals", lambda s: "/api/v1/approvals", STAFF | {"res_gz", "res_cd"}),
    # Chengdu's 20,000-yuan voucher made by Chengdu's caseworker: another Chengdu checker (not the maker)
    Case(
        "POST",
        "/api/v1/approvals/{approval_id}/approve",
        _held_voucher,
        {"ad_nat"},
        body=lambda: {"note": "checked the training contract"},
    ),
    # a move out of Chengdu held for Chengdu: Chengdu's staff or the person may decide; not the maker (cw_gz)
    Case(
        "POST",
        "/api/v1/approvals/{approval_id}/reject",
        _held_move,
        {"cw_cd", "ad_nat", "res_cd"},
        body=lambda: {"note": "no such lease"},
    ),
    Case(
        "PUT",
        "/api/v1/medical/policies/{region}",
        lambda s: "/api/v1/medical/policies/510100",
        {"ad_nat"},
        body=_policy,
    ),
    Case(
        "PUT",
        "/api/v1/medical/catalogues/{region}",
        lambda s: "/api/v1/medical/catalogues/440100",
        {"ad_nat", "ad_gd"},
        body=_catalogue,
    ),
    # aggregates: planners, fiscal officers and administrators
    Case("GET", "/api/v1/planning/gaps", lambda s: "/api/v1/planning/gaps", ANALYSTS),
    # siting runs are exercised in test_api_siting.py (seconds each): here the role and the region sited are checked
    # before the request (a Shenzhen plan of 30 new hospitals: more than its districts, 400 to those who may start it)
    Case(
        "POST",
        "/api/v1/planning/siting/runs",
        lambda s: "/api/v1/planning/siting/runs",
        ANALYSTS_GD,
        ok=400,
        body=lambda: {"region": "440300", "service": "hospital_beds", "p": 30},
    ),
    Case("GET", "/api/v1/planning/siting/runs", lambda s: "/api/v1/planning/siting/runs", ANALYSTS),
    Case("GET", "/api/v1/planning/siting/runs/{run_id}", lambda s: "/api/v1/planning/siting/runs/x", ANALYSTS, ok=404),
    Case(
        "GET",
        "/api/v1/planning/siting/runs/{run_id}/counties",
        lambda s: "/api/v1/planning/siting/runs/x/counties",
        ANALYSTS,
        ok=404,
    ),
    Case(
        "GET",
        "/api/v1/planning/siting/runs/{run_id}/sites",
        lambda s: "/api/v1/planning/siting/runs/x/sites",
        ANALYSTS,
        ok=404,
    ),
    Case("GET", "/api/v1/fiscal/schemes", lambda s: "/api/v1/fiscal/schemes", ANALYSTS),
    Case("GET", "/api/v1/fiscal/allocation", lambda s: "/api/v1/fiscal/allocation", ANALYSTS),
    Case("GET", "/api/v1/fiscal/allocation/services", lambda s: "/api/v1/fiscal/allocation/services", ANALYSTS),
    Case("GET", "/api/v1/fiscal/transfers", lambda s: "/api/v1/fiscal/transfers", ANALYSTS),
    Case("GET", "/api/v1/fiscal/equity", lambda s: "/api/v1/fiscal/equity", ANALYSTS),
    Case("GET", "/api/v1/fiscal/flows", lambda s: "/api/v1/fiscal/flows", ANALYSTS),
    Case("GET", "/api/v1/fiscal/winners", lambda s: "/api/v1/fiscal/winners?fund_yuan=100000000000", ANALYSTS),
    Case("GET", "/api/v1/fiscal/equity/measures", lambda s: "/api/v1/fiscal/equity/measures", ANALYSTS),
    Case("GET", "/api/v1/scenarios", lambda s: "/api/v1/scenarios", ANALYSTS),
    Case("GET", "/api/v1/scenarios/runs", lambda s: "/api/v1/scenarios/runs", ANALYSTS),
    Case("GET", "/api/v1/scenarios/{name}", lambda s: "/api/v1/scenarios/permit_after_3_months", ANALYSTS),
    Case("GET", "/api/v1/scenarios/{name}/yaml", lambda s: "/api/v1/scenarios/permit_after_3_months/yaml", ANALYSTS),
    # saving a reform of Guangzhou's parameters: analysts whose jurisdiction covers Guangzhou
    Case("POST", "/api/v1/scenarios", lambda s: "/api/v1/scenarios", ANALYSTS, ok=201, body=_gz_reform),
    # a national reform: only national analysts (Guangdong's are refused)
    Case("POST", "/api/v1/scenarios", lambda s: "/api/v1/scenarios", NATIONAL_ANALYSTS, ok=201, body=_national_reform),
    Case("PUT", "/api/v1/scenarios/{name}", _saved_gz_reform, ANALYSTS, body=_gz_reform_update),
    Case("DELETE", "/api/v1/scenarios/{name}", _saved_gz_reform, ANALYSTS, ok=204),
    Case("DELETE", "/api/v1/scenarios/{name}", _saved_national_reform, NATIONAL_ANALYSTS, ok=204),
    # runs are exercised in test_api_reform.py (seconds each): here the role check comes before the look-up
    Case("GET", "/api/v1/scenarios/runs/{run_id}", lambda s: "/api/v1/scenarios/runs/nosuchrun", ANALYSTS, ok=404),
    Case(
        "GET",
        "/api/v1/scenarios/runs/{run_id}/results",
        lambda s: "/api/v1/scenarios/runs/nosuchrun/results",
        ANALYSTS,
        ok=404,
    ),
    Case(
        "GET",
        "/api/v1/scenarios/runs/{run_id}/bands",
        lambda s: "/api/v1/scenarios/runs/nosuchrun/bands",
        ANALYSTS,
        ok=404,
    ),
    Case("GET", "/api/v1/scenarios/runs/compare", lambda s: "/api/v1/scenarios/runs/compare?a=x&b=y", ANALYSTS, ok=404),
    Case(
        "POST",
        "/api/v1/scenarios/{name}/runs",
        lambda s: "/api/v1/scenarios/no_such_reform/runs",
        ANALYSTS,
        ok=404,
        body=lambda: {"sample": 0.00001},
    ),
    Case("GET", "/api/v1/parameters", lambda s: "/api/v1/parameters?limit=5", ANALYSTS),
    Case("GET", "/api/v1/variables", lambda s: "/api/v1/variables?limit=5", ANALYSTS),
    # applications (申请): the applicant themself or staff covering where they live; steps by staff only
    Case("GET", "/api/v1/applications/kinds", lambda s: "/api/v1/applications/kinds?region=440100", ALL),
    Case(
        "POST",
        "/api/v1/applications",
        lambda s: _none_open(s, "/api/v1/applications"),
        APPLICANT_GZ,
        201,
        body=lambda: {"person_key": "{gz}", "kind": "residence_permit"},
    ),
    Case("GET", "/api/v1/applications", lambda s: "/api/v1/applications", STAFF | {"res_gz", "res_cd"}),
    Case(
        "GET",
        "/api/v1/applications/{application_id}",
        lambda s: f"/api/v1/applications/{_application(s)}",
        APPLICANT_GZ,
    ),
    Case(
        "POST",
        "/api/v1/applications/{application_id}/transition",
        lambda s: f"/api/v1/applications/{_application(s)}/transition",
        STAFF_GZ,
        body=lambda: {"action": "review"},
    ),
    Case(
        "GET",
        "/api/v1/applications/{application_id}/draft-reason",
        lambda s: f"/api/v1/applications/{_application(s)}/draft-reason",
        STAFF_GZ,
    ),
    # quota runs: staff of the city publish and read; simulations (counts only) also for planners of the city
    Case(
        "POST",
        "/api/v1/quotas/runs",
        lambda s: "/api/v1/quotas/runs",
        STAFF_GZ,
        201,
        body=lambda: {"kind": "points_hukou", "region": "440100", "year": 2026, "quota": 10},
    ),
    Case("GET", "/api/v1/quotas/runs", lambda s: "/api/v1/quotas/runs", STAFF),
    Case("GET", "/api/v1/quotas/runs/{run_id}", _quota_run, STAFF_GZ),
    Case(
        "POST",
        "/api/v1/quotas/simulate",
        lambda s: "/api/v1/quotas/simulate",
        STAFF_GZ | {"pl_nat", "pl_gd"},
        body=lambda: {"kind": "points_hukou", "region": "440100", "quota": 10},
    ),
]
# endpoints outside the token matrix, with the test that covers them
NOT_IN_MATRIX = {
    ("POST", "/api/v1/auth/login"): "test_api_auth.py",
    ("POST", "/api/v1/interregion/messages"): "test_api_interregion.py (signed by a peer, no token)",
    ("POST", "/api/v1/interregion/transfers"): "test_api_interregion.py and test_transfer_needs_staff (below)",
    ("POST", "/api/v1/interregion/outbox/deliver"): "test_transfer_needs_staff (below)",
    ("POST", "/api/v1/interregion/summary"): "signed by a peer, no token: api/test_api_interregion_http.py",
    ("POST", "/api/v1/interregion/outbox/{message_id}/resolve"): "roles and places: api/test_api_interregion_http.py",
}


def _api_routes(service: Service) -> set[tuple[str, str]]:
    paths = service.client.get("/api/v1/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item}


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_endpoint_is_in_the_matrix(service: Service) -> None:
    """A new endpoint without a matrix entry fails here; so does a write endpoint without both an account that
    may call it and one that is refused."""
    covered = {(c.method, c.route) for c in CASES} | set(NOT_IN_MATRIX)
    assert _api_routes(service) - covered == set()
    assert covered - _api_routes(service) == set()
    for method, route in sorted(r for r in _api_routes(service) if r[0] in WRITES and r not in NOT_IN_MATRIX):
        cases = [c for c in CASES if (c.method, c.route) == (method, route)]
        assert any(c.allowed for c in cases), f"{method} {route}: no account may call it"
        assert any(set(ACCOUNTS) - c.allowed - c.held for c in cases), f"{method} {route}: nobody is refused"


def test_no_write_endpoint_hides_from_the_matrix(service: Service) -> None:
    """The matrix enumerates the OpenAPI document: a write route left out of it (`include_in_schema=False`) or
    mounted outside /api/v1 would escape the matrix, so every route of the app that writes is in the document."""
    from fastapi.routing import APIRoute

    documented = _api_routes(service)
    app = service.client.app
    hidden = {
        (method, route.path)
        for route in app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute)
        for method in route.methods
        if method in WRITES and (method, route.path) not in documented
    }
    assert hidden == set()


def _fill(body: dict[str, Any], service: Service) -> dict[str, Any]:
    return {k: v.format(**service.people) if isinstance(v, str) and "{" in v else v for k, v in body.items()}


def test_authorization_matrix(db_service: Service) -> None:
    """Every endpoint as every account, on SQLite and on PostgreSQL."""
    service = db_service
    failures = []
    for case in CASES:
        for username in ACCOUNTS:
            # a move changes the record: run it on a fresh copy of the data each time it succeeds
            path = case.path(service)  # first: a path may register the people the body names
            body = _fill(case.body(), service) if case.body else None
            files = case.files() if case.files else None
            response = service.client.request(case.method, path, headers=service.as_(username), json=body, files=files)
            expected = case.expected(username)
            if expected == 403 and response.status_code == 404 and ACCOUNTS[username][0] in STAFF_WITH_PERSONAL_ACCESS:
                # staff refused a person out of their reach get the answer for a key no one has (test_api_person_reach)
                # and a transfer neither of whose ends they cover, the answer for a number no transfer holds
                expected = 404 if response.json()["code"] in ("no_person_in_reach", "no_transfer") else expected
            if response.status_code != expected:
                failures.append(
                    f"{username} {case.method} {path}: {response.status_code} "
                    f"(expected {expected}) {response.text[:120]}"
                )
            if case.method == "POST" and case.route.endswith(("moves", "arrivals")) and response.status_code == 200:
                moved = response.json().get("person_key") or path.split("/")[-2]  # an arrival names whom it moved
                _undo_move(service, moved, response.json()["from_region"])
    assert failures == []


def _undo_move(service: Service, person_key: str, region: str) -> None:
    with session_scope(service.engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        assert person is not None
        person.residence_region = region


def test_every_anonymous_call_is_401(service: Service) -> None:
    for case in CASES:
        path = case.path(service)  # first: a path may register the people the body names
        body = _fill(case.body(), service) if case.body else None
        files = case.files() if case.files else None
        response = service.client.request(case.method, path, json=body, files=files)
        assert response.status_code == 401, (case.route, response.text)


def test_reading_a_record_is_audited(service: Service) -> None:
    def count() -> int:
        with session_scope(service.engine) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(AuditRow)
                    .where(AuditRow.action == "read_personal_data", AuditRow.subject == service.people["gz"])
                )
                or 0
            )

    before = count()
    path = f"/api/v1/residents/{service.people['gz']}"
    assert service.client.get(path, headers=service.as_("cw_gz")).status_code == 200
    assert service.client.get(path, headers=service.as_("res_gz")).status_code == 200
    assert count() == before + 2
    from changzhu.store.audit import verify

    assert verify(service.engine).ok


def test_register_in_own_jurisdiction_only(service: Service) -> None:
    body = {
        "id_number": "510104201006062221",
        "hukou_region": "510100",
        "residence_region": "440100",
        "residence_since": "2024-09-01",
        "proof_kind": "study",
        "proof_ref": "school-7",
    }
    assert service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_cd")).status_code == 403
    assert service.client.post("/api/v1/residents", json=body, headers=service.as_("pl_nat")).status_code == 403
    created = service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_gz"))
    assert created.status_code == 201, created.text
    assert created.json()["id_number"].startswith("51") and "2010" not in created.json()["id_number"]
    again = service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_gz"))
    assert again.status_code == 400 and "already registered" in again.json()["message"]
    listed = service.client.get("/api/v1/residents?region=440100", headers=service.as_("cw_gz")).json()
    assert listed["total"] == 3  # the Guangzhou worker, their child and the new pupil (the mover lives in Chengdu)


def test_transfer_needs_staff(service: Service) -> None:
    body = {"person_key": service.people["cd"], "to_region": "440000", "to_city": "440100", "moved_on": "2026-03-01"}
    for username in ACCOUNTS:
        started = service.client.post("/api/v1/interregion/transfers", json=body, headers=service.as_(username))
        delivered = service.client.post("/api/v1/interregion/outbox/deliver", headers=service.as_(username))
        if username in STAFF:
            # staff get past the role check; this in-process instance serves no region, so it cannot send
            assert started.status_code in (403, 409), (username, started.text)
            assert delivered.status_code == 409 and "CHANGZHU_INSTANCE_REGION" in delivered.json()["message"]
        else:
            assert started.status_code == 403 and delivered.status_code == 403, username
