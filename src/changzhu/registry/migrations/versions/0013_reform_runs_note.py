"""scenario_runs.note: a run's progress step or failure as a coded reason ({code, params}), shown in the reader's
language, where `message` held English text (and a failed run's exception class)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scenario_runs") as batch:
        batch.add_column(sa.Column("note", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scenario_runs") as batch:
        batch.drop_column("note")
