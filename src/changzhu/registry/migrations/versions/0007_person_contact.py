"""residents' name and phone, encrypted, with keyed look-up hashes: persons.name_*, persons.phone_*

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("name", "phone")


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        for column in COLUMNS:
            batch.add_column(sa.Column(f"{column}_cipher", sa.LargeBinary(), nullable=True))
            batch.add_column(sa.Column(f"{column}_hash", sa.String(64), nullable=True))
            batch.create_index(f"ix_persons_{column}_hash", [f"{column}_hash"])


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        for column in COLUMNS:
            batch.drop_index(f"ix_persons_{column}_hash")
            batch.drop_column(f"{column}_hash")
            batch.drop_column(f"{column}_cipher")
