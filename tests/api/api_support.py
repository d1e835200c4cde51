"""Shared fixtures and helpers of the API tests (imported by tests/api/conftest.py and by the test modules)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from db_templates import PG_ADMIN_URL, template_copy
from session_files import built_once

warnings.filterwarnings("ignore", message="Using `httpx` with")

from fastapi.testclient import TestClient  # noqa: E402

from changzhu.api import ApiSettings, create_app  # noqa: E402
from changzhu.api.app import attach  # noqa: E402
from changzhu.api.auth.accounts import create_user  # noqa: E402
from changzhu.api.auth.roles import Role  # noqa: E402
from changzhu.api.auth.tokens import issue_token  # noqa: E402
from changzhu.api.interregion import inbox, outbox  # noqa: E402
from changzhu.api.interregion.peers import add_peer  # noqa: E402
from changzhu.api.interregion.protocol import Message  # noqa: E402
from changzhu.api.interregion.transfer import KIND  # noqa: E402
from changzhu.api.keys import public_key_text  # noqa: E402
from changzhu.data.census import census_2020  # noqa: E402
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions  # noqa: E402
from changzhu.ledger.medical import set_catalogue, set_policy  # noqa: E402
from changzhu.ledger.medical_rules import Policy  # noqa: E402
from changzhu.ledger.vouchers import issue_voucher  # noqa: E402
from changzhu.registry.census_import import load_census  # noqa: E402
from changzhu.registry.identity import check_char  # noqa: E402
from changzhu.registry.migrate import upgrade  # noqa: E402
from changzhu.registry.residents import ProofKind, Registration, link_household, register_resident  # noqa: E402
from changzhu.store.auth_models import UserRow  # noqa: E402
from changzhu.store.db import make_engine, session_scope  # noqa: E402
from changzhu.store.interregion_models import OutboxRow  # noqa: E402
from changzhu.store.resident_models import PersonRow, TransferRow, VoucherRow  # noqa: E402

PASSWORD = "correct horse battery staple"
ENGLISH = {"Accept-Language": "en"}  # the tests read error messages in English unless they ask for Chinese
ID_GZ, ID_CD, ID_MOVER = "510104199001011230", "510104198505054328", "440106199503031113"
ID_CHILD = "51010420180606441X"
ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "src" / "changzhu" / "scenarios"
VOUCHER_KEY = "voucher-for-gz-1"
MOVED_TO_CHENGDU = date(2026, 11, 1)  # the day the Guangzhou worker moves to Chengdu in the 跨省通办 tests
# person-table facts a caseworker records at registration (the rules need them; the mover has none on file)
WORKER = {
    "employed": True,
    "education": "bachelor",
    "housing": "rented",
    "income_per_capita_month": 5200.0,
    "criminal_record": False,
}
CHILD = {**WORKER, "employed": False, "education": "none"}
# the Guangzhou worker also gives what Guangzhou's points scheme reads (unknown facts would leave it undetermined)
GZ_WORKER = {
    **WORKER,
    "professional_title": "none",
    "admin_detentions": 0,
    "guangzhou_rented_home_months": 0,
    "guangzhou_moved_out_months": 0,
    "guangzhou_unemployment_insurance_months": 0,
    "guangzhou_injury_insurance_months": 0,
    "guangzhou_maternity_insurance_months": 0,
    "guangzhou_housing_fund_months": 0,
    "guangzhou_invention_patent_shares": 0.0,
    "guangzhou_high_tech_months": 0,
    "guangzhou_shortage_occupation": False,
    "guangzhou_hardship_frontline_months": 0,
    "guangzhou_blood_donations_5y": 0,
    "guangzhou_volunteer_years_5y": 0,
    "guangzhou_awards": ["none"],
    "guangzhou_first_class_merits": 0,
    "guangzhou_second_class_merits": 0,
    "guangzhou_third_class_merits": 0,
}
# user name -> (role, jurisdictions, resident's id number)
ACCOUNTS: dict[str, tuple[Role, list[str], str | None]] = {
    "res_gz": (Role.RESIDENT, [], ID_GZ),
    "res_cd": (Role.RESIDENT, [], ID_CD),
    "cw_gz": (Role.CASEWORKER, ["440100"], None),
    "cw_cd": (Role.CASEWORKER, ["510100"], None),
    "pl_nat": (Role.PLANNER, ["000000"], None),
    "pl_gd": (Role.PLANNER, ["440000"], None),
    "fo_nat": (Role.FISCAL_OFFICER, ["000000"], None),
    "ad_nat": (Role.ADMINISTRATOR, ["000000"], None),
    "ad_gd": (Role.ADMINISTRATOR, ["440000"], None),
}


@pytest.fixture(scope="session", autouse=True)
def identity_key_env() -> Iterator[None]:
    """Fixed identity keys for the registry (no key file written into the working directory)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHANGZHU_ID_HASH_KEY", "11" * 32)
        mp.setenv("CHANGZHU_ID_ENC_KEY", "22" * 32)
        yield


