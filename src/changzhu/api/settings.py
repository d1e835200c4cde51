"""Settings of the service, read from the environment (CHANGZHU_*) with safe defaults."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from changzhu.api.keys import load_or_create_secret
from changzhu.config import data_dir, database_url, scenarios_dir
from changzhu.domain.regions import validate_code
from changzhu.errors import ChangzhuError
from changzhu.rules.scenario import Scenario, load_scenario

JWT_SECRET_ENV = "CHANGZHU_JWT_SECRET"
TOKEN_TTL_ENV = "CHANGZHU_TOKEN_TTL_SECONDS"
MAX_BODY_ENV = "CHANGZHU_MAX_BODY_BYTES"
INSTANCE_REGION_ENV = "CHANGZHU_INSTANCE_REGION"
KEYS_DIR_ENV = "CHANGZHU_KEYS_DIR"
STATEMENT_TIMEOUT_ENV = "CHANGZHU_DB_STATEMENT_TIMEOUT_MS"
CONNECT_TIMEOUT_ENV = "CHANGZHU_DB_CONNECT_TIMEOUT_S"
TRUSTED_PROXIES_ENV = "CHANGZHU_TRUSTED_PROXIES"
CONTROLS_SCENARIO_ENV = "CHANGZHU_CONTROLS_SCENARIO"
ONE_TIME_HOURS_ENV = "CHANGZHU_ONE_TIME_HOURS"


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


def _addresses(raw: str) -> frozenset[str]:
    """Comma-separated IP addresses (CHANGZHU_TRUSTED_PROXIES), each checked."""
    found = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            found.add(str(ipaddress.ip_address(part)))
        except ValueError as exc:
            raise SettingsError(f"{TRUSTED_PROXIES_ENV}: {part!r} is not an IP address") from exc
    return frozenset(found)


def _controls_scenario(path: str | None) -> Scenario | None:
    """The scenario file overriding the financial controls (CHANGZHU_CONTROLS_SCENARIO), checked at start-up."""
    if not path:
        return None
    from changzhu.rules.catalog import policies_in_use

    scenario = load_scenario(path)
    policies_in_use().check_scenario(scenario)
    return scenario


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
    one_time_hours: int = 72  # how long an activation code (a one-time password staff hand over) works
    max_body_bytes: int = 1_000_000
    login_attempts: int = 5
    login_window_seconds: int = 60
    instance_region: str | None = None
    signature_max_age_seconds: int = 300
    scenarios_dir: Path | None = None
    db_statement_timeout_ms: int = 5000
    db_connect_timeout_s: int = 5
    trusted_proxies: frozenset[str] = frozenset()
    controls_scenario: Scenario | None = None

    @classmethod
    def from_env(cls, url: str | None = None) -> ApiSettings:
        """Settings from CHANGZHU_* variables; the JWT secret is CHANGZHU_JWT_SECRET or a generated key file."""
        keys = keys_dir()
        secret_text = os.environ.get(JWT_SECRET_ENV)
        if secret_text is not None and len(secret_text) < 32:
            raise SettingsError(f"{JWT_SECRET_ENV} must be at least 32 characters long")
        secret = secret_text.encode() if secret_text else load_or_create_secret(keys / "jwt_secret")
        region = os.environ.get(INSTANCE_REGION_ENV) or None
        controls = os.environ.get(CONTROLS_SCENARIO_ENV)
        if region is not None:
            validate_code(region)
        return cls(
            database_url=url or database_url(),
            jwt_secret=secret,
            keys_dir=keys,
            token_ttl_seconds=_int_env(TOKEN_TTL_ENV, 900, 30),
            one_time_hours=_int_env(ONE_TIME_HOURS_ENV, 72, 1),
            max_body_bytes=_int_env(MAX_BODY_ENV, 1_000_000, 1024),
            instance_region=region,
            scenarios_dir=scenarios_dir(),
            db_statement_timeout_ms=_int_env(STATEMENT_TIMEOUT_ENV, 5000, 100),
            db_connect_timeout_s=_int_env(CONNECT_TIMEOUT_ENV, 5, 1),
            trusted_proxies=_addresses(os.environ.get(TRUSTED_PROXIES_ENV, "")),
            controls_scenario=_controls_scenario(controls),
        )
