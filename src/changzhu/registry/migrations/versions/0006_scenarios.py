"""saved reform scenarios and their runs: scenarios, scenario_runs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body_yaml", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "scenario_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scenario_id", sa.Integer(), sa.ForeignKey("scenarios.id"), nullable=True),
        sa.Column("scenario_name", sa.String(80), nullable=False),
        sa.Column("scenario_yaml", sa.Text(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.String(400), nullable=True),
        sa.Column("data_version", sa.String(80), nullable=False),
        sa.Column("code_version", sa.String(80), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=True),
        sa.Column("finished_at", sa.String(32), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("result_parquet", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_scenario_runs_scenario_id", "scenario_runs", ["scenario_id"])
    op.create_index("ix_scenario_runs_scenario_name", "scenario_runs", ["scenario_name"])
    op.create_index("ix_scenario_runs_status", "scenario_runs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_scenario_runs_status", "scenario_runs")
    op.drop_index("ix_scenario_runs_scenario_name", "scenario_runs")
    op.drop_index("ix_scenario_runs_scenario_id", "scenario_runs")
    op.drop_table("scenario_runs")
    op.drop_table("scenarios")
