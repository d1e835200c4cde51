"""accounts (argon2 hashes), roles, jurisdiction scopes, and the 跨省通办 peers, outbox and inbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = [
    ("resident", "a resident: their own record, entitlements and account only"),
    ("caseworker", "service office caseworker: residents registered in or applying to move to the jurisdiction"),
    ("planner", "planner: aggregate figures (population, gaps, scenarios) only"),
    ("fiscal_officer", "fiscal officer: aggregate figures and fiscal allocations only"),
    ("administrator", "administrator: user accounts and all data within the jurisdiction"),
]


def upgrade() -> None:
    roles = op.create_table(
        "roles",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("description", sa.String(200), nullable=False),
    )
    op.bulk_insert(roles, [{"name": n, "description": d} for n, d in ROLES])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), sa.ForeignKey("roles.name"), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_users_person_id", "users", ["person_id"])
    op.create_table(
        "user_scopes",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("region_code", sa.String(6), primary_key=True),
    )
    op.create_table(
        "interregion_peers",
        sa.Column("region_code", sa.String(6), primary_key=True),
        sa.Column("base_url", sa.String(200), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
    )
    op.create_table(
        "interregion_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(64), nullable=False, unique=True),
        sa.Column("to_region", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(400), nullable=True),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("delivered_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_interregion_outbox_status", "interregion_outbox", ["status"])
    op.create_table(
        "interregion_inbox",
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("from_region", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=True),
        sa.Column("receipt", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("interregion_inbox")
    op.drop_index("ix_interregion_outbox_status", table_name="interregion_outbox")
    op.drop_table("interregion_outbox")
    op.drop_table("interregion_peers")
    op.drop_table("user_scopes")
    op.drop_index("ix_users_person_id", table_name="users")
    op.drop_table("users")
    op.drop_table("roles")