def months(first: tuple[int, int], last: tuple[int, int], base_fen: int) -> list[MonthPaid]:
    """Every month from `first` to `last` (year, month) with one contribution base."""
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append(MonthPaid(year * 100 + month, base_fen))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def populate(engine: Engine) -> dict[str, str]:
    """Census, four residents (a Guangzhou worker insured for medical care in Chengdu, and child, one in Chengdu,
    one applying to move to Guangzhou), their insurance records, a voucher, medical policy and catalogue, and the
    accounts; returns person keys."""
    upgrade(engine)
    load_census(engine, census_2020())
    keys = {}
    for name, (id_number, hukou, residence, since, facts) in {
        "gz": (ID_GZ, "510100", "440100", date(2021, 3, 1), GZ_WORKER),
        "cd": (ID_CD, "510100", "510100", date(2021, 3, 1), WORKER),
        "mover": (ID_MOVER, "440100", "510100", date(2021, 3, 1), {}),
        "child": (ID_CHILD, "510100", "440100", date(2021, 3, 1), CHILD),
    }.items():
        reg = Registration(id_number, hukou, residence, since, ProofKind.EMPLOYMENT, f"contract-{name}", facts)
        keys[name] = str(register_resident(engine, reg, actor="test")["person_key"])
    link_household(engine, keys["gz"], keys["child"], actor="test")
    # the worker paid pension in Chengdu before moving, then pension and medical insurance in Guangzhou
    record_contributions(
        engine, keys["gz"], Scheme.PENSION, "510100", months((2018, 1), (2021, 2), 600000), actor="test"
    )
    record_contributions(
        engine, keys["gz"], Scheme.PENSION, "440100", months((2021, 3), (2024, 2), 800000), actor="test"
    )
    record_contributions(
        engine, keys["gz"], Scheme.MEDICAL, "440100", months((2021, 3), (2024, 2), 800000), actor="test"
    )
    # since March 2024 the worker keeps resident medical insurance at the hukou place, Chengdu (insured there)
    record_contributions(
        engine, keys["gz"], Scheme.MEDICAL, "510100", months((2024, 3), (2026, 10), 40000), actor="test"
    )
    issue_voucher(
        engine,
        keys["gz"],
        "510100",
        "vocational_training",
        200000,
        date(2026, 3, 1),
        date(2027, 3, 1),
        actor="test",
        key=VOUCHER_KEY,
    )
    set_policy(engine, "510100", Policy(100000, 700, 50000000, 100, 200), "成都市医保局 2024 (test)", actor="test")
    set_catalogue(engine, "440100", [("A001", "血常规", "A", 0), ("B001", "CT", "B", 100)], actor="test")
    with session_scope(engine) as session:
        people = {p.person_key: p.id for p in session.query(PersonRow)}
        # the mover has applied to move their pension to Guangzhou: Guangzhou's caseworkers may see them
        session.add(
            TransferRow(
                transfer_no="t-mover-1",
                person_id=people[keys["mover"]],
                scheme="pension",
                from_region="510100",
                to_region="440100",
                status="applied",
                applied_on=date(2026, 1, 5),
                amounts={},
            )
        )
    ids = {ID_GZ: people[keys["gz"]], ID_CD: people[keys["cd"]]}
    for username, (role, scopes, id_number) in ACCOUNTS.items():
        create_user(engine, username, PASSWORD, role, scopes, ids[id_number] if id_number else None)
    return keys


