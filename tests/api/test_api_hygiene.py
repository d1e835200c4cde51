"""Input and availability hygiene: NUL and over-long text refused alike on both databases, lengths from one
definition, database timeouts answered with 503, no blocking work on the event loop, a fair login limiter."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from api_support import ENGLISH, PASSWORD, Service
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import String, create_engine, text

from changzhu.api import ApiSettings, create_app
from changzhu.api.auth.tokens import issue_token
from changzhu.api.errors import NotAuthenticated
from changzhu.api.interregion import inbox
from changzhu.api.limits import LoginRateLimiter, client_address
from changzhu.api.routes import ledger, residents, users
from changzhu.store.auth_models import UserRow
from changzhu.store.resident_models import (
    MedicalCatalogueRow,
    MedicalClaimRow,
    MedicalPolicyRow,
    ResidenceEventRow,
    VoucherRow,
)


def _post(service: Service, path: str, body: dict[str, Any], who: str = "cw_cd") -> Any:
    return service.client.post(path, json=body, headers=service.as_(who))


def _voucher(svc: Service, **changes: Any) -> dict[str, Any]:
    return {"holder_key": svc.people["gz"], "issuer_region": "510100", "service": "childcare",
            "value_fen": 50000, "issued_on": "2026-11-01", "expires_on": "2027-11-01", **changes}  # fmt: skip


def _bill(svc: Service, **changes: Any) -> dict[str, Any]:
    return {"person_key": svc.people["gz"], "insured_region": "510100", "treatment_region": "440100",
            "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "hygiene-bill-1",
            "items": [{"item_code": "A001", "amount_fen": 500000}], **changes}  # fmt: skip


def test_nul_characters_are_refused_with_422(db_service: Service) -> None:
    """PostgreSQL answered 500 to a NUL in any text reaching a query; now both databases answer 422."""
    service = db_service
    body = _post(service, "/api/v1/vouchers", _voucher(service, service="child\x00care"))
    assert body.status_code == 422 and body.json()["problems"][0]["field"] == "service"
    nested = _post(
        service, "/api/v1/medical/settlements", _bill(service, items=[{"item_code": "A\x00", "amount_fen": 1}]), "cw_gz"
    )
    assert nested.status_code == 422 and nested.json()["problems"][0]["field"] == "items.0.item_code"
    path = service.client.get("/api/v1/residents/ab%00cdefgh", headers=service.as_("cw_gz"))
    assert path.status_code == 422 and "NUL" in path.json()["message"]
    query = service.client.get("/api/v1/regions?name=%E5%B9%BF%00", headers=service.as_("cw_gz"))
    assert query.status_code == 422 and query.json()["problems"][0]["field"] == "name"
    move = {"to_region": "510100", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease\x00"}
    assert _post(service, f"/api/v1/residents/{service.people['cd']}/moves", move).status_code == 422


def test_text_as_long_as_its_column_is_stored_and_one_more_is_422(db_service: Service) -> None:
    """service 40, provider 80, hospital 80: the API used to accept 60/100/100 and PostgreSQL answered 500."""
    service = db_service
    assert _post(service, "/api/v1/vouchers", _voucher(service, service="s" * 41)).status_code == 422
    issued = _post(service, "/api/v1/vouchers", _voucher(service, service="s" * 40))
    assert issued.status_code == 201, issued.text
    number = issued.json()["voucher_no"]
    redeem = {"provider_region": "440100", "redeemed_on": "2026-11-20", "idempotency_key": "hygiene-redeem"}
    too_long = _post(service, f"/api/v1/vouchers/{number}/redeem", {**redeem, "provider": "p" * 81}, "cw_gz")
    assert too_long.status_code == 422
    redeemed = _post(service, f"/api/v1/vouchers/{number}/redeem", {**redeem, "provider": "p" * 80}, "cw_gz")
    assert redeemed.status_code == 200, redeemed.text
    assert _post(service, "/api/v1/medical/settlements", _bill(service, hospital="h" * 81), "cw_gz").status_code == 422
    settled = _post(service, "/api/v1/medical/settlements", _bill(service, hospital="h" * 80), "cw_gz")
    assert settled.status_code == 201, settled.text
    long_key = service.client.get("/api/v1/residents/" + "k" * 33, headers=service.as_("cw_gz"))
    assert long_key.status_code == 422


# every API text field that is stored, with the column it fills
STORED_FIELDS: list[tuple[type[BaseModel], str, Any]] = [
    (ledger.NewVoucher, "service", VoucherRow.service),
    (ledger.Redemption, "provider", VoucherRow.provider),
    (ledger.Bill, "hospital", MedicalClaimRow.hospital),
    (ledger.BillItem, "item_code", MedicalCatalogueRow.item_code),
    (ledger.CatalogueItem, "item_code", MedicalCatalogueRow.item_code),
    (ledger.CatalogueItem, "name", MedicalCatalogueRow.name),
    (ledger.MedicalPolicy, "source", MedicalPolicyRow.source),
    (residents.NewResident, "proof_ref", ResidenceEventRow.proof_ref),
    (residents.Move, "proof_ref", ResidenceEventRow.proof_ref),
    (users.NewUser, "username", UserRow.username),
    (users.NewUser, "display_name", UserRow.display_name),
]


def _max_length(model: type[BaseModel], name: str) -> int:
    field = model.model_fields[name]
    found = [m.max_length for m in field.metadata if getattr(m, "max_length", None) is not None]
    assert len(found) == 1, (model.__name__, name)
    return int(found[0])


@pytest.mark.parametrize(("model", "name", "column"), STORED_FIELDS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_api_limits_equal_the_column_sizes(model: type[BaseModel], name: str, column: Any) -> None:
    kind = column.property.columns[0].type
    assert isinstance(kind, String) and kind.length == _max_length(model, name)


@pytest.fixture
def slow_settings(db_service: Service) -> ApiSettings:
    """The service's settings with a 300 ms statement timeout."""
    settings: ApiSettings = db_service.client.app.state.settings  # type: ignore[attr-defined]
    return replace(settings, db_statement_timeout_ms=300)


