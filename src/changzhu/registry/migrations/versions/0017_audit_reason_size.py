"""audit_log.reason holds as much as any reason a person may type (sizes.AUDIT_REASON, was 400)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

A caseworker's reason for a decision may be up to sizes.APPLICATION_REASON (2,000) characters, and audit.append
keeps a typed reason as the record's reason: one longer than 400 was refused by the database (422
value_does_not_fit on PostgreSQL) after the API had accepted it. Widening a VARCHAR keeps every row and hash.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as table:
        table.alter_column("reason", type_=sa.String(2000), existing_type=sa.String(400), existing_nullable=False)


def downgrade() -> None:  # a record with a longer reason does not fit any more: refused rather than cut
    with op.batch_alter_table("audit_log") as table:
        table.alter_column("reason", type_=sa.String(400), existing_type=sa.String(2000), existing_nullable=False)
