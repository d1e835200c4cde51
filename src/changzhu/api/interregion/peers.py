"""Registering the peer instances this one trusts."""

from __future__ import annotations

from urllib.parse import urlparse

from sqlalchemy import Engine

from changzhu.api.keys import PEER_KEY_COMMAND, KeyFileError, own_public_key, parse_public_key
from changzhu.api.settings import keys_dir
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.regions import validate_code
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import PeerRow


class InvalidPeer(CodedError):
    """A peer with a bad URL."""


def checked_peer(region: str, base_url: str, public_key: str, *, own_key: str | None = None) -> PeerRow:
    """The peer serving `region` as it would be stored, every part checked first (nothing stored, nothing made:
    the CLI checks before it opens the store). Refused: a region code not of six digits, a URL not
    http(s)://host[:port], a key not 64 hex digits, and this instance's own public key (`own_key`, by default the
    one of its signing key in the keys directory) as the peer's, which would accept as the peer's what this
    instance signed and leave the peer's own messages unverifiable. Before this instance has a signing key
    (`changzhu peer key` and the server make it) no key given can be its own."""
    validate_code(region)
    parse_public_key(public_key)
    own = own_key if own_key is not None else own_public_key(keys_dir())
    if own is not None and public_key.lower() == own.lower():
        raise KeyFileError(refusal(RefusalCode.PEER_KEY_IS_OWN, region=region, command=PEER_KEY_COMMAND))
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidPeer(refusal(RefusalCode.PEER_URL_FORM, url=base_url))
    return PeerRow(region_code=region, base_url=base_url.rstrip("/"), public_key=public_key.lower())


def add_peer(engine: Engine, region: str, base_url: str, public_key: str, *, own_key: str | None = None) -> None:
    """Add or replace the peer serving `region`, refused as `checked_peer` refuses."""
    row = checked_peer(region, base_url, public_key, own_key=own_key)
    with session_scope(engine) as session:
        session.merge(row)
