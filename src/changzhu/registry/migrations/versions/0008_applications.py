"""applications (申请), their events, and published quota runs (积分排名): applications, application_events, quota_runs

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.String(400), nullable=True),
        sa.Column("precheck", sa.JSON(), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("reason_zh", sa.String(2000), nullable=True),
        sa.Column("reason_en", sa.String(2000), nullable=True),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    for column in ("person_id", "kind", "region", "status"):
        op.create_index(f"ix_applications_{column}", "applications", [column])
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("from_status", sa.String(12), nullable=True),
        sa.Column("to_status", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("reason_zh", sa.String(2000), nullable=True),
        sa.Column("reason_en", sa.String(2000), nullable=True),
        sa.Column("policy_version", sa.String(64), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    op.create_index("ix_application_events_application_id", "application_events", ["application_id"])
    op.create_table(
        "quota_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.JSON(), nullable=True),
        sa.Column("cutoff_points", sa.Float(), nullable=True),
        sa.Column("admitted", sa.JSON(), nullable=False),
        sa.Column("waiting", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("published_by", sa.String(64), nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_quota_runs_kind", "quota_runs", ["kind"])
    op.create_index("ix_quota_runs_region", "quota_runs", ["region"])


def downgrade() -> None:
    op.drop_index("ix_quota_runs_region", "quota_runs")
    op.drop_index("ix_quota_runs_kind", "quota_runs")
    op.drop_table("quota_runs")
    op.drop_index("ix_application_events_application_id", "application_events")
    op.drop_table("application_events")
    for column in ("status", "region", "kind", "person_id"):
        op.drop_index(f"ix_applications_{column}", "applications")
    op.drop_table("applications")
