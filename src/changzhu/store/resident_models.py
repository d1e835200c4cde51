"""SQLAlchemy models of residents, their registrations, the portable account ledger, vouchers and the audit log.

Money is stored in fen (1/100 yuan) as integers; periods in whole months. Tables mirror migration 0002.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key for the big tables.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class PersonRow(Base):
    """A resident (常住人口 record): identity kept as a keyed hash and a ciphertext, never in clear."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(String(sizes.PERSON_KEY), unique=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    hukou_region: Mapped[str] = mapped_column(String(6), index=True)
    residence_region: Mapped[str] = mapped_column(String(6), index=True)
    residence_since: Mapped[date] = mapped_column(Date)
    residence_permit_since: Mapped[date | None] = mapped_column(Date)
    prior_region: Mapped[str | None] = mapped_column(String(6))
    prior_residence_months: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[str] = mapped_column(String(32))
    # name and phone (0007): ciphertext to show an authorised role, keyed hash of the normalised text to find it
    name_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    name_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # the 跨省通办 message that handed the person over to another province's instance (0016): set while that
    # hand-over stands (pending or acknowledged), cleared when it is reversed; the record here is then history
    moved_out_by: Mapped[str | None] = mapped_column(String(64))


Fact = bool | int | float | date | str | list[str] | list[date]  # a set of codes; a list of dates (sorted)
MAX_STORED_DATES = 18  # dates a list keeps in value_text (200 characters, 11 a date)


class PersonAttributeRow(Base):
    """One fact about a resident the rules need (学历, 就业, a declared input), stored with its type (0008)."""

    __tablename__ = "person_attributes"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # bool, integer, number, date, text, categories or dates (text a;b)
    value_bool: Mapped[bool | None] = mapped_column(Boolean)
    value_int: Mapped[int | None] = mapped_column(BigInteger)
    value_number: Mapped[float | None] = mapped_column(Float)
    value_date: Mapped[date | None] = mapped_column(Date)
    value_text: Mapped[str | None] = mapped_column(String(200))

    @classmethod
    def of(cls, person_id: int, name: str, value: Fact) -> PersonAttributeRow:
        """The row holding `value` in the column of its type."""
        if isinstance(value, list) and value and all(isinstance(v, date) for v in value):
            days = ";".join(sorted(v.isoformat() for v in value if isinstance(v, date)))
            return cls(person_id=person_id, name=name, kind="dates", value_text=days)
        if isinstance(value, list):
            return cls(person_id=person_id, name=name, kind="categories", value_text=";".join(sorted(map(str, value))))
        if isinstance(value, bool):
            return cls(person_id=person_id, name=name, kind="bool", value_bool=value)
        if isinstance(value, int):
            return cls(person_id=person_id, name=name, kind="integer", value_int=value)
        if isinstance(value, float):
            return cls(person_id=person_id, name=name, kind="number", value_number=value)
        if isinstance(value, date):
            return cls(person_id=person_id, name=name, kind="date", value_date=value)
        return cls(person_id=person_id, name=name, kind="text", value_text=str(value))

    def value(self) -> Fact | None:
        """The stored value, in its type."""
        if self.kind == "categories":
            return [c for c in (self.value_text or "").split(";") if c]
        if self.kind == "dates":
            return [date.fromisoformat(d) for d in (self.value_text or "").split(";") if d]
        return {
            "bool": self.value_bool,
            "integer": self.value_int,
            "number": self.value_number,
            "date": self.value_date,
        }.get(self.kind, self.value_text)


class ResidenceEventRow(Base):
    """A registration of habitual residence (常住地登记), a move, or a hukou settlement (落户)."""

    __tablename__ = "residence_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_region: Mapped[str | None] = mapped_column(String(6))
    to_region: Mapped[str] = mapped_column(String(6))
    on_date: Mapped[date] = mapped_column(Date)
    proof_kind: Mapped[str | None] = mapped_column(String(16))
    proof_ref: Mapped[str | None] = mapped_column(String(sizes.PROOF_REF))


class ResidencePermitRow(Base):
    """A residence permit (居住证) issued, or renewed, by the place of residence."""

    __tablename__ = "residence_permits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    permit_no: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("residence_permits.id"))


class HouseholdLinkRow(Base):
    """A parent-child link between two registered persons."""

    __tablename__ = "household_links"

    parent_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)


class LedgerAccountRow(Base):
    """An account of the ledger, named by a code such as P:<person>:pension_individual:<region>."""

    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    region: Mapped[str | None] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(8))


class LedgerTransactionRow(Base):
    """One balanced posting; its idempotency key makes a retried request a no-op."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    request_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[str] = mapped_column(String(32))


class LedgerEntryRow(Base):
    """One leg of a transaction: a signed amount in the account's unit (fen or month)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_account", "account_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(8))


class ContributionMonthRow(Base):
    """One month of contribution to a scheme (pension, medical, unemployment); never counted twice."""

    __tablename__ = "contribution_months"
    __table_args__ = (
        UniqueConstraint("person_id", "scheme", "period", name="uq_contribution_month"),
        Index("ix_contribution_months_held", "person_id", "scheme", "held_region"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    scheme: Mapped[str] = mapped_column(String(16))
    period: Mapped[int] = mapped_column(Integer)  # year * 100 + month
    paid_region: Mapped[str] = mapped_column(String(6))
    held_region: Mapped[str] = mapped_column(String(6))
    base_fen: Mapped[int] = mapped_column(BigInteger)
    temporary: Mapped[bool] = mapped_column(Boolean, default=False)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))


