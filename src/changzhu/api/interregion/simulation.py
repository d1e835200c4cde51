"""A seeded simulation of two instances under faults, checked against an executable model of the ledger rules.

In the spirit of TigerBeetle's simulator and Jepsen's model replay. Two regions (Sichuan 510000 and Guangdong
440000), each its own database and instance in process, joined by an in-process network (`LocalNetwork`).
Workers run concurrently, each owning a set of people (identity numbers) in both regions, so the operations on
one person are ordered while the shared funds see concurrent postings. From the seed alone come the people,
the operations (contributions, school years, transfers between cities, vouchers issued and redeemed, 跨省通办
transfers and their deliveries) and the faults:
- crash: the process dies before commit (the transaction rolls back); the client retries with the same key;
- timeout: the commit happens but the answer is lost; the retry with the same key must replay the same result;
- drop / lost acknowledgement on the network; a message to an unknown city, which the peer refuses.

Every acknowledged outcome goes into a history; at the end the history is replayed into the model, which
computes every account's balance from the rules; any balance that differs, any inconsistency `ledger check`
finds on either side (including the audit digests), an audit chain that does not verify, or a broken
cross-instance equation (`sent = received + in flight + reversed`) is a divergence, reported with the seed
that reproduces it.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, create_engine, event, insert
from sqlalchemy.orm import Session

from changzhu.api.interregion import outbox
from changzhu.api.interregion.local import DROP, LOSE_ACK, LocalNetwork
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.reconcile import peer_problems, received_summary
from changzhu.api.keys import public_key_text
from changzhu.errors import ChangzhuError
from changzhu.ledger import pension_rules as rules
from changzhu.ledger import rates
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.medical import clear_medical, set_catalogue, set_policy, settle_bill
from changzhu.ledger.medical_rules import Policy
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.ledger.vouchers import clear_vouchers, issue_voucher, redeem_voucher
from changzhu.registry.identity import check_char
from changzhu.registry.migrate import upgrade
from changzhu.registry.residents import ProofKind, Registration, find_person, register_resident
from changzhu.store import audit
from changzhu.store.db import make_engine
from changzhu.store.models import RegionRow
from changzhu.store.txn import new_key

# region → (province code, home city, second city, a city the peer does not know)
REGIONS = {"510000": ("510100", "510300", "519900"), "440000": ("440100", "440300", "449900")}
FAULT_RATE = 0.15
POLICY = Policy(
    deductible_fen=100_000, rate_permille=700, cap_fen=2_000_000, temporary_cut_permille=100, unfiled_cut_permille=200
)
CATALOGUE = [("A01", "甲类药品", "A", 0), ("B01", "乙类药品", "B", 200), ("C01", "丙类项目", "C", 0)]


class SimulatedCrash(ChangzhuError):
    """The simulated process died before its transaction committed."""


_CRASH = threading.local()


def _crash_before_commit(_session: Session) -> None:
    if getattr(_CRASH, "armed", False):
        _CRASH.armed = False
        raise SimulatedCrash("simulated crash before commit")


event.listen(Session, "before_commit", _crash_before_commit)


@dataclass
class Person:
    """What a client knows about one person: identity, keys per region, next month to pay per scheme."""

    id_number: str
    home: str
    keys: dict[str, str] = field(default_factory=dict)
    next_period: dict[str, int] = field(default_factory=lambda: {"pension": 200801, "medical": 200801})
    vouchers: list[tuple[str, str]] = field(default_factory=list)  # (region, voucher_no) not yet redeemed
    pending: list[tuple[str, str]] = field(default_factory=list)  # (region, message_id) not yet delivered


@dataclass
class Report:
    """What a run did and every divergence found (empty when the implementation agrees with the model)."""

    seed: int
    operations: int
    workers: int
    people_per_worker: int
    seconds: float
    counts: dict[str, int]
    faults: dict[str, int]
    divergences: list[str]

    def replay_hint(self) -> str:
        """How to reproduce this run."""
        return (
            f"replay with: python benchmarks/bench_ledger_sim.py --seed {self.seed} --ops {self.operations} "
            f"--workers {self.workers} --people {self.people_per_worker}"
        )


MOVE_PERIOD = 202601  # the month every simulated transfer between two cities of one region is applied for


@dataclass
class Month:
    """One recorded month in the model: base, where it was paid, where it is held, and whether another instance
    fixed its holding (handed to the peer, or received from it)."""

    base: int
    paid: str
    held: str
    fixed: bool = False


class Model:
    """The rules as a small executable model: expected balance of every account, per region.

    Pension holdings follow 国办发〔2009〕66号 as the project implements it (docs/ledger.md): a month is held
    where it was paid, and a transfer applied in month P moves every month before P held at its source (months
    paid later stay there), whatever the order of recording; the individual-account share of each moved month
    moves in full and 12% of its base (from 1998-01) leaves the old place's pooled fund for the new one. Months
    handed to or received from the other instance keep the holding the message gave them.
    """

    def __init__(self) -> None:
        self.balances: dict[str, Counter[str]] = {r: Counter() for r in REGIONS}
        self.months: dict[tuple[str, str, str], dict[int, Month]] = defaultdict(dict)
        self.transfers: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
        self.paid: Counter[tuple[str, str, int]] = Counter()

    def legs(self, region: str, legs: list[tuple[str, int]]) -> None:
        """Apply signed amounts to accounts of `region`'s ledger."""
        for account, amount in legs:
            self.balances[region][account] += amount

    def contribute(self, region: str, key: str, scheme: str, city: str, months: list[tuple[int, int]]) -> None:
        """Months paid at `city` (never a temporary account: every simulated person is young)."""
        n = len(months)
        for p, b in months:
            self.months[(region, key, scheme)][p] = Month(b, city, city)
        legs = [(f"X:months:{scheme}:{city}", -n), (f"P:{key}:{scheme}_months:{city}", n)]
        if scheme == "pension":
            ind = sum(rules.share(b, rates.individual_rate_permille(p)) for p, b in months)
            pooled = sum(rules.share(b, rates.employer_pooled_rate_permille(p)) for p, b in months)
            legs += [(f"X:contributions:{city}", -(ind + pooled)), (f"P:{key}:pension_individual:{city}", ind)]
            legs += [(f"F:pension_pooled:{city}", pooled)]
        else:
            paid = sum(rules.share(b, rates.medical_fund_rate_permille(p)) for p, b in months)
            legs += [(f"X:contributions:{city}", -paid), (f"F:medical:{city}", paid)]
        self.legs(region, legs)
        if scheme == "pension":
            self.follow_transfers(region, key)

    def settle(self, region: str, key: str, insured: str, treated: str, hospital: str, year: int, bill: list) -> None:
        """A bill settled directly: the insured place's policy on the treatment place's catalogue (unfiled)."""
        categories = {code: (category, share) for code, _name, category, share in CATALOGUE}
        eligible = 0
        for code, amount in bill:
            category, share = categories[code]
            if category != "C":
                eligible += amount - (amount * (share if category == "B" else 0) + 500) // 1000
        rate = max(POLICY.rate_permille - POLICY.unfiled_cut_permille, 0)
        payable = (max(eligible - POLICY.deductible_fen, 0) * rate + 500) // 1000
        fund = max(min(payable, POLICY.cap_fen - self.paid[(region, key, year)]), 0)
        self.paid[(region, key, year)] += fund
        total = sum(amount for _code, amount in bill)
        self.legs(
            region,
            [
                (f"F:medical:{treated}", -fund),
                ("X:self_pay", -(total - fund)),
                (f"H:{hospital}", total),
                (f"F:medical:{insured}", -fund),
                (f"C:medical:{insured}>{treated}", fund),
            ],
        )

    def move_pension(self, region: str, key: str, src: str, dst: str, period: int) -> None:
        """A completed transfer between two cities of one region, applied for in month `period`."""
        self.transfers[(region, key)].append((period, src, dst))
        self.follow_transfers(region, key)

    def _place(self, region: str, key: str, period: int, month: Month) -> str:
        """Where the recorded facts hold a month: where it was paid, then moved by each later-dated transfer."""
        if month.fixed:
            return month.held
        place = month.paid
        for applied, src, dst in sorted(self.transfers[(region, key)]):
            if applied > period and place == src:
                place = dst
        return place

    def follow_transfers(self, region: str, key: str) -> None:
        """Move each pension month the facts hold elsewhere, with its individual share and 12% pooled share."""
        legs: list[tuple[str, int]] = []
        for period, month in self.months[(region, key, "pension")].items():
            place = self._place(region, key, period, month)
            if place == month.held:
                continue
            individual = rules.share(month.base, rates.individual_rate_permille(period))
            pooled = rules.pooled_share(period, month.base)
            legs += [
                (f"P:{key}:pension_months:{month.held}", -1),
                (f"P:{key}:pension_months:{place}", 1),
                (f"P:{key}:pension_individual:{month.held}", -individual),
                (f"P:{key}:pension_individual:{place}", individual),
                (f"F:pension_pooled:{month.held}", -pooled),
                (f"F:pension_pooled:{place}", pooled),
            ]
            month.held = place
        self.legs(region, legs)

    def hand_over(self, region: str, key: str, here: str, to_city: str) -> dict[str, Any]:
        """The sender's side of a 跨省通办 transfer: what is held `here` goes to `to_city`; returns what moved."""
        moved: dict[str, Any] = {"months": {}, "fen": (0, 0)}
        for scheme in ("pension", "medical"):
            held = sorted((p, m.base) for p, m in self.months[(region, key, scheme)].items() if m.held == here)
            if held:
                moved["months"][scheme] = held
                self._rehome(region, key, scheme, {p for p, _ in held}, here, to_city, fixed=True)
        if "pension" in moved["months"]:
            ind = self.balances[region][f"P:{key}:pension_individual:{here}"]
            moved["fen"] = (ind, rules.pooled_transfer(moved["months"]["pension"]))
        return moved

    def hand_back(self, region: str, key: str, here: str, to_city: str, moved: dict[str, Any]) -> None:
        """A reversal: exactly the months of the message come back (the money: `money_out` with sign -1)."""
        for scheme, months in moved["months"].items():
            self._rehome(region, key, scheme, {p for p, _ in months}, to_city, here, fixed=False)

    def _rehome(self, region: str, key: str, scheme: str, periods: set[int], src: str, dst: str, fixed: bool) -> None:
        for p in periods:
            month = self.months[(region, key, scheme)][p]
            month.held, month.fixed = dst, fixed
        n = len(periods)
        self.legs(region, [(f"P:{key}:{scheme}_months:{src}", -n), (f"P:{key}:{scheme}_months:{dst}", n)])

    def money_out(self, region: str, key: str, here: str, peer: str, fen: tuple[int, int], sign: int) -> None:
        """The pension money of a hand-over leaving (sign 1) or coming back (sign -1)."""
        ind, pooled = fen
        self.legs(
            region,
            [
                (f"P:{key}:pension_individual:{here}", -sign * ind),
                (f"F:pension_pooled:{here}", -sign * pooled),
                (f"X:interregion_fen:{peer}", sign * (ind + pooled)),
            ],
        )

    def take_in(self, region: str, key: str, sender: str, city: str, moved: dict[str, Any]) -> None:
        """The receiver's side: months per scheme (held where the message put them) and the pension money."""
        ind, pooled = moved["fen"]
        for scheme, months in moved["months"].items():
            for p, b in months:
                self.months[(region, key, scheme)][p] = Month(b, city, city, fixed=True)
            self.legs(
                region,
                [(f"X:interregion_periods:{sender}", -len(months)), (f"P:{key}:{scheme}_months:{city}", len(months))],
            )
        self.legs(
            region,
            [
                (f"X:interregion_fen:{sender}", -(ind + pooled)),
                (f"P:{key}:pension_individual:{city}", ind),
                (f"F:pension_pooled:{city}", pooled),
            ],
        )


