"""Shared fixtures and helpers of the API tests (imported by tests/api/conftest.py and by the test modules)."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

warnings.filterwarnings("ignore", message="Using `httpx` with")

from fastapi.testclient import TestClient  # noqa: E402

from changzhu.api import ApiSettings, create_app  # noqa: E402
from changzhu.api.auth.accounts import create_user  # noqa: E402
from changzhu.api.auth.models import UserRow  # noqa: E402
from changzhu.api.auth.roles import Role  # noqa: E402
from changzhu.api.auth.tokens import issue_token  # noqa: E402
from changzhu.data.census import census_2020  # noqa: E402
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions  # noqa: E402
from changzhu.ledger.medical import set_catalogue, set_policy  # noqa: E402
from changzhu.ledger.medical_rules import Policy  # noqa: E402
from changzhu.ledger.vouchers import issue_voucher  # noqa: E402
from changzhu.registry.census_import import load_census  # noqa: E402
from changzhu.registry.db import make_engine, session_scope  # noqa: E402
from changzhu.registry.migrate import upgrade  # noqa: E402
from changzhu.registry.resident_models import PersonRow, TransferRow, VoucherRow  # noqa: E402
from changzhu.registry.residents import ProofKind, Registration, link_household, register_resident  # noqa: E402

PASSWORD = "correct horse battery staple"
ID_GZ, ID_CD, ID_MOVER = "510104199001011230", "510104198505054328", "440106199503031113"
ID_CHILD = "51010420180606441X"
ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
VOUCHER_KEY = "voucher-for-gz-1"
# person-table facts a caseworker records at registration (the rules need them; the mover has none on file)
WORKER = {
    "employed": True,
    "education": "bachelor",
    "housing": "rented",
    "income_per_capita_month": 5200.0,
    "criminal_record": False,
}
CHILD = {**WORKER, "employed": False, "education": "none"}
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
    """Census, four residents (a Guangzhou worker and child, one in Chengdu, one applying to move to Guangzhou),
    their insurance records, a voucher, medical policy and catalogue, and the accounts; returns person keys."""
    upgrade(engine)
    load_census(engine, census_2020())
    keys = {}
    for name, (id_number, hukou, residence, since, facts) in {
        "gz": (ID_GZ, "510100", "440100", date(2021, 3, 1), WORKER),
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


@pytest.fixture(scope="session")
def populated_sqlite(tmp_path_factory: pytest.TempPathFactory, identity_key_env: None) -> tuple[Path, dict[str, str]]:
    """A populated SQLite file, built once and copied for each test."""
    path = tmp_path_factory.mktemp("api_template") / "changzhu.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    people = populate(engine)
    engine.dispose()
    return path, people


def start_service(engine: Engine, people: dict[str, str], keys_dir: Path) -> Service:
    """An in-process app on `engine` with a token per account (issued directly: test_api_auth covers logging in,
    and argon2 verification costs about half a second per login on a busy machine)."""
    settings = ApiSettings(
        database_url=str(engine.url), jwt_secret=b"k" * 32, keys_dir=keys_dir, scenarios_dir=SCENARIOS
    )
    client = TestClient(create_app(settings, engine))
    with session_scope(engine) as session:
        ids = {name: int(uid) for name, uid in session.execute(select(UserRow.username, UserRow.id))}
    headers = {
        username: {"Authorization": f"Bearer {issue_token(ids[username], settings.jwt_secret, 900)}"}
        for username in ACCOUNTS
    }
    return Service(client, engine, people, headers)


@pytest.fixture
def service(populated_sqlite: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Service]:
    """A fresh copy of the populated database behind a new app."""
    template, people = populated_sqlite
    copy = tmp_path / "changzhu.sqlite3"
    shutil.copy(template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield start_service(engine, people, tmp_path / "keys")
    engine.dispose()


@pytest.fixture
def db_service(database_url: str, populated_sqlite: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Service]:
    """The populated service on SQLite (a copy of the template) and on a fresh PostgreSQL database."""
    if database_url.startswith("sqlite"):
        template, people = populated_sqlite
        shutil.copy(template, tmp_path / "changzhu.sqlite3")
        engine = make_engine(f"sqlite:///{tmp_path / 'changzhu.sqlite3'}")
    else:
        engine = make_engine(database_url)
        people = populate(engine)
    yield start_service(engine, people, tmp_path / "keys")
    engine.dispose()
