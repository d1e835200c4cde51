"""Every table the migrations create, on one MetaData: Alembic's env and the autogenerate test compare against it."""

from __future__ import annotations

from sqlalchemy import MetaData

from changzhu.store import (
    application_models,
    approval_models,
    auth_models,
    interregion_models,
    models,
    resident_models,
    scenario_models,
    siting_models,
)

# each registers its tables on Base
MODEL_MODULES = (
    models,
    resident_models,
    auth_models,
    interregion_models,
    approval_models,
    scenario_models,
    application_models,
    siting_models,
)


def metadata() -> MetaData:
    """The MetaData holding every table of every model module."""
    return models.Base.metadata
