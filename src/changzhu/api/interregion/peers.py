"""Registering the peer instances this one trusts.

A peer is the instance of one province (a shipped GB/T 2260 province code, xx0000): a transfer is addressed to the
instance of the destination city's province (`transfer.pack` refuses a city outside it), the receiver takes in only
what is addressed to its own CHANGZHU_INSTANCE_REGION, and the checks that follow a person back and forth compare
provinces. A prefecture or county code, a code the shipped regions do not hold (440001) and this instance's own
province are refused.

Registering a region that is registered already with another key or URL is a change of whom this instance trusts:
refused unless asked for on purpose (`replace_by`, an administrator of this instance's region), and then recorded in
the audit log with both keys' fingerprints and URLs, in the same transaction as the change. Messages verified with
the old key stay as they were taken in (nothing is ever verified again); every request from then on is verified with
the new key, and pending messages go to the new URL at their next delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlparse

from sqlalchemy import Engine, select

from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import NATIONAL_SCOPE, Role
from changzhu.api.keys import PEER_KEY_COMMAND, KeyFileError, fingerprint, own_public_key, parse_public_key
from changzhu.api.settings import keys_dir
from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.regions import province_code_of, validate_code
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import PeerRow
from changzhu.store.txn import write_session
from changzhu.tables.vocab import shipped_region_index

REPLACED_ACTION = "peer_replaced"  # the audit record of a peer's key or URL replaced


class InvalidPeer(CodedError):
    """A peer with a bad URL, a region that is no province of the shipped regions, or one registered already."""


class Added(StrEnum):
    """What `add_peer` did."""

    ADDED = "added"  # a region not registered before
    UNCHANGED = "unchanged"  # registered already with this very key and URL: nothing written
    REPLACED = "replaced"  # registered with another key or URL, replaced on purpose and audited


@dataclass(frozen=True)
class PeerChange:
    """What `add_peer` did, and the peer as it was before (None: not registered)."""

    outcome: Added
    before: PeerRow | None


def _checked_region(region: str, own_region: str | None) -> None:
    """Refuse a region that is not a province of the shipped regions, or is this instance's own province."""
    validate_code(region)
    index = shipped_region_index()
    province = province_code_of(region)
    if region not in index.codes[None]:
        example = province if province in index.codes["province"] else "440000"
        raise InvalidPeer(refusal(RefusalCode.PEER_REGION_UNKNOWN, code=region, example=example))
    if region not in index.codes["province"]:
        raise InvalidPeer(refusal(RefusalCode.PEER_REGION_NOT_PROVINCE, region=region, province=province))
    if own_region and province_code_of(own_region) == region:
        raise InvalidPeer(refusal(RefusalCode.PEER_REGION_IS_OWN, region=region))


def checked_peer(
    region: str, base_url: str, public_key: str, *, own_key: str | None = None, own_region: str | None = None
) -> PeerRow:
    """The peer serving `region` as it would be stored, every part checked first (nothing stored, nothing made:
    the CLI checks before it opens the store). Refused: a region code not of six digits, one the shipped regions
    do not hold, one that is not a province, this instance's own province (`own_region`: the CLI gives
    CHANGZHU_INSTANCE_REGION, the simulation each node's; None: not known, not checked), a URL not
    http(s)://host[:port], a key not 64 hex digits, and this instance's own public key (`own_key`, by default the
    one of its signing key in the keys directory) as the peer's, which would accept as the peer's what this
    instance signed and leave the peer's own messages unverifiable. Before this instance has a signing key
    (`changzhu peer key` and the server make it) no key given can be its own."""
    _checked_region(region, own_region)
    parse_public_key(public_key)
    own = own_key if own_key is not None else own_public_key(keys_dir())
    if own is not None and public_key.lower() == own.lower():
        raise KeyFileError(refusal(RefusalCode.PEER_KEY_IS_OWN, region=region, command=PEER_KEY_COMMAND))
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidPeer(refusal(RefusalCode.PEER_URL_FORM, url=base_url))
    return PeerRow(region_code=region, base_url=base_url.rstrip("/"), public_key=public_key.lower())


def _may_replace(principal: Principal, own_region: str | None) -> None:
    """An administrator of this instance's region (the whole country's when it has none set)."""
    principal.require_role(Role.ADMINISTRATOR)
    principal.require_region(own_region or NATIONAL_SCOPE)


def add_peer(
    engine: Engine,
    region: str,
    base_url: str,
    public_key: str,
    *,
    own_key: str | None = None,
    own_region: str | None = None,
    replace_by: Principal | None = None,
) -> PeerChange:
    """Register the peer serving `region`, refused as `checked_peer` refuses. A region registered already with the
    same key and URL is left as it is; with another key or URL it is refused (both fingerprints named) unless
    `replace_by` is given: then that administrator's replacement is stored and audited in one transaction. A refusal
    writes nothing."""
    row = checked_peer(region, base_url, public_key, own_key=own_key, own_region=own_region)
    with write_session(engine) as session:
        found = session.get(PeerRow, region)
        before = (
            None if found is None else PeerRow(region_code=region, base_url=found.base_url, public_key=found.public_key)
        )
        if found is None:
            session.add(row)
            return PeerChange(Added.ADDED, None)
        if (found.public_key, found.base_url) == (row.public_key, row.base_url):
            return PeerChange(Added.UNCHANGED, before)
        if replace_by is None:
            raise InvalidPeer(
                refusal(
                    RefusalCode.PEER_ALREADY_REGISTERED,
                    region=region,
                    old_url=found.base_url,
                    old_fingerprint=fingerprint(found.public_key),
                    new_url=row.base_url,
                    new_fingerprint=fingerprint(row.public_key),
                    replace="--replace",
                    as_option="--as",
                )
            )
        _may_replace(replace_by, own_region)
        audit.append(
            session,
            actor=f"user:{replace_by.username}",
            action=REPLACED_ACTION,
            subject=audit_subjects.region(region),
            details={
                "old_fingerprint": fingerprint(found.public_key),
                "new_fingerprint": fingerprint(row.public_key),
                "old_public_key": found.public_key,
                "new_public_key": row.public_key,
                "old_url": found.base_url,
                "new_url": row.base_url,
            },
            reason=because(
                "peer_replaced",
                old=fingerprint(found.public_key),
                new=fingerprint(row.public_key),
                old_url=found.base_url,
                new_url=row.base_url,
            ),
        )
        found.public_key, found.base_url = row.public_key, row.base_url
    return PeerChange(Added.REPLACED, before)


def list_peers(engine: Engine) -> list[PeerRow]:
    """Every registered peer, by region code."""
    with session_scope(engine) as session:
        return list(session.scalars(select(PeerRow).order_by(PeerRow.region_code)))