HANDED_OVER_ON = date(2026, 3, 1)  # the day hand_over moves a person to Guangzhou


def hand_over(engine: Engine, person_key: str) -> str:
    """Sichuan's instance hands the Chengdu resident `person_key` over to Guangdong's (跨省通办): twelve months of
    pension paid in Chengdu go with her, and from HANDED_OVER_ON she lives in Guangzhou and has moved out here (the
    message is still pending: docs/ledger.md, "The sender records that she moved out"); the message id."""
    paid = months((2024, 1), (2024, 12), 600000)
    record_contributions(engine, person_key, Scheme.PENSION, "510100", paid, actor="test", key=f"{person_key}-2024")
    return start_hand_over(engine, person_key, ("510000", "440000", "440100"), HANDED_OVER_ON)


def start_hand_over(engine: Engine, person_key: str, route: tuple[str, str, str], on: date) -> str:
    """The sending province's instance (route: sender, receiver province, receiving city) hands `person_key` over
    on `on`, the receiver added as a peer with a fresh key; the id of the message waiting in the outbox."""
    sender, receiver, city = route
    add_peer(engine, receiver, f"http://{receiver}.invalid", public_key_text(Ed25519PrivateKey.generate()))
    return outbox.start_transfer(
        engine, person_key, sender, receiver, city, on, actor="test", authorize=lambda _r: None
    )


@dataclass
class Service:
    """A running app (in process), its engine, the person keys, and a logged-in header per account."""

    client: TestClient
    engine: Engine
    people: dict[str, str]
    headers: dict[str, dict[str, str]]

    @property
    def voucher_no(self) -> str:
        """The voucher issued when the database was populated."""
        with session_scope(self.engine) as session:
            return str(session.scalar(select(VoucherRow.voucher_no).order_by(VoucherRow.id)))

    def as_(self, username: str) -> dict[str, str]:
        """The Authorization header of `username`."""
        return self.headers[username]


def hand_over_to_sichuan(service: Service) -> str:
    """Guangdong's instance hands the Guangzhou worker over to Sichuan's (a peer for 510000): she moves to Chengdu on
    MOVED_TO_CHENGDU; the id of the message waiting in the outbox."""
    return start_hand_over(service.engine, service.people["gz"], ("440000", "510000", "510100"), MOVED_TO_CHENGDU)


# moved_to_chengdu's caseworkers: Shenzhen (her hukou and insured place), Foshan (no tie to her)
OFFICE = {"cw_sz": ["440300"], "cw_fs": ["440600"]}
ID_SZ17 = "44030619900101123"  # born in Shenzhen's Bao'an district


def moved_to_chengdu(service: Service) -> str:
    """A Guangzhou resident whose hukou is in Shenzhen (insured there for medical care), handed over to Sichuan's
    instance on MOVED_TO_CHENGDU (moved to Chengdu), and the caseworkers of OFFICE with their headers; her key."""
    engine = service.engine
    reg = Registration(
        ID_SZ17 + check_char(ID_SZ17), "440300", "440100", date(2021, 3, 1), ProofKind.EMPLOYMENT, "contract-sz", {}
    )
    person = str(register_resident(engine, reg, actor="test")["person_key"])
    paid = months((2023, 1), (2024, 12), 700000)
    record_contributions(engine, person, Scheme.PENSION, "440100", paid, actor="test", key="sz-pension")
    insured = months((2025, 1), (2026, 10), 40000)
    record_contributions(engine, person, Scheme.MEDICAL, "440300", insured, actor="test", key="sz-medical")
    start_hand_over(engine, person, ("440000", "510000", "510100"), MOVED_TO_CHENGDU)
    secret = service.client.app.state.settings.jwt_secret  # type: ignore[attr-defined]
    for username, scopes in OFFICE.items():
        create_user(engine, username, PASSWORD, Role.CASEWORKER, scopes, None)
        with session_scope(engine) as session:
            user_id = int(session.scalar(select(UserRow.id).where(UserRow.username == username)) or 0)
        service.headers[username] = {"Authorization": f"Bearer {issue_token(user_id, secret, 900)}"}
    return person


