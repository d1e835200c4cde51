"""regions, agglomerations and population statistics

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("name_zh", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(64), nullable=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("regions.id"), nullable=True),
        sa.Column("division_type", sa.String(40), nullable=False),
        sa.Column("city_size_class", sa.String(16), nullable=True),
        sa.Column("city_size_basis", sa.String(40), nullable=True),
        sa.Column("urban_area_pop_proxy", sa.BigInteger(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("level", "code", name="uq_regions_level_code"),
    )
    op.create_index("ix_regions_level", "regions", ["level"])
    op.create_index("ix_regions_code", "regions", ["code"])
    op.create_index("ix_regions_parent_id", "regions", ["parent_id"])
    op.create_table(
        "agglomerations",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("name_zh", sa.String(64), nullable=False),
        sa.Column("name_en", sa.String(96), nullable=False),
        sa.Column("source", sa.String(400), nullable=False),
    )
    op.create_table(
        "agglomeration_members",
        sa.Column("agglomeration_id", sa.String(16), sa.ForeignKey("agglomerations.id"), primary_key=True),
        sa.Column("region_id", sa.Integer(), sa.ForeignKey("regions.id"), primary_key=True),
        sa.Column("membership", sa.String(16), nullable=False),
    )
    counts = [
        "pop_urban",
        "pop_rural",
        "renhu_fenli",
        "hukou_elsewhere_same_county",
        "hukou_elsewhere_other_county_same_prov",
        "interprov_in_migrants",
        "pop_age_0_4",
        "pop_age_5_14",
        "pop_age_0_14",
        "pop_age_65plus",
        "pop_registered",
        "registered_living_elsewhere",
        "interprov_out_migrants",
    ]
    op.create_table(
        "population_stats",
        sa.Column("region_id", sa.Integer(), sa.ForeignKey("regions.id"), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("pop_resident", sa.BigInteger(), nullable=False),
        *[sa.Column(name, sa.BigInteger(), nullable=True) for name in counts],
    )


def downgrade() -> None:
    op.drop_table("population_stats")
    op.drop_table("agglomeration_members")
    op.drop_table("agglomerations")
    op.drop_index("ix_regions_parent_id", table_name="regions")
    op.drop_index("ix_regions_code", table_name="regions")
    op.drop_index("ix_regions_level", table_name="regions")
    op.drop_table("regions")