def test_a_statement_that_waits_too_long_is_a_503(db_service: Service, slow_settings: ApiSettings) -> None:
    """Another connection holds the lock the request needs (PostgreSQL: the persons table; SQLite: the write
    lock): the request gives up after the statement timeout with a 503 that says so."""
    service = db_service
    client = TestClient(create_app(slow_settings, service.engine), headers=ENGLISH)
    holder = create_engine(service.engine.url)
    with holder.connect() as conn:
        if holder.dialect.name == "postgresql":
            conn.execute(text("BEGIN"))
            conn.execute(text("LOCK TABLE persons IN ACCESS EXCLUSIVE MODE"))
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        answer = client.get(f"/api/v1/residents/{service.people['gz']}", headers=service.as_("cw_gz"))
        conn.rollback()
    holder.dispose()
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"] == "timeout" and "300 ms" in answer.json()["message"]
    assert answer.headers["retry-after"] == "5"
    after = client.get(f"/api/v1/residents/{service.people['gz']}", headers=service.as_("cw_gz"))
    assert after.status_code == 200


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a frozen database server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_a_database_that_never_answers_is_a_503(silent_server: int, tmp_path: Any) -> None:
    settings = ApiSettings(
        database_url=f"postgresql+psycopg://changzhu@127.0.0.1:{silent_server}/changzhu",
        jwt_secret=b"t" * 32,
        keys_dir=tmp_path / "keys",
        db_connect_timeout_s=1,
    )
    client = TestClient(create_app(settings), headers=ENGLISH)
    token = issue_token(1, settings.jwt_secret, 60)
    answer = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 503 and answer.json()["error"] == "timeout", answer.text
    assert "connect timeout 1 s" in answer.json()["message"]