@dataclass
class Arrival:
    """Sichuan's instance after taking in a hand-over: its registry, the message as sent, the person as received."""

    sichuan: Engine
    message: Message
    person: PersonRow


def received_in_sichuan(service: Service, message_id: str, folder: Path) -> Arrival:
    """The message `message_id` of Guangdong's outbox delivered to a new Sichuan instance (a registry in `folder`
    with the census; dispose of its engine after use)."""
    with session_scope(service.engine) as session:
        row = session.scalars(select(OutboxRow).where(OutboxRow.message_id == message_id)).one()
        message = Message(message_id, "440000", "510000", KIND, outbox.unseal(message_id, row.payload))
    sichuan = make_engine(f"sqlite:///{folder / 'sichuan.sqlite3'}")
    upgrade(sichuan)
    load_census(sichuan, census_2020())
    receipt = inbox.receive(sichuan, "440000", message, "510000")
    with session_scope(sichuan) as session:
        person = session.scalars(select(PersonRow).where(PersonRow.person_key == receipt["person_key"])).one()
        session.expunge(person)
    return Arrival(sichuan, message, person)


@pytest.fixture(scope="session")
def populated_sqlite(identity_key_env: None) -> tuple[Path, dict[str, str]]:
    """A populated SQLite file and its person keys, built once per test session (by the first xdist worker that asks,
    `built_once`; `populate` costs about 5 s of CPU) and copied for each test: never opened as it is."""
    folder = built_once("populated_sqlite", _populate_sqlite)
    return folder / "changzhu.sqlite3", json.loads((folder / "people.json").read_text(encoding="utf-8"))


def _populate_sqlite(folder: Path) -> None:
    engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
    people = populate(engine)
    engine.dispose()
    (folder / "people.json").write_text(json.dumps(people), encoding="utf-8")


def _settings(engine: Engine, keys_dir: Path) -> ApiSettings:
    return ApiSettings(database_url=str(engine.url), jwt_secret=b"k" * 32, keys_dir=keys_dir, scenarios_dir=SCENARIOS)


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """One app for the session's `service` and `db_service` tests: building its routes costs about 0.2 s of CPU, and
    each test gives it its own database, settings, run queue and login limiter (`attach`)."""
    folder = tmp_path_factory.mktemp("shared_app")
    engine = make_engine(f"sqlite:///{folder / 'unused.sqlite3'}", check=False)  # replaced by each test's
    return create_app(_settings(engine, folder / "keys"), engine)


def start_service(engine: Engine, people: dict[str, str], keys_dir: Path, app: FastAPI | None = None) -> Service:
    """An in-process app on `engine` (a new one, or `app` given this database and settings) with a token per
    account (issued directly: test_api_auth covers logging in)."""
    settings = _settings(engine, keys_dir)
    if app is None:
        app = create_app(settings, engine)
    else:
        attach(app, settings, engine)
    client = TestClient(app, headers=ENGLISH)
    with session_scope(engine) as session:
        ids = {name: int(uid) for name, uid in session.execute(select(UserRow.username, UserRow.id))}
    headers = {
        username: {"Authorization": f"Bearer {issue_token(ids[username], settings.jwt_secret, 900)}"}
        for username in ACCOUNTS
    }
    return Service(client, engine, dict(people), headers)