@dataclass
class Node:
    """One region's instance: engine, signing key, its cities."""

    region: str
    engine: Engine
    key: Ed25519PrivateKey

    @property
    def city(self) -> str:
        return REGIONS[self.region][0]

    @property
    def second_city(self) -> str:
        return REGIONS[self.region][1]


def _voucher_back(issuer: str, value: int, sign: int) -> list[tuple[str, int]]:
    """Legs of a voucher cancelled at a hand-over (sign 1) or issued again by its reversal (-1)."""
    return [(f"V:outstanding:{issuer}", -sign * value), (f"B:vouchers:{issuer}", sign * value)]


def connect_instances(
    urls: dict[str, str], network: LocalNetwork, make_engine: Callable[[str], Engine]
) -> dict[str, Node]:
    """Migrated databases with the simulated cities, one node per region, each trusting the other."""
    nodes = {}
    for region, url in urls.items():
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as conn:
            for r in REGIONS:
                for code in REGIONS[r][:2]:
                    conn.execute(
                        insert(RegionRow).values(level="prefecture", code=code, name_zh=code, division_type="地级市")
                    )
        nodes[region] = Node(region, engine, Ed25519PrivateKey.generate())
        network.engines[region] = engine
        peer_city = next(REGIONS[r][0] for r in REGIONS if r != region)
        set_policy(engine, REGIONS[region][0], POLICY, "simulated policy", actor="sim")
        set_catalogue(engine, peer_city, CATALOGUE, actor="sim")
    for region, node in nodes.items():
        for other, peer in nodes.items():
            if other != region:
                add_peer(
                    node.engine,
                    other,
                    network.url(other),
                    public_key_text(peer.key),
                    own_key=public_key_text(node.key),
                    own_region=region,
                )
    return nodes


