"""residents, registrations, permits, households, the portable account ledger, vouchers, medical, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[object]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _big_id() -> sa.Column[object]:
    return sa.Column("id", BIG_ID, primary_key=True, autoincrement=True)


def _person_fk(name: str = "person_id") -> sa.Column[object]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("persons.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "persons",
        _id(),
        sa.Column("person_key", sa.String(32), nullable=False, unique=True),
        sa.Column("id_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("id_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("hukou_region", sa.String(6), nullable=False),
        sa.Column("residence_region", sa.String(6), nullable=False),
        sa.Column("residence_since", sa.Date(), nullable=False),
        sa.Column("residence_permit_since", sa.Date(), nullable=True),
        sa.Column("prior_region", sa.String(6), nullable=True),
        sa.Column("prior_residence_months", sa.Integer(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_persons_hukou_region", "persons", ["hukou_region"])
    op.create_index("ix_persons_residence_region", "persons", ["residence_region"])
    op.create_table(
        "residence_events",
        _id(),
        _person_fk(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("from_region", sa.String(6), nullable=True),
        sa.Column("to_region", sa.String(6), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("proof_kind", sa.String(16), nullable=True),
        sa.Column("proof_ref", sa.String(120), nullable=True),
    )
    op.create_index("ix_residence_events_person_id", "residence_events", ["person_id"])
    op.create_table(
        "residence_permits",
        _id(),
        sa.Column("permit_no", sa.String(40), nullable=False, unique=True),
        _person_fk(),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("previous_id", sa.Integer(), sa.ForeignKey("residence_permits.id"), nullable=True),
    )
    op.create_index("ix_residence_permits_person_id", "residence_permits", ["person_id"])
    op.create_table(
        "household_links",
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("persons.id"), primary_key=True),
        sa.Column("child_id", sa.Integer(), sa.ForeignKey("persons.id"), primary_key=True),
    )
    op.create_table(
        "ledger_accounts",
        _id(),
        sa.Column("code", sa.String(160), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=True),
        sa.Column("region", sa.String(6), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
    )
    op.create_index("ix_ledger_accounts_person_id", "ledger_accounts", ["person_id"])
    op.create_table(
        "ledger_transactions",
        _big_id(),
        sa.Column("idempotency_key", sa.String(160), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "ledger_entries",
        _big_id(),
        sa.Column("transaction_id", BIG_ID, sa.ForeignKey("ledger_transactions.id"), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("ledger_accounts.id"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(8), nullable=False),
    )
    op.create_index("ix_ledger_entries_account", "ledger_entries", ["account_id"])
    op.create_index("ix_ledger_entries_transaction_id", "ledger_entries", ["transaction_id"])
    op.create_table(
        "contribution_months",
        _big_id(),
        _person_fk(),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("paid_region", sa.String(6), nullable=False),
        sa.Column("held_region", sa.String(6), nullable=False),
        sa.Column("base_fen", sa.BigInteger(), nullable=False),
        sa.Column("temporary", sa.Boolean(), nullable=False),
        sa.Column("transaction_id", BIG_ID, sa.ForeignKey("ledger_transactions.id"), nullable=False),
        sa.UniqueConstraint("person_id", "scheme", "period", name="uq_contribution_month"),
    )
    op.create_index("ix_contribution_months_held", "contribution_months", ["person_id", "scheme", "held_region"])
    op.create_table(
        "pension_relations",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), primary_key=True),
        sa.Column("region", sa.String(6), nullable=False),
        sa.Column("temp_region", sa.String(6), nullable=True),
        sa.Column("drawing_region", sa.String(6), nullable=True),
    )
    op.create_table(
        "transfers",
        _id(),
        sa.Column("transfer_no", sa.String(160), nullable=False, unique=True),
        _person_fk(),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("from_region", sa.String(6), nullable=False),
        sa.Column("to_region", sa.String(6), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("amounts", sa.JSON(), nullable=False),
    )
    op.create_index("ix_transfers_person_id", "transfers", ["person_id"])
    op.create_table(
        "school_records",
        _id(),
        _person_fk(),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("school", sa.String(120), nullable=False),
        sa.Column("enrolled_region", sa.String(6), nullable=False),
        sa.Column("held_region", sa.String(6), nullable=False),
        sa.UniqueConstraint("person_id", "school_year", name="uq_school_record_year"),
    )
    op.create_table(
        "vouchers",
        _id(),
        sa.Column("voucher_no", sa.String(160), nullable=False, unique=True),
        _person_fk("holder_id"),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=False),
        sa.Column("issuer_region", sa.String(6), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("provider", sa.String(80), nullable=True),
        sa.Column("provider_region", sa.String(6), nullable=True),
        sa.Column("redeemed_on", sa.Date(), nullable=True),
        sa.Column("clearing_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_vouchers_holder_id", "vouchers", ["holder_id"])
    op.create_table(
        "medical_policies",
        sa.Column("region", sa.String(6), primary_key=True),
        sa.Column("deductible_fen", sa.BigInteger(), nullable=False),
        sa.Column("rate_permille", sa.Integer(), nullable=False),
        sa.Column("cap_fen", sa.BigInteger(), nullable=False),
        sa.Column("temporary_cut_permille", sa.Integer(), nullable=False),
        sa.Column("unfiled_cut_permille", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(400), nullable=False),
    )
    op.create_table(
        "medical_catalogue",
        sa.Column("region", sa.String(6), primary_key=True),
        sa.Column("item_code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("category", sa.String(1), nullable=False),
        sa.Column("self_pay_permille", sa.Integer(), nullable=False),
    )
    op.create_table(
        "medical_filings",
        _id(),
        _person_fk(),
        sa.Column("insured_region", sa.String(6), nullable=False),
        sa.Column("treatment_region", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
    )
    op.create_index("ix_medical_filings_person_id", "medical_filings", ["person_id"])
    op.create_table(
        "medical_claims",
        _id(),
        sa.Column("claim_no", sa.String(160), nullable=False, unique=True),
        _person_fk(),
        sa.Column("insured_region", sa.String(6), nullable=False),
        sa.Column("treatment_region", sa.String(6), nullable=False),
        sa.Column("hospital", sa.String(80), nullable=False),
        sa.Column("treated_on", sa.Date(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("fund_fen", sa.BigInteger(), nullable=False),
        sa.Column("self_fen", sa.BigInteger(), nullable=False),
        sa.Column("clearing_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_medical_claims_person_id", "medical_claims", ["person_id"])
    op.create_table(
        "audit_log",
        _big_id(),
        sa.Column("chain", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(400), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("chain", "seq", name="uq_audit_log_chain_seq"),
    )
    op.create_table(  # one head per chain (changzhu.store.audit.CHAINS = 16)
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(
        sa.table("audit_head", sa.column("id", sa.Integer()), sa.column("last_hash"), sa.column("length")),
        [{"id": chain, "last_hash": "0" * 64, "length": 0} for chain in range(16)],
    )


def downgrade() -> None:
    for name in (
        "audit_head",
        "audit_log",
        "medical_claims",
        "medical_filings",
        "medical_catalogue",
        "medical_policies",
        "vouchers",
        "school_records",
        "transfers",
        "pension_relations",
        "contribution_months",
        "ledger_entries",
        "ledger_transactions",
        "ledger_accounts",
        "household_links",
        "residence_permits",
        "residence_events",
        "persons",
    ):
        op.drop_table(name)
