"""audit_log: each record's subject kind and the fields that name it, and the version of what its hash covers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Records written from now on carry their subject's kind and fields from their writer (store/audit_subjects.py),
hashed with the record (hash_version 2). The records already written keep their hash and version 1; their kind and
fields are read here, once, from their subject's text, by the patterns the audit page used to name them with (the
only place those patterns live now).
"""

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000
_LOG = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("subject", sa.String),
    sa.column("subject_kind", sa.String),
    sa.column("subject_fields", sa.Text),
)
_VOUCHER = re.compile(r"^FWQ-(\d{6})-([0-9a-f]{16})$")
_KEY = re.compile(r"^[0-9a-f]{32}$")
_PERSON_ID = re.compile(r"^person:(\d+)$")
_CODES = re.compile(r"^(?:region:)?(\d{6}(?:,\d{6})*)$")  # a bare code was one region, never several
_QUOTA = re.compile(r"^quota:(\d{6}):([^:]*):(\d+)$")
_BETWEEN = re.compile(r"^(\d{6})>(\d{6})$")
_TABLE = re.compile(r"^(posted|uploaded) table of (\d+) people$")
_DATASET = re.compile(r"^planning dataset (facility|supply|standard|population)$")
_APPROVAL = re.compile(r"^approval:(\d+)$")
_FILE = re.compile(r"^[^/\\:>]+\.(csv|xlsx|xls|parquet|json|ya?ml)$", re.IGNORECASE)


def subject_kind(subject: str) -> tuple[str, dict[str, object]]:
    """(kind, fields) of a subject written before kinds were kept, in the order the audit page tried them."""
    if m := _VOUCHER.match(subject):
        return "voucher", {"issuer": m.group(1), "serial": m.group(2)}
    if _KEY.match(subject):
        return "person", {"person_key": subject}
    if m := _PERSON_ID.match(subject):
        return "person", {"person_id": int(m.group(1))}
    if subject.startswith("user:"):
        return "user", {"username": subject.removeprefix("user:")}
    if (m := _CODES.match(subject)) and (subject.startswith("region:") or "," not in m.group(1)):
        return "region", {"regions": m.group(1).split(",")}
    if m := _QUOTA.match(subject):
        return "quota", {"region": m.group(1), "kind": m.group(2), "year": int(m.group(3))}
    if m := _BETWEEN.match(subject):
        return "between", {"regions": [m.group(1), m.group(2)]}
    if m := _TABLE.match(subject):
        return "table", {"how": m.group(1), "people": int(m.group(2))}
    if m := _DATASET.match(subject):
        return "dataset", {"dataset": m.group(1)}
    if m := _APPROVAL.match(subject):
        return "approval", {"approval": int(m.group(1))}
    if subject == "ledger":
        return "ledger", {}
    if _FILE.match(subject):
        return "file", {"file": subject}
    return "other", {}


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("subject_kind", sa.String(16), nullable=False, server_default="other"))
        batch.add_column(sa.Column("subject_fields", sa.Text(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("hash_version", sa.Integer(), nullable=False, server_default="1"))
    bind = op.get_bind()
    read = sa.select(_LOG.c.id, _LOG.c.subject).where(_LOG.c.id > sa.bindparam("b_after")).order_by(_LOG.c.id)
    write = (
        _LOG.update()
        .where(_LOG.c.id == sa.bindparam("b_id"))
        .values(subject_kind=sa.bindparam("b_kind"), subject_fields=sa.bindparam("b_fields"))
    )
    after = 0
    while rows := bind.execute(read.limit(_BATCH), {"b_after": after}).all():
        named = []
        for row_id, subject in rows:
            kind, fields = subject_kind(subject)
            if kind != "other":
                text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                named.append({"b_id": row_id, "b_kind": kind, "b_fields": text})
        if named:
            bind.execute(write, named)
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hash_version")
        batch.drop_column("subject_fields")
        batch.drop_column("subject_kind")
