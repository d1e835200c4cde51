"""English names of prefecture-level regions (they were empty): filled where none is stored

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from changzhu.data.regions import region_names_en
from changzhu.domain.regions import RegionLevel

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REGIONS = sa.table("regions", sa.column("level", sa.String), sa.column("code", sa.String), sa.column("name_en"))


def upgrade() -> None:
    update = (
        _REGIONS.update()
        .where(_REGIONS.c.level == "prefecture", _REGIONS.c.code == sa.bindparam("b_code"))
        .where(_REGIONS.c.name_en.is_(None))
        .values(name_en=sa.bindparam("b_name"))
    )
    rows = [{"b_code": code, "b_name": name} for code, name in region_names_en(RegionLevel.PREFECTURE).iter_rows()]
    op.get_bind().execute(update, rows)


def downgrade() -> None:
    """The names stay: they were empty before, and a name given since cannot be told from one filled here."""
