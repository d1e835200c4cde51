"""reason_as_written: whether a stored reason is a person's own words (applications, their events, audit records)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

The office used to guess a typed reason from its two languages holding the same text. From now on the writer says
so: a reason a caseworker or an applicant typed is stored with reason_as_written true, one drafted from the rules
(zh and en from two templates) with false, whatever its two texts hold. Rows written before are classified here,
once:

- applications and application_events: as written where reason_zh is given and equals reason_en. Before 0015 the
  only writer (casework/application_records.transition) stored a typed reason as the same text in both fields and a
  drafted one from a Chinese and an English template (precheck._reason), which never give the same text, so the old
  rule is exact for every row it wrote.
- audit_log: as written where the record holds one text (no details.reason_en) on an action that takes a person's
  words: an application step (application_review … application_overturn: the caseworker's reason, the applicant's
  appeal), a checker's decision with a note (approval.approve, approval.reject) and a disputed message resolved by
  a caseworker (interregion_reversed, interregion_resend). A record of any other action holding one text was written
  before reasons had two languages (system text, not a person's) and stays false. These records keep their hash
  version (1 or 2), whose hash does not cover the flag; records from hash version 3 on hash it.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000
_TABLES = ("applications", "application_events", "audit_log")
# the audit actions whose writers took a person's typed text as the record's one-text reason
TYPED_ACTIONS = (
    "application_review",
    "application_approve",
    "application_reject",
    "application_appeal",
    "application_uphold",
    "application_overturn",
    "approval.approve",
    "approval.reject",
    "interregion_reversed",
    "interregion_resend",
)
_LOG = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("details", sa.Text),
    sa.column("reason_as_written", sa.Boolean),
)


def holds_one_text(details: str) -> bool:
    """The record's details hold no English reason beside its reason (what audit.append keeps of a Reason)."""
    try:
        parsed = json.loads(details)
    except ValueError:
        return True
    return not (isinstance(parsed, dict) and isinstance(parsed.get("reason_en"), str))


def upgrade() -> None:
    for table in _TABLES:  # in place on SQLite too: no rebuild of a table other tables' rows refer to
        op.add_column(table, sa.Column("reason_as_written", sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in ("applications", "application_events"):
        reasons = sa.table(table, sa.column("reason_zh"), sa.column("reason_en"), sa.column("reason_as_written"))
        same = reasons.c.reason_zh.is_not(None) & (reasons.c.reason_zh == reasons.c.reason_en)
        op.execute(reasons.update().where(same).values(reason_as_written=sa.true()))
    bind = op.get_bind()
    read = (
        sa.select(_LOG.c.id, _LOG.c.details)
        .where(_LOG.c.action.in_(TYPED_ACTIONS), _LOG.c.id > sa.bindparam("b_after"))
        .order_by(_LOG.c.id)
    )
    write = _LOG.update().where(_LOG.c.id == sa.bindparam("b_id")).values(reason_as_written=sa.true())
    after = 0
    while rows := bind.execute(read.limit(_BATCH), {"b_after": after}).all():
        typed = [{"b_id": row_id} for row_id, details in rows if holds_one_text(details)]
        if typed:
            bind.execute(write, typed)
        after = rows[-1][0]


def downgrade() -> None:
    for table in _TABLES:  # SQLite 3.35+ drops a plain column in place (no table rebuild)
        op.drop_column(table, "reason_as_written")
