"""Login, tokens, rate limiting, error bodies and limits."""

from __future__ import annotations

import time

import jwt
import pytest
from api_support import PASSWORD, Service
from argon2 import PasswordHasher

from changzhu.api.auth.tokens import issue_token


def test_login_returns_token_and_me_names_the_account(service: Service) -> None:
    me = service.client.get("/api/v1/auth/me", headers=service.as_("cw_gz")).json()
    assert me == {
        "username": "cw_gz",
        "role": "caseworker",
        "jurisdictions": ["440100"],
        "person_id": None,
        "person_key": None,
        "must_change_password": False,
    }


def test_wrong_password_and_unknown_user_get_the_same_401(service: Service) -> None:
    wrong = service.client.post("/api/v1/auth/login", json={"username": "cw_gz", "password": "nope"})
    unknown = service.client.post("/api/v1/auth/login", json={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "error": "not_authenticated",
            "code": "wrong_login",
            "params": {},
            "message": "wrong user name or password",
        }
    )


def test_login_is_rate_limited_after_five_failures(service: Service) -> None:
    for _ in range(5):
        assert service.client.post("/api/v1/auth/login", json={"username": "pl_gd", "password": "x"}).status_code == 401
    blocked = service.client.post("/api/v1/auth/login", json={"username": "pl_gd", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "too many failed logins" in blocked.json()["message"]


def test_expired_forged_and_missing_tokens_are_refused(service: Service) -> None:
    expired = jwt.encode({"sub": "1", "iss": "changzhu", "iat": 1, "exp": int(time.time()) - 5}, b"k" * 32)
    forged = issue_token(1, b"another secret of thirty-two chars!", 60)
    for header, text in (
        ({"Authorization": f"Bearer {expired}"}, "expired"),
        ({"Authorization": f"Bearer {forged}"}, "not valid"),
        ({}, "log in first"),
    ):
        response = service.client.get("/api/v1/auth/me", headers=header)
        assert response.status_code == 401
        assert text in response.json()["message"]


def test_disabled_account_token_stops_working(service: Service) -> None:
    from changzhu.api.auth.accounts import set_active

    set_active(service.engine, "pl_nat", False)
    assert service.client.get("/api/v1/auth/me", headers=service.as_("pl_nat")).status_code == 401


def test_password_is_stored_as_argon2_hash(service: Service) -> None:
    from sqlalchemy import select

    from changzhu.store.auth_models import UserRow
    from changzhu.store.db import session_scope

    with session_scope(service.engine) as session:
        hashes = list(session.scalars(select(UserRow.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_password_hashes_use_rfc_9106_low_memory_parameters(
    production_password_hasher: PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service hashes with argon2id at RFC 9106's low-memory profile (the other tests use the cheapest
    parameters, tests/conftest.py), and checks a password against such a hash."""
    from argon2 import extract_parameters
    from argon2.profiles import RFC_9106_LOW_MEMORY

    from changzhu.api.auth import passwords

    monkeypatch.setattr(passwords, "_hasher", production_password_hasher)
    stored = passwords.hash_password(PASSWORD)
    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
    assert passwords.verify_password(stored, PASSWORD) and not passwords.verify_password(stored, PASSWORD + "!")


def test_oversized_body_gets_413_and_bad_input_names_the_field(service: Service) -> None:
    big = service.client.post(
        "/api/v1/auth/login", content=b"{" + b" " * 2_000_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert big.status_code == 413
    assert big.json()["error"] == "payload_too_large"
    bad = service.client.get("/api/v1/regions?level=town", headers=service.as_("pl_nat"))
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["field"] == "level"


def test_unexpected_error_is_500_without_a_trace(service: Service) -> None:
    from fastapi.testclient import TestClient

    from changzhu.api.app import create_app

    app = create_app(service.client.app.state.settings, service.engine)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    response = TestClient(app, raise_server_exceptions=False).get("/api/v1/boom")
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["error"] == "internal"
