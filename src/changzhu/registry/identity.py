"""National identity numbers (公民身份号码, GB 11643-1999): validation, keyed look-up hash, encryption at rest.

A number is never stored or logged in clear: the database keeps an HMAC-SHA256 of it (for look-up) and an
AES-256-GCM ciphertext (to print it back to an authorised caseworker). Keys come from the environment
(CHANGZHU_ID_HASH_KEY, CHANGZHU_ID_ENC_KEY: 64 hex digits each) or, when both are unset, from a key file
`identity.key` in the data directory, generated on first use with a warning on stderr.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from changzhu.config import create_private_once, data_dir
from changzhu.domain.masking import mask
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.errors import ChangzhuError

HASH_KEY_ENV = "CHANGZHU_ID_HASH_KEY"
ENC_KEY_ENV = "CHANGZHU_ID_ENC_KEY"
KEY_FILE_NAME = "identity.key"
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level prefixes (incl. 71 Taiwan, 81 Hong Kong, 82 Macao used by some issuing schemes).
_PROVINCE_PREFIXES = frozenset(
    ("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82").split()  # noqa: SIM905
)
_CIPHER_VERSION = b"\x01"


class InvalidIdNumber(ChangzhuError, ValueError):
    """An identity number that fails GB 11643-1999 (length, region, birth date or check digit): the message is the
    English of `refusal`, which an import's report gives in both languages."""

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal
        super().__init__(refusal.en)


class IdentityKeyError(ChangzhuError):
    """Identity keys are malformed, or a ciphertext cannot be decrypted with the configured key."""


class IdentityKeyMismatch(IdentityKeyError):
    """A stored ciphertext the configured key cannot decrypt: the server runs with another key than the one that
    encrypted its data (an operator's misconfiguration; the API answers 500 identity_key_mismatch)."""


@dataclass(frozen=True)
class IdNumber:
    """A validated 18-character identity number and what it encodes."""

    value: str
    region_code: str
    birth_date: date
    sex: str  # "M" (odd sequence digit) or "F" (even)

    def masked(self) -> str:
        """The number with all but the first two and last two characters hidden, for display."""
        return mask(self.value)


_ID_FORM = re.compile(r"[0-9]{17}[0-9X]")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+")


def _as_a_number(value: str) -> bool:
    """Whether an 18-digit number reads as a spreadsheet's number cell: Excel keeps 15 significant digits (the rest
    written 000) and a workbook holds a double (an integer this large only to a multiple of 64)."""
    return value.isdigit() and (value.endswith("000") or float(int(value)) == int(value))


def check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate an identity number; the error names what is wrong without echoing the number."""
    # full-width digits and Ｘ (a Chinese input method's) are the same characters: NFKC makes them ASCII
    value = unicodedata.normalize("NFKC", raw).strip().upper() if isinstance(raw, str) else ""
    if _SCIENTIFIC.fullmatch(value):  # 5.10104E+17: a spreadsheet showed, or saved, the number as a number
        raise InvalidIdNumber(refusal(RefusalCode.ID_AS_NUMBER))
    if not _ID_FORM.fullmatch(value):
        raise InvalidIdNumber(refusal(RefusalCode.ID_NOT_18))
    if value[:2] not in _PROVINCE_PREFIXES:
        raise InvalidIdNumber(refusal(RefusalCode.ID_REGION, prefix=value[:2]))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(refusal(RefusalCode.ID_BIRTH_DIGITS)) from exc
    if born.year < 1900 or born > (today or date.today()):
        raise InvalidIdNumber(refusal(RefusalCode.ID_BIRTH_RANGE))
    if check_char(value[:17]) != value[17]:
        code = RefusalCode.ID_CHECK_DIGIT_AS_NUMBER if _as_a_number(value) else RefusalCode.ID_CHECK_DIGIT
        raise InvalidIdNumber(refusal(code))
    return IdNumber(value, value[:6], born, "M" if int(value[16]) % 2 else "F")


@dataclass(frozen=True)
class IdentityKeys:
    """The HMAC key for look-up and the AES-GCM key for encryption (32 bytes each)."""

    hash_key: bytes
    enc_key: bytes
    source: str

    def lookup_hash(self, number: IdNumber) -> str:
        """Keyed hash used to find a person by number without storing the number."""
        return hmac.new(self.hash_key, number.value.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, number: IdNumber) -> bytes:
        """Version byte, 12-byte nonce and ciphertext; the look-up hash is bound in as associated data."""
        nonce = secrets.token_bytes(12)
        aad = self.lookup_hash(number).encode()
        return _CIPHER_VERSION + nonce + AESGCM(self.enc_key).encrypt(nonce, number.value.encode(), aad)

    def decrypt(self, blob: bytes, lookup_hash: str) -> str:
        """The clear number, for an authorised display; fails if the key or the row was tampered with."""
        if blob[:1] != _CIPHER_VERSION:
            raise IdentityKeyError("identity ciphertext has an unknown version")
        try:
            return AESGCM(self.enc_key).decrypt(blob[1:13], blob[13:], lookup_hash.encode()).decode()
        except InvalidTag as exc:
            raise IdentityKeyMismatch("identity ciphertext cannot be decrypted with the configured key") from exc


def _parse_key(text: str, name: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise IdentityKeyError(f"{name} must be 64 hexadecimal digits (32 bytes)") from exc
    if len(key) != 32:
        raise IdentityKeyError(f"{name} must be 64 hexadecimal digits (32 bytes), got {len(key)} bytes")
    return key


def _key_file_keys(path: Path) -> IdentityKeys:
    if not path.exists():
        created = create_private_once(path, f"{secrets.token_hex(32)}\n{secrets.token_hex(32)}\n".encode())
        if created:
            print(
                f"warning: generated identity keys in {path}; keep this file (without it stored identity numbers "
                f"cannot be read or found) or set {HASH_KEY_ENV} and {ENC_KEY_ENV} in production",
                file=sys.stderr,
            )
    lines = path.read_text().split()
    if len(lines) != 2:
        raise IdentityKeyError(f"identity key file {path} must hold two lines of 64 hex digits")
    return IdentityKeys(_parse_key(lines[0], f"{path} line 1"), _parse_key(lines[1], f"{path} line 2"), str(path))


def identity_keys() -> IdentityKeys:
    """Keys from CHANGZHU_ID_HASH_KEY / CHANGZHU_ID_ENC_KEY, else from <data dir>/identity.key."""
    hash_text, enc_text = os.environ.get(HASH_KEY_ENV), os.environ.get(ENC_KEY_ENV)
    if hash_text and enc_text:
        return IdentityKeys(_parse_key(hash_text, HASH_KEY_ENV), _parse_key(enc_text, ENC_KEY_ENV), "environment")
    if hash_text or enc_text:
        raise IdentityKeyError(f"set both {HASH_KEY_ENV} and {ENC_KEY_ENV}, or neither (to use the key file)")
    return _key_file_keys(data_dir() / KEY_FILE_NAME)
