"""First-login password change: an account holding a one-time password may only ask who it is and change it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from api_support import ACCOUNTS, PASSWORD, Service
from sqlalchemy import inspect, select, text, update
from test_api_matrix import CASES, _fill
from typer.testing import CliRunner

from changzhu.api.auth.passwords import MIN_PASSWORD_LENGTH
from changzhu.registry.migrate import downgrade, upgrade
from changzhu.store.auth_models import UserRow
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import AuditRow

NEW_PASSWORD = "my own passphrase 2026"
STILL_OPEN = {("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/password")}


def _login_status(service: Service, username: str, password: str) -> int:
    return service.client.post("/api/v1/auth/login", json={"username": username, "password": password}).status_code


def _login(service: Service, username: str, password: str) -> dict[str, str]:
    token = service.client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _change(service: Service, headers: dict[str, str], old: str, new: str) -> tuple[int, dict[str, object]]:
    body = {"old_password": old, "new_password": new}
    answer = service.client.post("/api/v1/auth/password", headers=headers, json=body)
    return answer.status_code, answer.json()


def test_a_reset_password_must_be_changed_before_anything_else(db_service: Service) -> None:
    service = db_service
    reset = service.client.post("/api/v1/users/res_gz/password", headers=service.as_("ad_gd"))
    assert reset.status_code == 200, reset.text
    one_time = reset.json()["one_time_password"]
    headers = _login(service, "res_gz", one_time)
    me = service.client.get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    blocked = service.client.get("/api/v1/me/overview", headers=headers)
    assert blocked.status_code == 403
    assert blocked.json()["error"] == "password_change_required"
    assert "set your own password first, on the Change password page" in blocked.json()["message"]
    chinese = service.client.get("/api/v1/me/overview", headers={**headers, "Accept-Language": "zh-CN"})
    assert chinese.json()["message"] == "请先在“修改密码”页设置自己的密码，再办理其他业务"

    status, body = _change(service, headers, "not the password", NEW_PASSWORD)
    assert (status, body["error"]) == (403, "forbidden") and body["message"] == "the current password is wrong"
    for weak, says in (
        ("short", f"at least {MIN_PASSWORD_LENGTH} characters"),
        (one_time, "must differ from the current one"),
        ("RES_GZ", "must not be the user name"),
    ):
        status, body = _change(service, headers, one_time, weak)
        assert status == 400 and says in str(body["message"]), body
    assert service.client.get("/api/v1/me/overview", headers=headers).status_code == 403  # nothing changed yet

    status, body = _change(service, headers, one_time, NEW_PASSWORD)
    assert (status, body) == (200, {"username": "res_gz", "must_change_password": False})
    assert service.client.get("/api/v1/me/overview", headers=headers).status_code == 200  # the same token now works
    assert service.client.get("/api/v1/auth/me", headers=headers).json()["must_change_password"] is False
    assert _login_status(service, "res_gz", one_time) == 401
    _login(service, "res_gz", NEW_PASSWORD)
    with session_scope(service.engine) as session:
        changes = session.scalars(select(AuditRow.details).where(AuditRow.action == "account.activate")).all()
    assert [json.loads(c) for c in changes] == [{"was_one_time": True, "reason_en": "own password"}]


def test_every_other_endpoint_refuses_a_flagged_account(service: Service) -> None:
    with session_scope(service.engine) as session:
        session.execute(update(UserRow).values(must_change_password=True))
    seen = set()
    for case in CASES:
        if (case.method, case.route) in STILL_OPEN or (case.method, case.route) in seen:
            continue
        seen.add((case.method, case.route))
        for username in ("ad_nat", "res_gz"):
            path = case.path(service)  # first: a path may register the people the body names
            body = _fill(case.body(), service) if case.body else None
            files = case.files() if case.files else None
            response = service.client.request(case.method, path, headers=service.as_(username), json=body, files=files)
            assert response.status_code == 403, (username, case.route, response.text)
            assert response.json()["error"] == "password_change_required", (username, case.route)
    assert len(seen) > 50
    for username in ACCOUNTS:
        assert service.client.get("/api/v1/auth/me", headers=service.as_(username)).status_code == 200


def test_an_account_changes_its_password_without_a_flag_too(service: Service) -> None:
    status, body = _change(service, service.as_("cw_gz"), PASSWORD, NEW_PASSWORD)
    assert (status, body["must_change_password"]) == (200, False)
    assert _login_status(service, "cw_gz", PASSWORD) == 401


def test_wrong_current_passwords_are_rate_limited_like_logins(service: Service) -> None:
    for _ in range(5):
        assert _change(service, service.as_("pl_gd"), "a wrong guess", NEW_PASSWORD)[0] == 403
    assert _change(service, service.as_("pl_gd"), PASSWORD, NEW_PASSWORD)[0] == 429


def test_a_new_resident_login_is_flagged(db_service: Service) -> None:
    service = db_service
    first17 = "44010619950303"
    from changzhu.registry.identity import check_char

    id_number = f"{first17}777" + check_char(f"{first17}777")
    registered = service.client.post(
        "/api/v1/residents",
        headers=service.as_("cw_gz"),
        json={"id_number": id_number, "hukou_region": "510100", "residence_region": "440100",
              "residence_since": "2024-01-01", "proof_kind": "employment", "proof_ref": "contract-9"},
    )  # fmt: skip
    assert registered.status_code == 201, registered.text
    key = registered.json()["person_key"]
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_gz")).json()
    headers = _login(service, made["username"], made["one_time_password"])
    assert service.client.get("/api/v1/auth/me", headers=headers).json()["must_change_password"] is True
    assert service.client.get("/api/v1/me/statement", headers=headers).status_code == 403
    assert _change(service, headers, made["one_time_password"], NEW_PASSWORD)[0] == 200
    assert service.client.get("/api/v1/me/statement", headers=headers).status_code == 200


@pytest.mark.parametrize("flag, expected", [([], True), (["--keep-password"], False)])
def test_user_add_gives_a_one_time_password_unless_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], expected: bool
) -> None:
    from changzhu.cli.main import app

    url = f"sqlite:///{tmp_path / 'changzhu.sqlite3'}"
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", url)
    args = ["user", "add", "first_admin", "--role", "administrator", "--jurisdiction", "000000", "--password-stdin"]
    result = CliRunner().invoke(app, [*args, *flag], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert ("changed at the first login" in result.output) is expected
    engine = make_engine(url)
    with session_scope(engine) as session:
        assert session.scalar(select(UserRow.must_change_password).where(UserRow.username == "first_admin")) is expected
    engine.dispose()


def test_migration_0009_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0008")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, password_hash, role, active, created_at) "
                "VALUES ('before', 'x', 'planner', true, CURRENT_TIMESTAMP)"
            )
        )
    assert "must_change_password" not in {c["name"] for c in inspect(engine).get_columns("users")}
    upgrade(engine, "0009")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT must_change_password FROM users WHERE username = 'before'")) in (False, 0)
    downgrade(engine, "0008")
    assert "must_change_password" not in {c["name"] for c in inspect(engine).get_columns("users")}
    upgrade(engine)
    assert "must_change_password" in {c["name"] for c in inspect(engine).get_columns("users")}
    engine.dispose()


def test_a_new_account_holds_an_activation_code_the_administrator_never_chooses(db_service: Service) -> None:
    """POST /users sets no password: it answers a one-time password (an activation code) shown this once; the
    account does nothing but replace it; the audit log records the creation and the activation, never the code."""
    service = db_service
    new = {"username": "cw_tianhe", "role": "caseworker", "jurisdictions": ["440106"]}
    chosen = service.client.post("/api/v1/users", json={**new, "password": "the administrator's pick"},
                                 headers=service.as_("ad_gd"))  # fmt: skip
    assert chosen.status_code == 422, chosen.text
    made = service.client.post("/api/v1/users", json=new, headers=service.as_("ad_gd"))
    assert made.status_code == 201, made.text
    code, until = made.json()["one_time_password"], datetime.fromisoformat(made.json()["expires_at"])
    assert len(code) == 16 and timedelta(hours=71) < until - datetime.now(UTC) <= timedelta(hours=72)
    assert not set(code) & set("01OILUVilo-_"), code  # read out at a counter: no look-alike characters
    headers = _login(service, "cw_tianhe", code)
    assert service.client.get("/api/v1/auth/me", headers=headers).json()["must_change_password"] is True
    assert service.client.get("/api/v1/residents", headers=headers).json()["error"] == "password_change_required"
    assert _change(service, headers, code, NEW_PASSWORD)[0] == 200
    assert service.client.get("/api/v1/residents", headers=headers).status_code == 200
    assert _login_status(service, "cw_tianhe", code) == 401  # the code worked once: it is gone
    with session_scope(service.engine) as session:
        log = list(session.scalars(select(AuditRow).where(AuditRow.subject == "user:cw_tianhe")))
    assert [r.action for r in log] == ["account.create", "account.activate"]
    assert not [r for r in log if code in f"{r.details}{r.reason}"]


def test_an_activation_code_stops_working_when_its_time_is_up(db_service: Service) -> None:
    service = db_service
    key = service.people["child"]  # lives in Guangzhou, has no login yet
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_gz")).json()
    assert datetime.fromisoformat(made["expires_at"]) > datetime.now(UTC)
    with session_scope(service.engine) as session:
        session.execute(
            update(UserRow)
            .where(UserRow.username == made["username"])
            .values(one_time_until=datetime.now(UTC) - timedelta(minutes=1))
        )
    late = service.client.post(
        "/api/v1/auth/login",
        json={"username": made["username"], "password": made["one_time_password"]},
        headers={"Accept-Language": "en"},
    )
    assert (late.status_code, late.json()["code"]) == (401, "activation_code_expired"), late.text
    assert late.json()["message"] == "this one-time activation code has expired: ask the office for a new one"
    wrong = service.client.post("/api/v1/auth/login", json={"username": made["username"], "password": "guess"})
    assert wrong.json()["code"] == "wrong_login"  # only the right code learns that it expired
    again = service.client.post(f"/api/v1/users/{made['username']}/password", headers=service.as_("ad_gd")).json()
    assert _login_status(service, made["username"], again["one_time_password"]) == 200


def test_migration_0014_up_down_up(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0013")
    assert "one_time_until" not in {c["name"] for c in inspect(engine).get_columns("users")}
    upgrade(engine, "0014")
    assert "one_time_until" in {c["name"] for c in inspect(engine).get_columns("users")}
    downgrade(engine, "0013")
    assert "one_time_until" not in {c["name"] for c in inspect(engine).get_columns("users")}
    upgrade(engine)
    engine.dispose()


def test_a_generated_resident_login_name_holds_no_part_of_the_record_key(service: Service) -> None:
    """The office shows the generated name to hand over: readable (jm and eight digits), and no part of the record's
    internal key, which no page shows (it was `r` and the key's first 12 hex digits)."""
    key = service.people["mover"]  # lives in Chengdu, no login yet
    made = service.client.post(f"/api/v1/residents/{key}/login", json={}, headers=service.as_("cw_cd"))
    assert made.status_code == 201, made.text
    name = made.json()["username"]
    assert re.fullmatch(r"jm\d{8}", name), name
    assert not any(key[i : i + 6] in name for i in range(len(key) - 5)), (name, key)
    assert _login_status(service, name, made.json()["one_time_password"]) == 200