def test_blocking_work_of_a_peer_message_leaves_the_service_answering(
    db_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The peer-message handler is async; its database work used to run on the event loop and stall every
    other request. While one message's work is blocked, another request is still answered."""
    service = db_service
    entered, release = threading.Event(), threading.Event()

    def blocked(*_args: object, **_kwargs: object) -> str:
        entered.set()
        release.wait(60)
        raise NotAuthenticated("a test peer")

    monkeypatch.setattr(inbox, "authenticate_peer", blocked)
    with TestClient(service.client.app) as client:  # one event loop serves both requests
        headers = {"X-Changzhu-Region": "510000", "X-Changzhu-Timestamp": "1", "X-Changzhu-Signature": "00"}
        sender = threading.Thread(
            target=lambda: client.post("/api/v1/interregion/messages", content=b"{}", headers=headers)
        )
        sender.start()
        assert entered.wait(60)
        answered = client.get("/api/v1/regions/440100", headers=service.as_("cw_gz"))
        still_blocked = sender.is_alive() and not release.is_set()
        release.set()
        sender.join()
    assert answered.status_code == 200 and still_blocked


def _login(client: TestClient, username: str, password: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}, headers=headers
    ).status_code


def test_one_address_cannot_lock_everyone_out(service: Service) -> None:
    """Five wrong passwords for one account from one address block that pair only; a forged X-Forwarded-For
    is ignored unless the peer is a configured proxy."""
    client = service.client
    for n in range(5):
        assert _login(client, "cw_gz", "wrong password", forwarded=f"10.9.9.{n}") == 401
    assert _login(client, "cw_gz", PASSWORD, forwarded="10.1.1.1") == 429  # the header changed nothing
    assert _login(client, "cw_cd", PASSWORD) == 200  # others behind the same address still log in


def test_behind_a_trusted_proxy_each_client_is_counted_apart(service: Service) -> None:
    settings = replace(service.client.app.state.settings, trusted_proxies=frozenset({"testclient"}))  # type: ignore[attr-defined]
    client = TestClient(create_app(settings, service.engine))
    for _ in range(5):
        assert _login(client, "cw_gz", "wrong password", forwarded="203.0.113.7") == 401
    assert _login(client, "cw_gz", PASSWORD, forwarded="203.0.113.7") == 429
    assert _login(client, "cw_gz", PASSWORD, forwarded="198.51.100.2") == 200


@pytest.mark.parametrize("workers", [1, 2])
def test_uvicorn_never_rewrites_the_client_address(
    workers: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """One worker or several, uvicorn is told not to believe X-Forwarded-For: only the app's own list of trusted
    proxies (CHANGZHU_TRUSTED_PROXIES) decides. Several workers used to trust a forged header from 127.0.0.1."""
    import uvicorn
    from typer.testing import CliRunner

    from changzhu.cli.main import app

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **options: started.update(options))
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path))
    monkeypatch.setenv("CHANGZHU_DATABASE_URL", f"sqlite:///{tmp_path / 'changzhu.sqlite3'}")
    ran = CliRunner().invoke(app, ["serve", "--no-migrate", "--workers", str(workers)])
    assert ran.exit_code == 0, ran.output
    assert started["proxy_headers"] is False


def test_limiter_limits_per_pair_account_and_address() -> None:
    limiter = LoginRateLimiter(attempts=2, window_seconds=600)
    for n in range(8):  # one account guessed from many addresses: 2 each, 8 in all reach the account's limit
        limiter.failed("victim", f"192.0.2.{n}")
    with pytest.raises(Exception, match="too many"):
        limiter.check("victim", "198.51.100.1")
    for n in range(20):  # one address spraying many accounts: blocked itself, nobody else
        limiter.failed(f"user{n}", "192.0.2.200")
    with pytest.raises(Exception, match="too many"):
        limiter.check("someone", "192.0.2.200")
    limiter.check("someone", "192.0.2.201")
    assert client_address("192.0.2.1", "10.0.0.1", frozenset()) == "192.0.2.1"
    assert client_address("10.0.0.9", "203.0.113.5, 10.0.0.8", frozenset({"10.0.0.9", "10.0.0.8"})) == "203.0.113.5"
