"""Who and what an audit record is about, as a reader of the log sees it: accounts by user name, regions by name,
quota runs by their city, kind and year, vouchers by their service, issuer and grouped number, and the subjects the
system writes in words (a posted table, a planning dataset, the ledger) in both languages; a person by no name
(docs/api-office.md, "The audit log"). Each subject is named from the kind and fields its writer recorded with it
(store/audit_subjects.py), never by reading its text. The record itself is never changed: only how it is shown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from changzhu.api.auth.roles import NATIONAL_SCOPE
from changzhu.casework.applications import KIND_LABELS, ApplicationKind
from changzhu.registry.region_names import region_names
from changzhu.store.audit_subjects import SubjectKind
from changzhu.store.resident_models import PersonRow, VoucherRow
from changzhu.tables.kinds import schema_of

USER, PEER = "user:", "peer:"
NATIONWIDE = ("全国", "nationwide")
_LEDGER = ("账本", "the ledger")
_TABLE_ZH = {"posted": "经接口提交的 {n} 人名单", "uploaded": "上传的 {n} 人名单"}
_TABLE_EN = {"posted": "a table of {n} {people} posted to the API", "uploaded": "an uploaded table of {n} {people}"}
RegionNames = dict[str, tuple[str, str | None]]


@dataclass(frozen=True)
class RecordedSubject:
    """A subject as a record holds it: its text, its kind and the kind's fields (store/audit_subjects.py)."""

    text: str
    kind: str
    fields: Mapping[str, Any]

    @classmethod
    def of(cls, text: str, kind: str, fields: str) -> RecordedSubject:
        """From a record's columns (fields as the JSON text the record keeps)."""
        parsed = json.loads(fields)
        return cls(text, kind, parsed if isinstance(parsed, dict) else {})


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


def _codes(subject: RecordedSubject) -> list[str]:
    """The region codes a subject names (a region subject's, a clearing's payer and payee, a quota run's city, a
    voucher's issuer)."""
    f = subject.fields
    if subject.kind in (SubjectKind.REGION, SubjectKind.BETWEEN):
        return [str(c) for c in f.get("regions", [])]
    if subject.kind == SubjectKind.QUOTA:
        return [str(f["region"])]
    if subject.kind == SubjectKind.VOUCHER:
        return [str(f["issuer"])]
    return []


def name_subjects(session: Session, subjects: Iterable[RecordedSubject]) -> dict[str, Named]:
    """Each subject, by its text, named for the log's reader (one query for the regions, one for people recorded by
    number, one for vouchers)."""
    subjects = {s.text: s for s in subjects}.values()
    codes = {c for s in subjects for c in _codes(s)}
    names = region_names(session, codes - {NATIONAL_SCOPE})
    names[NATIONAL_SCOPE] = NATIONWIDE
    ids = {int(s.fields["person_id"]) for s in subjects if s.kind == SubjectKind.PERSON and "person_id" in s.fields}
    rows = session.execute(select(PersonRow.id, PersonRow.person_key).where(PersonRow.id.in_(ids))).all()
    keys = {int(person_id): str(key) for person_id, key in rows}
    numbers = {s.text for s in subjects if s.kind == SubjectKind.VOUCHER}
    found = session.execute(select(VoucherRow.voucher_no, VoucherRow.service).where(VoucherRow.voucher_no.in_(numbers)))
    services = {str(number): str(service) for number, service in found.all()}
    out = {}
    for subject in subjects:
        named = _voucher(subject, names, services) if subject.kind == SubjectKind.VOUCHER else None
        out[subject.text] = named or _named(subject, names, keys)
    return out


def _voucher(subject: RecordedSubject, names: RegionNames, services: dict[str, str]) -> Named:
    """A voucher by its service, issuing region and serial in groups of four (3f2a 9b1c 0d4e 7f60)."""
    code, serial = str(subject.fields["issuer"]), str(subject.fields["serial"])
    zh, en = names.get(code, (code, code))
    number = " ".join(serial[i : i + 4] for i in range(0, len(serial), 4))
    shown = VoucherShown(number, services.get(subject.text), (code, zh, en or zh))
    return Named("voucher", f"{zh}服务券 {number}", f"voucher {number} of {en or zh}", voucher=shown)


def _regions(codes: list[str], names: RegionNames) -> tuple[tuple[str, str, str], ...] | None:
    """(code, Chinese name, English name) of each code; None unless every one is named."""
    if not codes or not all(c in names for c in codes):
        return None
    return tuple((c, names[c][0], names[c][1] or names[c][0]) for c in codes)


def _worded(subject: RecordedSubject) -> Named | None:
    """A subject the system writes in words or by a number (a posted table, a planning dataset, the ledger, an
    approval, a bulk import's file), named in both languages; None for any other."""
    f = subject.fields
    if subject.kind == SubjectKind.TABLE:
        how, n = str(f["how"]), int(f["people"])
        en = _TABLE_EN[how].format(n=n, people="person" if n == 1 else "people")
        return Named("table", _TABLE_ZH[how].format(n=n), en)
    if subject.kind == SubjectKind.DATASET:
        schema = schema_of(str(f["dataset"]), ())
        return Named("dataset", f"规划数据：{schema.zh}", f"planning dataset: {schema.en}")
    if subject.kind == SubjectKind.APPROVAL:
        number = f["approval"]
        return Named("approval", f"复核事项 {number} 号", f"review item no. {number}")
    if subject.kind == SubjectKind.LEDGER:
        return Named("ledger", *_LEDGER)
    if subject.kind == SubjectKind.FILE:
        return Named("file", f"文件 {f['file']}", f"file {f['file']}")
    return None


def _named(subject: RecordedSubject, names: RegionNames, keys: dict[int, str]) -> Named:
    f = subject.fields
    if subject.kind == SubjectKind.PERSON:
        key = keys.get(int(f["person_id"])) if "person_id" in f else str(f["person_key"])
        return Named("person", person_key=key)
    if subject.kind == SubjectKind.USER:
        return Named("user", str(f["username"]), str(f["username"]))
    if subject.kind == SubjectKind.REGION and (regions := _regions(_codes(subject), names)):
        zh, en = "、".join(r[1] for r in regions), ", ".join(r[2] for r in regions)
        return Named("region", zh, en, regions=regions)
    if subject.kind == SubjectKind.QUOTA and f["region"] in names and f["kind"] in set(ApplicationKind):
        (region_zh, region_en), (kind_zh, kind_en) = names[f["region"]], KIND_LABELS[ApplicationKind(f["kind"])]
        zh = f"{region_zh} {kind_zh} {f['year']}年排名"
        en = f"{region_en or region_zh}, {kind_en}, ranking of {f['year']}"
        return Named("quota", zh, en)
    if subject.kind == SubjectKind.BETWEEN and (regions := _regions(_codes(subject), names)):
        return Named(
            "between", f"{regions[0][1]} → {regions[1][1]}", f"{regions[0][2]} → {regions[1][2]}", regions=regions
        )
    return _worded(subject) or Named("other")
