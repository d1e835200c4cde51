"""SQLAlchemy models of regions, agglomerations and population statistics."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every changzhu table."""


class RegionRow(Base):
    """An administrative division (GB/T 2260) at one level; (level, code) is unique."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("level", "code", name="uq_regions_level_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    division_type: Mapped[str] = mapped_column(String(40))
    city_size_class: Mapped[str | None] = mapped_column(String(16))
    city_size_basis: Mapped[str | None] = mapped_column(String(40))
    urban_area_pop_proxy: Mapped[int | None] = mapped_column(BigInteger)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    current: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[RegionRow | None] = relationship(remote_side=[id])


class AgglomerationRow(Base):
    """An urban agglomeration (城市群) defined by a national plan."""

    __tablename__ = "agglomerations"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(96))
    source: Mapped[str] = mapped_column(String(400))


class AgglomerationMemberRow(Base):
    """A prefecture-level member of an agglomeration (core area or wider plan area)."""

    __tablename__ = "agglomeration_members"

    agglomeration_id: Mapped[str] = mapped_column(ForeignKey("agglomerations.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), primary_key=True)
    membership: Mapped[str] = mapped_column(String(16))


class PopulationStatRow(Base):
    """Population of a region in a year, on the resident basis (常住) and, where loaded, the registered (户籍)."""

    __tablename__ = "population_stats"

    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    # resident basis (常住人口)
    pop_resident: Mapped[int] = mapped_column(BigInteger)
    pop_urban: Mapped[int | None] = mapped_column(BigInteger)
    pop_rural: Mapped[int | None] = mapped_column(BigInteger)
    renhu_fenli: Mapped[int | None] = mapped_column(BigInteger)  # 人户分离
    hukou_elsewhere_same_county: Mapped[int | None] = mapped_column(BigInteger)
    hukou_elsewhere_other_county_same_prov: Mapped[int | None] = mapped_column(BigInteger)
    interprov_in_migrants: Mapped[int | None] = mapped_column(BigInteger)  # 跨省流入
    pop_age_0_4: Mapped[int | None] = mapped_column(BigInteger)
    pop_age_5_14: Mapped[int | None] = mapped_column(BigInteger)
    pop_age_0_14: Mapped[int | None] = mapped_column(BigInteger)
    pop_age_65plus: Mapped[int | None] = mapped_column(BigInteger)
    # registered basis (户籍人口): empty in the shipped data, filled when a user loads it
    pop_registered: Mapped[int | None] = mapped_column(BigInteger)
    registered_living_elsewhere: Mapped[int | None] = mapped_column(BigInteger)  # 户籍外出
    interprov_out_migrants: Mapped[int | None] = mapped_column(BigInteger)  # 跨省流出
