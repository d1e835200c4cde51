"""The changzhu service: a FastAPI app under /api/v1 with auth scoped to jurisdictions, and the office."""

from changzhu.api.app import create_app
from changzhu.api.settings import ApiSettings

__all__ = ["ApiSettings", "create_app"]
