"""typed facts of residents (person_attributes), moved out of the persons.attributes JSON column

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSONS = sa.table("persons", sa.column("id", sa.Integer()), sa.column("attributes", sa.JSON()))


def _attributes() -> sa.TableClause:
    return sa.table(
        "person_attributes",
        sa.column("person_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("value_bool", sa.Boolean()),
        sa.column("value_int", sa.BigInteger()),
        sa.column("value_number", sa.Float()),
        sa.column("value_text", sa.String()),
    )


def _row(person_id: int, name: str, value: object) -> dict[str, object]:
    """A JSON attribute as a typed row (JSON holds booleans, integers, numbers and text only)."""
    row: dict[str, object] = {
        "person_id": person_id,
        "name": name,
        "value_bool": None,
        "value_int": None,
        "value_number": None,
        "value_text": None,
    }
    if isinstance(value, bool):
        return {**row, "kind": "bool", "value_bool": value}
    if isinstance(value, int):
        return {**row, "kind": "integer", "value_int": value}
    if isinstance(value, float):
        return {**row, "kind": "number", "value_number": value}
    return {**row, "kind": "text", "value_text": str(value)}


def upgrade() -> None:
    op.create_table(
        "person_attributes",
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value_bool", sa.Boolean(), nullable=True),
        sa.Column("value_int", sa.BigInteger(), nullable=True),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("value_text", sa.String(200), nullable=True),
    )
    bind = op.get_bind()
    rows = [
        _row(pid, name, value)
        for pid, attributes in bind.execute(sa.select(PERSONS.c.id, PERSONS.c.attributes))
        for name, value in (attributes or {}).items()
        if value is not None
    ]
    if rows:
        op.bulk_insert(_attributes(), rows)
    op.drop_column("persons", "attributes")  # SQLite 3.35+ drops a plain column in place (no table rebuild)


def downgrade() -> None:
    op.add_column("persons", sa.Column("attributes", sa.JSON(), nullable=False, server_default="{}"))
    bind = op.get_bind()
    table = _attributes()
    found: dict[int, dict[str, object]] = {}
    for pid, name, kind, b, i, n, t in bind.execute(sa.select(*table.c)):
        found.setdefault(pid, {})[name] = {"bool": b, "integer": i, "number": n}.get(kind, t)
    for pid, attributes in found.items():
        bind.execute(sa.update(PERSONS).where(PERSONS.c.id == pid).values(attributes=attributes))
    op.drop_table("person_attributes")