class PensionRelationRow(Base):
    """Where a person's pension relationship is held, and the temporary account (临时缴费账户) if any."""

    __tablename__ = "pension_relations"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    region: Mapped[str] = mapped_column(String(6))
    temp_region: Mapped[str | None] = mapped_column(String(6))
    drawing_region: Mapped[str | None] = mapped_column(String(6))


class TransferRow(Base):
    """An inter-region transfer of one scheme: applied in the new place, released by the old, received."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transfer_no: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))
    from_region: Mapped[str] = mapped_column(String(6))
    to_region: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(16))
    applied_on: Mapped[date] = mapped_column(Date)
    amounts: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class SchoolRecordRow(Base):
    """One school year of a child's record (学籍), held by the region where the child is enrolled."""

    __tablename__ = "school_records"
    __table_args__ = (UniqueConstraint("person_id", "school_year", name="uq_school_record_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    school_year: Mapped[int] = mapped_column(Integer)
    grade: Mapped[int] = mapped_column(Integer)
    school: Mapped[str] = mapped_column(String(120))
    enrolled_region: Mapped[str] = mapped_column(String(6))
    held_region: Mapped[str] = mapped_column(String(6))


class VoucherRow(Base):
    """A service voucher (服务券) issued by a funding region, redeemed once by a provider where the holder lives."""

    __tablename__ = "vouchers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    voucher_no: Mapped[str] = mapped_column(String(sizes.VOUCHER_NO), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    service: Mapped[str] = mapped_column(String(sizes.VOUCHER_SERVICE))
    value_fen: Mapped[int] = mapped_column(BigInteger)
    issuer_region: Mapped[str] = mapped_column(String(6))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    provider: Mapped[str | None] = mapped_column(String(sizes.PROVIDER))
    provider_region: Mapped[str | None] = mapped_column(String(6))
    redeemed_on: Mapped[date | None] = mapped_column(Date)
    clearing_id: Mapped[int | None] = mapped_column(Integer)


class MedicalPolicyRow(Base):
    """The insured place's reimbursement policy (起付线, 支付比例, 最高支付限额) for cross-province treatment."""

    __tablename__ = "medical_policies"

    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    deductible_fen: Mapped[int] = mapped_column(BigInteger)
    rate_permille: Mapped[int] = mapped_column(Integer)
    cap_fen: Mapped[int] = mapped_column(BigInteger)
    temporary_cut_permille: Mapped[int] = mapped_column(Integer)
    unfiled_cut_permille: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(sizes.POLICY_SOURCE))


class MedicalCatalogueRow(Base):
    """One item of the treatment place's catalogue (就医地目录): class A/B/C and the self-pay share of class B."""

    __tablename__ = "medical_catalogue"

    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(sizes.ITEM_CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(sizes.ITEM_NAME))
    category: Mapped[str] = mapped_column(String(1))
    self_pay_permille: Mapped[int] = mapped_column(Integer)


class MedicalFilingRow(Base):
    """A filing (备案) for treatment outside the insured place: long-term (长期) or temporary (临时)."""

    __tablename__ = "medical_filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    insured_region: Mapped[str] = mapped_column(String(6))
    treatment_region: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(12))
    filed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)


class MedicalClaimRow(Base):
    """A directly settled cross-province hospital bill, waiting for or included in a fund clearing."""

    __tablename__ = "medical_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_no: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    insured_region: Mapped[str] = mapped_column(String(6))
    treatment_region: Mapped[str] = mapped_column(String(6))
    hospital: Mapped[str] = mapped_column(String(sizes.HOSPITAL))
    treated_on: Mapped[date] = mapped_column(Date)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    fund_fen: Mapped[int] = mapped_column(BigInteger)
    self_fen: Mapped[int] = mapped_column(BigInteger)
    clearing_id: Mapped[int | None] = mapped_column(Integer)


class AuditRow(Base):
    """One audit record: who, when, what and why, chained to the previous record of its chain by its hash."""

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("chain", "seq", name="uq_audit_log_chain_seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    chain: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)  # position in the chain, from 1
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(160))
    details: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(sizes.AUDIT_REASON))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # what the subject is (store/audit_subjects.py) and the fields that name it, as canonical JSON; hashed from
    # hash_version 2 on (records of version 1, written before, got theirs from their subject in migration 0012)
    subject_kind: Mapped[str] = mapped_column(String(16), server_default="other")
    subject_fields: Mapped[str] = mapped_column(Text, server_default="{}")
    hash_version: Mapped[int] = mapped_column(Integer, server_default="1")
    # the reason is text a person typed (a str given to audit.append), not one of REASONS; hashed from hash_version 3
    # on (records written before got theirs from migration 0015)
    reason_as_written: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuditHeadRow(Base):
    """One row per chain (id = chain number) holding its last hash and length: locked to append, read to detect
    truncation."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger)
