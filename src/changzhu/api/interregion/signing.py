"""Signing and verifying 跨省通办 requests with Ed25519 over method, path, time and body digest."""

from __future__ import annotations

import hashlib
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from changzhu.api.errors import NotAuthenticated

REGION_HEADER = "X-Changzhu-Region"
TIME_HEADER = "X-Changzhu-Timestamp"
SIGNATURE_HEADER = "X-Changzhu-Signature"


def signing_text(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """What is signed: method, path, timestamp and the SHA-256 of the body, one per line."""
    return f"{method.upper()}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


def sign_request(key: Ed25519PrivateKey, region: str, method: str, path: str, body: bytes) -> dict[str, str]:
    """Headers that let the receiver check who sent `body` and that nothing changed on the way."""
    timestamp = str(int(time.time()))
    signature = key.sign(signing_text(method, path, timestamp, body)).hex()
    return {REGION_HEADER: region, TIME_HEADER: timestamp, SIGNATURE_HEADER: signature}


def verify_request(
    public_key: Ed25519PublicKey,
    method: str,
    path: str,
    body: bytes,
    timestamp: str,
    signature: str,
    max_age_seconds: int,
) -> None:
    """Raise NotAuthenticated unless the signature is valid and the timestamp is recent."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age_seconds:
        raise NotAuthenticated(f"request timestamp is missing or more than {max_age_seconds} s off")
    try:
        public_key.verify(bytes.fromhex(signature), signing_text(method, path, timestamp, body))
    except (InvalidSignature, ValueError) as exc:
        raise NotAuthenticated("request signature does not verify against the peer's key") from exc
