"""persons.moved_out_by: the 跨省通办 message that handed a person over to another province's instance

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("moved_out_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("moved_out_by")
