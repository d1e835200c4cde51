"""跨省通办 between two real servers on loopback: signed requests, retries, a server killed mid-way, exactly once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from api_support import PASSWORD
from sqlalchemy import Engine, func, select, update

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.protocol import MESSAGES_PATH, Message
from changzhu.api.interregion.signing import sign_request
from changzhu.api.keys import load_or_create_signing_key, public_key_text
from changzhu.api.routes.interregion import SIGNING_KEY_FILE
from changzhu.data.census import census_2020
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions, record_school_year
from changzhu.registry.census_import import load_census
from changzhu.registry.identity import check_char
from changzhu.registry.migrate import upgrade
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import InboxRow, OutboxRow
from changzhu.store.resident_models import (
    ContributionMonthRow,
    PersonRow,
    ResidenceEventRow,
    SchoolRecordRow,
)

PEOPLE = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Instance:
    """One region's server: its database, keys, port and process."""

    region: str
    engine: Engine
    env: dict[str, str]
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "changzhu.api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, env=self.env)
        deadline = time.monotonic() + 90  # a loaded machine can take half a minute to import the app
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/v1/docs", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"server for {self.region} did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def token(self, username: str) -> dict[str, str]:
        response = httpx.post(self.url + "/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _instance(tmp: Path, region: str) -> Instance:
    folder = tmp / region
    folder.mkdir()
    url = f"sqlite:///{folder / 'changzhu.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_census(engine, census_2020())
    env = {
        **os.environ,
        "CHANGZHU_DATABASE_URL": url,
        "CHANGZHU_KEYS_DIR": str(folder / "keys"),
        "CHANGZHU_INSTANCE_REGION": region,
        "CHANGZHU_JWT_SECRET": "s" * 40,
        "CHANGZHU_HOME": str(folder),
    }
    return Instance(region, engine, env, _free_port())


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    """Sichuan (510000) and Guangdong (440000), each with its own database, trusting each other."""
    sichuan, guangdong = _instance(tmp_path, "510000"), _instance(tmp_path, "440000")
    keys = {
        i.region: load_or_create_signing_key(Path(i.env["CHANGZHU_KEYS_DIR"]) / SIGNING_KEY_FILE)
        for i in (sichuan, guangdong)
    }
    add_peer(sichuan.engine, "440000", guangdong.url, public_key_text(keys["440000"]))
    add_peer(guangdong.engine, "510000", sichuan.url, public_key_text(keys["510000"]))
    create_user(sichuan.engine, "cw_chengdu", PASSWORD, Role.CASEWORKER, ["510100"])
    try:
        yield sichuan, guangdong
    finally:
        for instance in (sichuan, guangdong):
            if instance.process is not None:
                instance.kill()
            instance.engine.dispose()


def _family(engine: Engine, n: int) -> list[str]:
    """n pupils living in Chengdu, each with two school years and twelve pension months held there."""
    keys = []
    for i in range(n):
        first17 = f"51010420100{(i % 9) + 1:01d}0{(i % 9) + 1}{100 + i:03d}"
        reg = Registration(
            first17 + check_char(first17), "510100", "510100", date(2016, 9, 1), ProofKind.STUDY, f"school-{i}", {}
        )
        keys.append(str(register_resident(reg=reg, engine=engine, actor="test")["person_key"]))
    for key in keys:  # through the ledger's service functions, so the sender's ledger is sound from the start
        for year, grade in ((2023, 1), (2024, 2)):
            record_school_year(engine, key, year, grade, "成都七中", "510100", actor="test")
        record_contributions(
            engine, key, Scheme.PENSION, "510100", [MonthPaid(202500 + m, 500000) for m in range(1, 13)], actor="test"
        )
    return keys


def _count(engine: Engine, model: type, **where: object) -> int:
    with session_scope(engine) as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalar(query) or 0)


