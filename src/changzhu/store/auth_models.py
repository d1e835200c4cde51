"""Tables of accounts (argon2 hashes only), roles and jurisdiction scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from changzhu.domain import field_sizes as sizes
from changzhu.store.models import Base
from changzhu.store.resident_models import PersonRow


class RoleRow(Base):
    """One of the five roles."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    description: Mapped[str] = mapped_column(String(200))


class UserRow(Base):
    """An account: a unique name, an argon2 hash, one role, and for a resident the person it is; an account
    holding a one-time password must change it before doing anything else (`must_change_password`), and one the
    service generated (an activation code handed over by staff) stops working at `one_time_until`."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(sizes.USERNAME), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(ForeignKey("roles.name"))
    display_name: Mapped[str | None] = mapped_column(String(sizes.DISPLAY_NAME))
    person_id: Mapped[int | None] = mapped_column(ForeignKey(PersonRow.id), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    one_time_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    scopes: Mapped[list[UserScopeRow]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserScopeRow(Base):
    """A jurisdiction a user may act in: a province, prefecture or county code, or 000000 for the country."""

    __tablename__ = "user_scopes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
