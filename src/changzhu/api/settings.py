"""Settings of the service, read from the environment (CHANGZHU_*) with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from changzhu.api.keys import load_or_create_secret
from changzhu.config import data_dir, database_url
from changzhu.domain.regions import validate_code
from changzhu.errors import ChangzhuError

JWT_SECRET_ENV = "CHANGZHU_JWT_SECRET"
TOKEN_TTL_ENV = "CHANGZHU_TOKEN_TTL_SECONDS"
MAX_BODY_ENV = "CHANGZHU_MAX_BODY_BYTES"
INSTANCE_REGION_ENV = "CHANGZHU_INSTANCE_REGION"
KEYS_DIR_ENV = "CHANGZHU_KEYS_DIR"
SCENARIOS_DIR_ENV = "CHANGZHU_SCENARIOS_DIR"


class SettingsError(ChangzhuError):
    """A CHANGZHU_* setting has a value the service cannot use."""


def _int_env(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from exc
    if value < minimum:
        raise SettingsError(f"{name}={value} must be at least {minimum}")
    return value


def keys_dir() -> Path:
    """Where the service keeps its secrets (CHANGZHU_KEYS_DIR, default <data dir>/keys)."""
    return Path(os.environ.get(KEYS_DIR_ENV) or data_dir() / "keys")


@dataclass(frozen=True)
class ApiSettings:
    """Everything the app factory needs; build one with `from_env()` or directly in tests."""

    database_url: str
    jwt_secret: bytes = field(repr=False)
    keys_dir: Path
    token_ttl_seconds: int = 900
    max_body_bytes: int = 1_000_000
    login_attempts: int = 5
    login_window_seconds: int = 60
    instance_region: str | None = None
    signature_max_age_seconds: int = 300
    scenarios_dir: Path | None = None

    @classmethod
    def from_env(cls, url: str | None = None) -> ApiSettings:
        """Settings from CHANGZHU_* variables; the JWT secret is CHANGZHU_JWT_SECRET or a generated key file."""
        keys = keys_dir()
        secret_text = os.environ.get(JWT_SECRET_ENV)
        if secret_text is not None and len(secret_text) < 32:
            raise SettingsError(f"{JWT_SECRET_ENV} must be at least 32 characters long")
        secret = secret_text.encode() if secret_text else load_or_create_secret(keys / "jwt_secret")
        region = os.environ.get(INSTANCE_REGION_ENV) or None
        if region is not None:
            validate_code(region)
        return cls(
            database_url=url or database_url(),
            jwt_secret=secret,
            keys_dir=keys,
            token_ttl_seconds=_int_env(TOKEN_TTL_ENV, 900, 30),
            max_body_bytes=_int_env(MAX_BODY_ENV, 1_000_000, 1024),
            instance_region=region,
            scenarios_dir=Path(os.environ.get(SCENARIOS_DIR_ENV) or "scenarios"),
        )
