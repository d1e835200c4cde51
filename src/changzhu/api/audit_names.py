"""Who and what an audit record is about, as a reader of the log sees it: accounts by user name, regions by name,
quota runs by their city, kind and year, vouchers by their service, issuer and grouped number, and the subjects the
system writes in words (a posted table, a planning dataset, the ledger) in both languages; a person by no name
(docs/api-office.md, "The audit log"). The record itself is never changed: only how it is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.api.resident_search import region_names
from changzhu.casework.applications import KIND_LABELS, ApplicationKind
from changzhu.ledger.vouchers import VOUCHER_NUMBER
from changzhu.store.resident_models import PersonRow, VoucherRow
from changzhu.tables.kinds import schema_of

USER, PEER, REGION, PERSON, QUOTA = "user:", "peer:", "region:", "person:", "quota:"
NATIONWIDE = ("全国", "nationwide")
_KEY = re.compile(r"^[0-9a-f]{32}$")
_CODE = re.compile(r"^\d{6}$")
_BETWEEN = re.compile(r"^(\d{6})>(\d{6})$")  # a clearing between two regions: payer>payee
_TABLE = re.compile(r"^(posted|uploaded) table of (\d+) people$")  # api/routes/eligibility.py, routes/uploads.py
_DATASET = re.compile(r"^planning dataset (facility|supply|standard|population)$")  # api/routes/uploads.py
_APPROVAL = re.compile(r"^approval:(\d+)$")  # api/approvals.py
_FILE = re.compile(r"^[^/\\:>]+\.(csv|xlsx|xls|parquet|json|ya?ml)$", re.IGNORECASE)  # a bulk import's file name
_WORDS: dict[str, tuple[str, str]] = {"ledger": ("账本", "the ledger")}  # ledger/digest_baseline.py
_TABLE_ZH = {"posted": "经接口提交的 {n} 人名单", "uploaded": "上传的 {n} 人名单"}
_TABLE_EN = {"posted": "a table of {n} {people} posted to the API", "uploaded": "an uploaded table of {n} {people}"}


@dataclass(frozen=True)
class VoucherShown:
    """A voucher subject as shown: its number grouped for reading, its service as recorded (None: the voucher is
    not in this store), and its issuing region by code and names."""

    number: str
    service: str | None
    issuer: tuple[str, str, str]  # (code, Chinese name, English name)


@dataclass(frozen=True)
class Named:
    """A subject as shown: its kind, its name in each language (None: shown as recorded), a person's key."""

    kind: str  # region, between, user, person, quota, voucher, table, dataset, approval, file, ledger, other
    zh: str | None = None
    en: str | None = None
    person_key: str | None = None
    regions: tuple[tuple[str, str, str], ...] = ()  # a region subject's (code, Chinese name, English name)
    voucher: VoucherShown | None = None


def actor_shown(actor: str) -> tuple[str, str]:
    """(kind, name) of an actor: an account by its user name, another office by its name, else a system process
    (the command line, a test or simulation run) as recorded."""
    for prefix, kind in ((USER, "user"), (PEER, "peer")):
        if actor.startswith(prefix):
            return kind, actor.removeprefix(prefix)
    return "system", actor


def _region_codes(subject: str) -> list[str] | None:
    """The region codes a region subject names (region:440100, region:440100,510100, a bare 440100); else None."""
    body = subject.removeprefix(REGION)
    codes = body.split(",")
    if (subject.startswith(REGION) or len(codes) == 1) and all(_CODE.match(c) for c in codes):
        return codes
    return None


def _quota(subject: str) -> tuple[str, str, str] | None:
    """(region, kind, year) of a quota run's subject quota:440100:points:2026."""
    parts = subject.removeprefix(QUOTA).split(":")
    if subject.startswith(QUOTA) and len(parts) == 3 and _CODE.match(parts[0]):
        return parts[0], parts[1], parts[2]
    return None


