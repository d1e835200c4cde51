"""Persistence: regions, population statistics, residents and their histories (SQLAlchemy 2 + Alembic)."""

from changzhu.registry.frames import moves_frame, person_frame

__all__ = ["moves_frame", "person_frame"]
