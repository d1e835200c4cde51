"""Registering the peer instances this one trusts."""

from __future__ import annotations

from urllib.parse import urlparse

from sqlalchemy import Engine

from changzhu.api.keys import parse_public_key
from changzhu.domain.regions import validate_code
from changzhu.errors import ChangzhuError
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import PeerRow


class InvalidPeer(ChangzhuError):
    """A peer with a bad URL."""


def add_peer(engine: Engine, region: str, base_url: str, public_key: str) -> None:
    """Add or replace the peer serving `region`."""
    validate_code(region)
    parse_public_key(public_key)
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidPeer(f"peer URL {base_url!r} must be http(s)://host[:port]")
    with session_scope(engine) as session:
        session.merge(PeerRow(region_code=region, base_url=base_url.rstrip("/"), public_key=public_key.lower()))
