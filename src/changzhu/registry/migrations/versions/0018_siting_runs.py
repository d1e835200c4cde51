"""siting_runs: where-to-build plans started from the office, run in the background

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

A planner starts a siting plan (a service, a province or a city, p new facilities) from the office; the row keeps
what was asked, the progress while the worker solves the models, and the results (summary as JSON, the counties and
the sites as Parquet), read back cut to each reader's jurisdiction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "siting_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("p", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("note", sa.JSON(), nullable=True),
        sa.Column("data_version", sa.String(80), nullable=False),
        sa.Column("code_version", sa.String(80), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=True),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("counties_parquet", sa.LargeBinary(), nullable=True),
        sa.Column("sites_parquet", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_siting_runs_region_code", "siting_runs", ["region_code"])
    op.create_index("ix_siting_runs_status", "siting_runs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_siting_runs_status", "siting_runs")
    op.drop_index("ix_siting_runs_region_code", "siting_runs")
    op.drop_table("siting_runs")
