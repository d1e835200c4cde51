"""Secrets kept in files readable only by the service user: the token secret and the Ed25519 signing key."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from changzhu.config import create_private_once
from changzhu.domain.refusals import CodedError, RefusalCode, refusal

PEER_KEY_COMMAND = "`changzhu peer key`"  # prints an instance's public key


SIGNING_KEY_FILE = "instance_ed25519.pem"  # this instance's 跨省通办 signing key, in the keys directory


class KeyFileError(CodedError):
    """A key file is missing, unreadable, too open, or not a key."""


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    create_private_once(path, data)


def _read_private(path: Path) -> bytes:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyFileError(
            refusal(RefusalCode.KEY_FILE_OPEN, path=str(path), mode=f"{mode:o}", command=f"chmod 600 {path}")
        )
    return path.read_bytes()


def load_or_create_secret(path: Path) -> bytes:
    """A 32-byte random secret kept in `path` (created with mode 600 on first use)."""
    if not path.exists():
        _write_private(path, secrets.token_hex(32).encode())
    data = _read_private(path).strip()
    if len(data) < 32:
        raise KeyFileError(refusal(RefusalCode.KEY_FILE_SHORT, path=str(path)))
    return data


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """This instance's Ed25519 key for signing 跨省通办 requests (PEM, created with mode 600 on first use)."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_private(path, pem)
    try:
        loaded = serialization.load_pem_private_key(_read_private(path), password=None)
    except ValueError as exc:
        raise KeyFileError(refusal(RefusalCode.KEY_FILE_NOT_KEY, path=str(path))) from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise KeyFileError(refusal(RefusalCode.KEY_FILE_NOT_KEY, path=str(path)))
    return loaded


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The raw public key as 64 hex characters, the form peers are configured with."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def own_public_key(keys_dir: Path) -> str | None:
    """This instance's public key (64 hex characters) from its signing key in `keys_dir`; None before it has one."""
    path = keys_dir / SIGNING_KEY_FILE
    return public_key_text(load_or_create_signing_key(path)) if path.exists() else None


def parse_public_key(text: str) -> Ed25519PublicKey:
    """A peer's public key from its 64 hex characters."""
    try:
        raw = bytes.fromhex(text)
    except ValueError as exc:
        raise KeyFileError(refusal(RefusalCode.PEER_KEY_NOT_HEX, given=text[:16], command=PEER_KEY_COMMAND)) from exc
    if len(raw) != 32:
        raise KeyFileError(refusal(RefusalCode.PEER_KEY_LENGTH, digits=2 * len(raw), command=PEER_KEY_COMMAND))
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(public_key: str) -> str:
    """A public key (64 hex digits) as two operators compare it by reading it out: the first 16 hex digits of the
    SHA-256 of its 32 bytes, in groups of four ("3f2a 9b1c 0d4e 7f60")."""
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))