def _throwaway_commits(dbapi_connection: Any, _record: object) -> None:
    """Commits that do not wait for the disk: SQLite synchronous=NORMAL in WAL mode, PostgreSQL
    synchronous_commit=off. Atomicity and isolation are unchanged; only a power cut could lose the last commits,
    which a throwaway simulation database does not need to survive (its crashes are simulated in process)."""
    cursor = dbapi_connection.cursor()
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor.execute("PRAGMA synchronous=NORMAL")
    else:
        cursor.execute("SET synchronous_commit = off")
        dbapi_connection.commit()
    cursor.close()


def simulation_engine(url: str) -> Engine:
    """An engine on a throwaway simulation database (see `_throwaway_commits`); on PostgreSQL without a ping
    before each checkout (no server restarts under the simulation: one round trip less per operation)."""
    engine = create_engine(url) if url.startswith("postgresql") else make_engine(url, check=False)
    event.listen(engine, "connect", _throwaway_commits)
    return engine


def _id_number(rng: random.Random, region: str, serial: int) -> str:
    first17 = f"{REGIONS[region][0]}1990{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{serial % 1000:03d}"
    return first17 + check_char(first17)


class Simulation:
    """One seeded run: `run(ops)` executes the operations, replays the history and returns a Report."""

    def __init__(self, seed: int, urls: dict[str, str], make_engine: Callable[[str], Engine], workers: int = 4):
        self.seed, self.workers = seed, workers
        self.network = LocalNetwork({})
        self.nodes = connect_instances(urls, self.network, make_engine)
        self.history: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.divergences: list[str] = []

    # --- client side -----------------------------------------------------------------------------
    def _record(self, kind: str, data: Any) -> None:
        with self.lock:
            self.history.append((kind, data))
            self.counts[kind] += 1

    def _fault(self, kind: str) -> None:
        with self.lock:
            self.faults[kind] += 1

    def _call(self, rng: random.Random, call: Callable[[str], dict[str, object]]) -> dict[str, object] | None:
        """Run an operation under an injected crash or lost answer; the client always retries with its key."""
        key = new_key("sim")
        roll = rng.random()
        if roll < FAULT_RATE / 2:
            self._fault("crash_before_commit")
            _CRASH.armed = True
            try:
                call(key)
                self.divergences.append(f"seed {self.seed}: an operation committed through a crash before commit")
            except ChangzhuError:  # the crash, or a refusal the retry below meets again
                pass
            finally:
                _CRASH.armed = False
        try:
            first = call(key)
        except ChangzhuError:
            return None
        if roll > 1 - FAULT_RATE / 2:
            self._fault("answer_lost")
            again = call(key)
            if again.get("replayed") is not True or {**again, "replayed": False} != first:
                self.divergences.append(f"seed {self.seed}: retry with key {key} did not replay {first} (got {again})")
        return first

    def _register(self, person: Person) -> None:
        node = self.nodes[person.home]
        reg = Registration(person.id_number, node.city, node.city, date(2010, 1, 1), ProofKind.HOUSING, "sim", {})
        result = register_resident(node.engine, reg, actor="sim")
        person.keys[person.home] = str(result["person_key"])
        self._record("register", (person.home, person.keys[person.home]))

    def _contribute(self, rng: random.Random, person: Person, region: str) -> None:
        node, key = self.nodes[region], person.keys[region]
        scheme = rng.choice(["pension", "medical"])
        start, n = person.next_period[scheme], rng.randint(1, 4)
        periods = []
        p = start
        for _ in range(n):
            periods.append(p)
            p = p + 89 if p % 100 == 12 else p + 1
        months = [(period, rng.randrange(300_000, 2_000_000, 100)) for period in periods]
        city = node.city
        paid = [MonthPaid(period, base) for period, base in months]
        result = self._call(
            rng, lambda k: record_contributions(node.engine, key, Scheme(scheme), city, paid, actor="sim", key=k)
        )
        person.next_period[scheme] = p
        if result is not None:
            self._record("contribute", (region, key, scheme, city, months))

    def _move(self, rng: random.Random, person: Person, region: str) -> None:
        node, key = self.nodes[region], person.keys[region]
        src, dst = node.city, node.second_city
        number = new_key("move")
        applied = date(*divmod(MOVE_PERIOD, 100), 1)

        def call(k: str) -> dict[str, object]:
            return transfer(
                node.engine, key, TransferScheme.PENSION, src, dst, applied, transfer_no=number, actor="sim"
            )

        if self._call(rng, call) is not None:
            self._record("move", (region, key, src, dst, MOVE_PERIOD))

    def _voucher(self, rng: random.Random, person: Person, region: str) -> None:
        node, key = self.nodes[region], person.keys[region]
        if person.vouchers and rng.random() < 0.6:
            where, voucher_no = person.vouchers.pop(rng.randrange(len(person.vouchers)))
            at = self.nodes[where]
            provider = f"医院{rng.randint(1, 3)}"
            result = self._call(
                rng,
                lambda k: redeem_voucher(
                    at.engine, voucher_no, provider, at.city, date(2026, 6, 1), actor="sim", key=k
                ),
            )
            if result is not None:
                self._record("redeem", (where, voucher_no, provider))
            return
        value = rng.randrange(1_000, 500_000, 100)
        result = self._call(
            rng,
            lambda k: issue_voucher(
                node.engine, key, node.city, "托育", value, date(2026, 1, 1), date(2027, 1, 1), actor="sim", key=k
            ),
        )
        if result is not None:
            person.vouchers.append((region, str(result["voucher_no"])))
            self._record("issue", (region, str(result["voucher_no"]), value, key))

    def _settle(self, rng: random.Random, person: Person, region: str) -> None:
        node, key = self.nodes[region], person.keys[region]
        treated = next(REGIONS[r][0] for r in REGIONS if r != region)
        hospital = f"医院{rng.randint(1, 3)}"
        bill = [(code, rng.randrange(1_000, 3_000_000, 100)) for code, *_ in CATALOGUE if rng.random() < 0.7]
        if not bill:
            bill = [("A01", 50_000)]
        on = date(2026, rng.randint(1, 10), rng.randint(1, 28))
        result = self._call(
            rng,
            lambda k: settle_bill(node.engine, key, node.city, treated, hospital, on, bill, actor="sim", key=k),
        )
        if result is not None:
            self._record("settle", (region, key, node.city, treated, hospital, on.year, bill))

    def _interregion(self, rng: random.Random, person: Person, region: str) -> None:
        if region != person.home:  # a return to the first region is not simulated (see docs/ledger.md)
            return self._contribute(rng, person, region)
        node, key = self.nodes[region], person.keys[region]
        peer = next(r for r in REGIONS if r != region)
        unknown = rng.random() < FAULT_RATE / 2
        to_city = REGIONS[peer][2] if unknown else REGIONS[peer][0]
        try:
            message_id = outbox.start_transfer(
                node.engine, key, region, peer, to_city, date(2026, 3, 1), actor="sim", authorize=lambda _r: None
            )
        except ChangzhuError:
            return  # nothing held here: refused, nothing changed
        self._record("hand_over", (region, key, peer, to_city, message_id, person.id_number))
        if unknown:
            self._fault("refused_message")
        person.pending.append((region, message_id))
        self._deliver(rng, person)

    def _deliver(self, rng: random.Random, person: Person) -> None:
        still = []
        for region, message_id in person.pending:
            roll = rng.random()
            fault = DROP if roll < FAULT_RATE else LOSE_ACK if roll < 2 * FAULT_RATE else None
            if fault:
                self._fault(fault)
            self.network.next_fault(fault)
            node = self.nodes[region]
            with self.network.client() as client:
                (delivery,) = outbox.deliver(node.engine, region, node.key, client, message_id)
            self.network.next_fault(None)
            if delivery.status == outbox.PENDING:
                still.append((region, message_id))
            elif delivery.status == outbox.DELIVERED:
                peer = next(r for r in REGIONS if r != region)
                person.keys[peer] = find_person(self.nodes[peer].engine, person.id_number)
                self._record("delivered", (region, message_id, person.keys[peer]))
            elif delivery.status == outbox.REVERSED:
                self._record("reversed", (region, message_id))
            else:
                self.divergences.append(f"seed {self.seed}: message {message_id} ended {delivery.status}")
        person.pending = still

    def _step(self, rng: random.Random, person: Person) -> None:
        if person.pending and rng.random() < 0.5:
            self._deliver(rng, person)
            return
        # a client does not act on a person in a region a transfer to which is still unacknowledged: the peer may
        # have applied it already, and the history learns that only with the acknowledgement
        waiting = {next(r for r in REGIONS if r != sender) for sender, _message in person.pending}
        regions = sorted(set(person.keys) - waiting)
        if not regions:
            self._deliver(rng, person)
            return
        region = rng.choice(regions)
        choice = rng.random()
        if choice < 0.35:
            self._contribute(rng, person, region)
        elif choice < 0.45:
            self._move(rng, person, region)
        elif choice < 0.65:
            self._voucher(rng, person, region)
        elif choice < 0.75:
            self._settle(rng, person, region)
        else:
            self._interregion(rng, person, region)

    def _worker(self, index: int, people: list[Person], steps: int) -> None:
        rng = random.Random(f"{self.seed}:{index}")
        for person in people:
            self._register(person)
        for _ in range(steps):
            self._step(rng, rng.choice(people))
        for person in people:  # the network heals: everything in flight arrives
            while person.pending:
                self._deliver(random.Random(0), person)

    def _clear(self) -> None:
        for region, node in self.nodes.items():
            treated = next(REGIONS[r][0] for r in REGIONS if r != region)
            result = clear_medical(node.engine, node.city, treated, actor="sim", key=new_key("clear-medical"))
            self._record("clear_medical", (region, node.city, treated, result["total_fen"]))
        for issuer in REGIONS:
            for provider in REGIONS:
                node = self.nodes[provider]
                result = clear_vouchers(
                    node.engine, REGIONS[issuer][0], REGIONS[provider][0], actor="sim", key=new_key("clear")
                )
                self._record("clear", (provider, REGIONS[issuer][0], REGIONS[provider][0], result["total_fen"]))

    def run(self, operations: int, people_per_worker: int = 6) -> Report:
        """Run about `operations` operations (plus registrations and final deliveries), then check."""
        started = time.monotonic()
        rng = random.Random(self.seed)
        people = [
            Person(_id_number(rng, region, i), region)
            for i, region in enumerate(rng.choice(sorted(REGIONS)) for _ in range(self.workers * people_per_worker))
        ]
        steps = max(1, operations // self.workers)
        with ThreadPoolExecutor(self.workers) as pool:
            futures = [pool.submit(self._worker, w, people[w :: self.workers], steps) for w in range(self.workers)]
            for future in futures:
                future.result()
        self._clear()
        self._check()
        return Report(
            self.seed,
            operations,
            self.workers,
            people_per_worker,
            time.monotonic() - started,
            dict(self.counts),
            dict(self.faults),
            self.divergences,
        )

    # --- replay and check -----------------------------------------------------------------------
    def _replay(self) -> Model:
        model = Model()
        handed: dict[str, tuple[str, str, str, str, dict[str, Any]]] = {}
        outstanding: dict[str, tuple[str, int]] = {}
        holders: dict[str, tuple[str, str]] = {}  # voucher number -> (region, holder's key there)
        cancelled: dict[str, dict[str, tuple[str, int]]] = {}  # message id -> the vouchers its hand-over cancelled
        for kind, data in self.history:
            if kind == "contribute":
                model.contribute(*data)
            elif kind == "settle":
                model.settle(*data)
            elif kind == "clear_medical":
                region, insured, treated, total = data
                model.legs(region, [(f"C:medical:{insured}>{treated}", -total), (f"F:medical:{treated}", total)])
            elif kind == "move":
                model.move_pension(*data)
            elif kind == "issue":
                region, voucher_no, value, holder = data
                outstanding[voucher_no], holders[voucher_no] = (REGIONS[region][0], value), (region, holder)
                model.legs(
                    region,
                    [(f"B:vouchers:{REGIONS[region][0]}", -value), (f"V:outstanding:{REGIONS[region][0]}", value)],
                )
            elif kind == "redeem":
                region, voucher_no, provider = data
                issuer, value = outstanding.pop(voucher_no)
                city = REGIONS[region][0]
                model.legs(
                    region,
                    [
                        (f"V:outstanding:{issuer}", -value),
                        (f"C:voucher:{issuer}>{city}", value),
                        (f"F:services:{city}", -value),
                        (f"H:{provider}", value),
                    ],
                )
            elif kind == "clear":
                region, issuer, city, total = data
                model.legs(region, [(f"C:voucher:{issuer}>{city}", -total), (f"F:services:{city}", total)])
            elif kind == "hand_over":
                region, key, peer, to_city, message_id, _number = data
                here = REGIONS[region][0]
                moved = model.hand_over(region, key, here, to_city)
                model.money_out(region, key, here, peer, moved["fen"], 1)
                handed[message_id] = (region, key, peer, to_city, moved)
                held = {no: outstanding.pop(no) for no in sorted(outstanding) if holders[no] == (region, key)}
                cancelled[message_id] = held  # a voucher does not cross provinces: back to its issuer's budget
                model.legs(region, [leg for issuer, v in held.values() for leg in _voucher_back(issuer, v, 1)])
            elif kind == "delivered":
                region, message_id, peer_key = data
                _r, _k, peer, to_city, moved = handed[message_id]
                model.take_in(peer, peer_key, region, to_city, moved)
            elif kind == "reversed":
                region, message_id = data
                _r, key, peer, to_city, moved = handed[message_id]
                here = REGIONS[region][0]
                model.hand_back(region, key, here, to_city, moved)
                model.money_out(region, key, here, peer, moved["fen"], -1)
                outstanding.update(cancelled[message_id])
                model.legs(
                    region,
                    [leg for issuer, v in cancelled[message_id].values() for leg in _voucher_back(issuer, v, -1)],
                )
                model.follow_transfers(region, key)
        return model

    def _check(self) -> None:
        model = self._replay()
        for region, node in self.nodes.items():
            actual = {
                row["account"]: row["balance"]
                for row in balances_frame(node.engine).iter_rows(named=True)
                if row["balance"]
            }
            expected = {a: v for a, v in model.balances[region].items() if v}
            for account in sorted(set(actual) | set(expected)):
                if actual.get(account, 0) != expected.get(account, 0):
                    self.divergences.append(
                        f"seed {self.seed}: {region} {account}: ledger {actual.get(account, 0)}, "
                        f"model {expected.get(account, 0)}"
                    )
            self.divergences += [f"seed {self.seed}: {region} ledger check: {p}" for p in ledger_problems(node.engine)]
            report = audit.verify(node.engine)
            if not report.ok:
                self.divergences.append(f"seed {self.seed}: {region} audit: {report.problem}")
            peer = next(r for r in REGIONS if r != region)
            problems, _totals = peer_problems(node.engine, peer, received_summary(self.nodes[peer].engine, region))
            self.divergences += [f"seed {self.seed}: {region}→{peer}: {p}" for p in problems]