def test_transfer_survives_a_killed_peer_exactly_once(pair: tuple[Instance, Instance]) -> None:
    sichuan, guangdong = pair
    people = _family(sichuan.engine, PEOPLE)
    sichuan.start()
    auth = sichuan.token("cw_chengdu")

    def transfer(person_key: str) -> dict[str, object]:
        body = {"person_key": person_key, "to_region": "440000", "to_city": "440100", "moved_on": "2026-03-01"}
        response = httpx.post(sichuan.url + "/api/v1/interregion/transfers", json=body, headers=auth, timeout=30)
        assert response.status_code == 202, response.text
        return dict(response.json())

    half = PEOPLE // 2
    assert transfer(people[0])["deliveries"][0]["status"] == "pending"  # type: ignore[index]  # Guangdong not up yet
    with session_scope(sichuan.engine) as session:  # the queued payload is sealed: no identity number in clear
        sealed = session.scalar(select(OutboxRow.payload).where(OutboxRow.id == 1))
        assert sealed is not None and "sealed" in sealed and "id_number" not in str(sealed)
    guangdong.start()
    first = httpx.post(sichuan.url + "/api/v1/interregion/outbox/deliver", headers=auth, timeout=30).json()
    assert [d["status"] for d in first["deliveries"]] == ["delivered"]
    with session_scope(sichuan.engine) as session:  # purged once delivered
        assert session.scalar(select(OutboxRow.payload).where(OutboxRow.id == 1)) == {}
    for key in people[1:half]:
        assert transfer(key)["deliveries"][0]["status"] == "delivered"  # type: ignore[index]
    guangdong.kill()  # the receiving region goes down mid-way through the batch
    for key in people[half:]:
        delivery = transfer(key)["deliveries"][0]  # type: ignore[index]
        assert delivery["status"] == "pending" and "Connect" in delivery["error"]
    assert _count(sichuan.engine, OutboxRow, status="pending") == PEOPLE - half
    # Sichuan also loses the acknowledgement of one delivered message: as if it died before recording it, the
    # row is as it was before that attempt (pending, its sealed payload kept)
    with session_scope(sichuan.engine) as session:
        session.execute(
            update(OutboxRow).where(OutboxRow.id == 1).values(status="pending", receipt=None, payload=sealed)
        )
    guangdong.start()
    retried = httpx.post(sichuan.url + "/api/v1/interregion/outbox/deliver", headers=auth, timeout=30).json()
    statuses = sorted((d["status"], d["receipt"]["replayed"]) for d in retried["deliveries"])
    assert statuses == [("delivered", False)] * (PEOPLE - half) + [("delivered", True)]
    # a retry after everything is acknowledged sends nothing
    assert httpx.post(sichuan.url + "/api/v1/interregion/outbox/deliver", headers=auth).json()["deliveries"] == []

    assert _count(sichuan.engine, OutboxRow, status="delivered") == PEOPLE
    assert _count(guangdong.engine, InboxRow) == PEOPLE
    assert _count(guangdong.engine, PersonRow, residence_region="440100") == PEOPLE
    assert _count(guangdong.engine, SchoolRecordRow, held_region="440100") == 2 * PEOPLE
    assert _count(guangdong.engine, ContributionMonthRow, held_region="440100") == 12 * PEOPLE
    assert _count(sichuan.engine, SchoolRecordRow, held_region="510100") == 0  # handed over, not copied
    # the sender's residence follows the accepted hand-over: they live in Guangzhou from the move date on, Chengdu's
    # registration kept as history (before, Sichuan still held them as Chengdu residents)
    assert _count(sichuan.engine, PersonRow, residence_region="440100", residence_since=date(2026, 3, 1)) == PEOPLE
    assert _count(sichuan.engine, ResidenceEventRow, kind="move_out", to_region="440100") == PEOPLE
    assert _count(sichuan.engine, ResidenceEventRow, kind="registration", to_region="510100") == PEOPLE
    # both ledgers balance and agree with the records: months, school years and pension money moved once
    assert ledger_problems(sichuan.engine) == [] and ledger_problems(guangdong.engine) == []
    sent = balances_frame(sichuan.engine, prefix="X:interregion_fen:440000")["balance"].sum()
    received = balances_frame(guangdong.engine, prefix="X:interregion_fen:510000")["balance"].sum()
    assert sent > 0 and sent == -received


def test_unsigned_forged_or_replayed_with_other_content_is_refused(pair: tuple[Instance, Instance]) -> None:
    sichuan, guangdong = pair
    guangdong.start()
    key = load_or_create_signing_key(Path(sichuan.env["CHANGZHU_KEYS_DIR"]) / SIGNING_KEY_FILE)
    stranger = load_or_create_signing_key(Path(sichuan.env["CHANGZHU_KEYS_DIR"]) / "other.pem")
    message = Message("m" * 16, "510000", "440000", "account_transfer", {"to_city": "440100"})
    url = guangdong.url + MESSAGES_PATH

    def post(signer: object, msg: Message) -> httpx.Response:
        body = msg.body()
        headers = {"Content-Type": "application/json", **sign_request(signer, "510000", "POST", MESSAGES_PATH, body)}  # type: ignore[arg-type]
        return httpx.post(url, content=body, headers=headers)

    assert httpx.post(url, content=message.body()).status_code == 401
    forged = post(stranger, message)
    assert forged.status_code == 401 and "signature" in forged.json()["message"]
    incomplete = post(key, message)  # refused by the handler: nothing applied, so the sender may reverse
    assert incomplete.status_code == 422 and incomplete.json()["error"] == "message_refused"
    assert "malformed" in incomplete.json()["message"]
    wrong_place = post(key, Message("n" * 16, "510000", "310000", "account_transfer", {}))
    assert wrong_place.status_code == 403
    # only the refusal is remembered (person_id None: nothing applied), so the same message is refused again
    assert _count(guangdong.engine, InboxRow) == _count(guangdong.engine, InboxRow, person_id=None) == 1
    assert post(key, message).json()["error"] == "message_refused"