@pytest.fixture
def service(populated_sqlite: tuple[Path, dict[str, str]], shared_app: FastAPI, tmp_path: Path) -> Iterator[Service]:
    """A fresh copy of the populated database behind the shared app."""
    template, people = populated_sqlite
    copy = tmp_path / "changzhu.sqlite3"
    shutil.copy(template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    running = start_service(engine, people, tmp_path / "keys", shared_app)
    with running.client:  # one event loop serves the test's requests; leaving it shuts the test's run queue down
        yield running
    engine.dispose()


@pytest.fixture
def db_service(
    database_url: str, populated_sqlite: tuple[Path, dict[str, str]], shared_app: FastAPI, tmp_path: Path
) -> Iterator[Service]:
    """The populated service on SQLite and on PostgreSQL (each a copy of the session's populated template), behind
    the shared app."""
    if database_url.startswith("sqlite"):
        template, people = populated_sqlite
        shutil.copy(template, tmp_path / "changzhu.sqlite3")
        engine = make_engine(f"sqlite:///{tmp_path / 'changzhu.sqlite3'}")
    else:
        people = populated_postgres(database_url)
        engine = make_engine(database_url)
    running = start_service(engine, people, tmp_path / "keys", shared_app)
    with running.client:  # one event loop serves the test's requests; leaving it shuts the test's run queue down
        yield running
    engine.dispose()


def populated_postgres(url: str) -> dict[str, str]:
    """Make the PostgreSQL database at `url` a copy of the session's populated template (`populate` builds it once
    per test session, tests/db_templates.py); returns the person keys (the template's comment)."""
    note = template_copy(url, "api", lambda engine: json.dumps(populate(engine)))
    assert note is not None, "the populated template carries its person keys"
    return dict(json.loads(note))


@contextmanager
def fresh_postgres(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database (its URL) for longer than one test, dropped afterwards (tests/conftest.py's
    `postgres_url` is per test)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a copy of the SQLite file `template` in `folder`."""
    shutil.copy(template, folder / "changzhu.sqlite3")
    return f"sqlite:///{folder / 'changzhu.sqlite3'}"


@contextmanager
def serving(
    database_url: str, folder: Path, secret: str, ready_path: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`changzhu serve` on a free loopback port over `database_url` (populated), with `env` added to its
    environment (CHANGZHU_INSTANCE_REGION for a 跨省通办 instance); yields its URL once `ready_path` answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        **(env or {}),
        "CHANGZHU_DATABASE_URL": database_url,
        "CHANGZHU_HOME": str(folder),
        "CHANGZHU_JWT_SECRET": secret * 40,
        "CHANGZHU_SCENARIOS_DIR": str(SCENARIOS),
    }
    process = subprocess.Popen([sys.executable, "-m", "changzhu.cli.main", "serve", "--port", str(port)], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a loaded 2-core machine starts the server slowly
        while True:
            try:
                if httpx.get(url + ready_path, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "changzhu serve did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def upload_facility_list(service: Service, name: str, content: bytes, **params: str) -> httpx.Response:
    """A national planner's upload of a facility list (`params`: dry_run and the like)."""
    files = {"file": (name, content, "application/octet-stream")}
    return service.client.post("/api/v1/uploads/facility", params=params, files=files, headers=service.as_("pl_nat"))


def chengdu_supply(service: Service, planned: str) -> tuple[float, str]:
    """Chengdu's supply of the `planned` service in the prefecture gaps table, and where that supply comes from."""
    answer = service.client.get(
        "/api/v1/planning/gaps",
        params={"level": "prefecture", "province": "510000", "service": planned, "basis": "resident"},
        headers=service.as_("pl_nat"),
    )
    assert answer.status_code == 200, answer.text
    (row,) = [r for r in answer.json()["items"] if r["region_code"] == "510100"]
    return row["supply"], row["supply_source"]