def name_subjects(session: Session, subjects: set[str]) -> dict[str, Named]:
    """Each subject named for the log's reader (one query for the regions, one for people recorded by number)."""
    codes = {c for s in subjects for c in (_region_codes(s) or [])}
    codes |= {q[0] for s in subjects if (q := _quota(s))}
    codes |= {
        c for s in subjects if (m := _BETWEEN.match(s) or VOUCHER_NUMBER.match(s)) for c in m.groups() if _CODE.match(c)
    }
    names = region_names(session, codes - {NATIONAL_SCOPE})
    names[NATIONAL_SCOPE] = NATIONWIDE
    ids = {int(s.removeprefix(PERSON)) for s in subjects if s.startswith(PERSON) and s[len(PERSON) :].isdigit()}
    rows = session.execute(select(PersonRow.id, PersonRow.person_key).where(PersonRow.id.in_(ids))).all()
    keys = {int(person_id): str(key) for person_id, key in rows}
    numbers = {s for s in subjects if VOUCHER_NUMBER.match(s)}
    found = session.execute(select(VoucherRow.voucher_no, VoucherRow.service).where(VoucherRow.voucher_no.in_(numbers)))
    services = {str(number): str(service) for number, service in found.all()}
    out = {}
    for subject in subjects:
        out[subject] = _named(subject, names, keys) if subject not in numbers else _voucher(subject, names, services)
    return out


def _voucher(subject: str, names: dict[str, tuple[str, str | None]], services: dict[str, str]) -> Named:
    """A voucher by its service, issuing region and number in groups of four (3f2a 9b1c 0d4e 7f60)."""
    code, digits = subject.split("-")[1:]
    zh, en = names.get(code, (code, code))
    number = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    shown = VoucherShown(number, services.get(subject), (code, zh, en or zh))
    return Named("voucher", f"{zh}服务券 {number}", f"voucher {number} of {en or zh}", voucher=shown)


def _worded(subject: str) -> Named | None:
    """A subject the system writes in words or by a number (a posted table, a planning dataset, the ledger, an
    approval, a bulk import's file), named in both languages; None for any other."""
    if table := _TABLE.match(subject):
        how, n = table.group(1), int(table.group(2))
        en = _TABLE_EN[how].format(n=n, people="person" if n == 1 else "people")
        return Named("table", _TABLE_ZH[how].format(n=n), en)
    if dataset := _DATASET.match(subject):
        schema = schema_of(dataset.group(1), ())
        return Named("dataset", f"规划数据：{schema.zh}", f"planning dataset: {schema.en}")
    if approval := _APPROVAL.match(subject):
        return Named("approval", f"复核事项 {approval.group(1)} 号", f"review item no. {approval.group(1)}")
    if subject in _WORDS:
        zh, en = _WORDS[subject]
        return Named(subject, zh, en)
    if _FILE.match(subject):
        return Named("file", f"文件 {subject}", f"file {subject}")
    return None


def _named(subject: str, names: dict[str, tuple[str, str | None]], keys: dict[int, str]) -> Named:
    if _KEY.match(subject):
        return Named("person", person_key=subject)
    if subject.startswith(PERSON) and subject[len(PERSON) :].isdigit():
        return Named("person", person_key=keys.get(int(subject[len(PERSON) :])))
    if subject.startswith(USER):
        return Named("user", subject.removeprefix(USER), subject.removeprefix(USER))
    if (codes := _region_codes(subject)) and all(c in names for c in codes):
        regions = tuple((c, names[c][0], names[c][1] or names[c][0]) for c in codes)
        zh, en = "、".join(r[1] for r in regions), ", ".join(r[2] for r in regions)
        return Named("region", zh, en, regions=regions)
    quota = _quota(subject)
    if quota and quota[0] in names and quota[1] in set(ApplicationKind):
        (region_zh, region_en), (kind_zh, kind_en) = names[quota[0]], KIND_LABELS[ApplicationKind(quota[1])]
        zh = f"{region_zh} {kind_zh} {quota[2]}年排名"
        en = f"{region_en or region_zh}, {kind_en}, ranking of {quota[2]}"
        return Named("quota", zh, en)
    between = _BETWEEN.match(subject)
    if between and all(c in names for c in between.groups()):
        regions = tuple((c, names[c][0], names[c][1] or names[c][0]) for c in between.groups())
        return Named(
            "between", f"{regions[0][1]} → {regions[1][1]}", f"{regions[0][2]} → {regions[1][2]}", regions=regions
        )
    return _worded(subject) or Named("other")
