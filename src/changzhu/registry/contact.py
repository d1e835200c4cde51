"""A resident's name and phone number: normalised, kept as an AES-GCM ciphertext and found by a keyed hash.

The keys are the identity keys (registry/identity.py); each kind of value hashes under its own label, so a
name's hash can never be matched against an identity number's or a phone number's. Names are normalised (NFKC,
no spaces: 张 三 and 张三 are one name) and phone numbers reduced to their eleven mainland digits before hashing,
so a search finds a person by an exact match of the normalised text, never by scanning clear text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.registry.identity import IdentityKeyError, IdentityKeyMismatch, IdentityKeys, identity_keys
from changzhu.store.checks import RegistryError

ContactKind = Literal["name", "phone"]
CONTACT_KINDS: tuple[ContactKind, ...] = ("name", "phone")
NAME_MAX = 50
_VERSION = b"\x01"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class InvalidContact(RegistryError):
    """A name or phone number that cannot be stored (empty, too long, not a mainland mobile number): the message
    is `refusal` in Chinese and English."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(f"{refusal.zh} / {refusal.en}")
        self.refusal = refusal


def normalise_name(text: str) -> str:
    """NFKC form without any white space (full-width letters and spaces fold to their plain forms)."""
    name = "".join(unicodedata.normalize("NFKC", text).split())
    if not name or len(name) > NAME_MAX or any(unicodedata.category(c).startswith("C") for c in name):
        raise InvalidContact(refusal(RefusalCode.NAME_LENGTH, limit=NAME_MAX))
    return name


def normalise_phone(text: str) -> str:
    """The eleven digits of a mainland mobile number (spaces, dashes and a +86 / 0086 prefix dropped)."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", text))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
    if not _MOBILE.match(digits):
        raise InvalidContact(refusal(RefusalCode.PHONE_FORM))
    return digits


def normalise(kind: ContactKind, text: str) -> str:
    """The normalised form of a name or phone number."""
    return normalise_name(text) if kind == "name" else normalise_phone(text)


def contact_hash(kind: ContactKind, normalised: str, keys: IdentityKeys | None = None) -> str:
    """The keyed look-up hash of a normalised name or phone number."""
    key = (keys or identity_keys()).hash_key
    return hmac.new(key, f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SealedContact:
    """A value as stored: its look-up hash and its ciphertext (the hash is bound in as associated data)."""

    lookup: str
    cipher: bytes


def seal(kind: ContactKind, text: str, keys: IdentityKeys | None = None) -> SealedContact:
    """Normalise, hash and encrypt a name or phone number for storage."""
    keys = keys or identity_keys()
    value = normalise(kind, text)
    lookup = contact_hash(kind, value, keys)
    nonce = secrets.token_bytes(12)
    return SealedContact(
        lookup, _VERSION + nonce + AESGCM(keys.enc_key).encrypt(nonce, value.encode(), lookup.encode())
    )


def unseal(blob: bytes | None, lookup: str | None, keys: IdentityKeys | None = None) -> str | None:
    """The clear value of a stored name or phone number (None when none is stored)."""
    if blob is None or lookup is None:
        return None
    if blob[:1] != _VERSION:
        raise IdentityKeyError("contact ciphertext has an unknown version")
    try:
        return AESGCM((keys or identity_keys()).enc_key).decrypt(blob[1:13], blob[13:], lookup.encode()).decode()
    except InvalidTag as exc:
        raise IdentityKeyMismatch("contact ciphertext cannot be decrypted with the configured key") from exc
