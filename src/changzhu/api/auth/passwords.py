"""Password hashing with argon2id (argon2-cffi); only hashes are ever stored. The one password policy: at least
MIN_PASSWORD_LENGTH characters, and a chosen password is neither the user name nor the password it replaces."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from changzhu.domain.refusals import CodedError, RefusalCode, refusal

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("changzhu-no-such-user")


class WeakPassword(CodedError):
    """A new password that the policy refuses (too short, the user name, or the one it replaces)."""


def hash_password(password: str) -> str:
    """An argon2id hash of a password of at least MIN_PASSWORD_LENGTH characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(refusal(RefusalCode.PASSWORD_TOO_SHORT, limit=MIN_PASSWORD_LENGTH))
    return _hasher.hash(password)


def require_new_password_allowed(username: str, current: str, new: str) -> None:
    """Refuse a chosen password that is the account's user name or the password it replaces (the length is
    checked by hash_password)."""
    if new.strip().casefold() == username.casefold():
        raise WeakPassword(refusal(RefusalCode.PASSWORD_IS_USER_NAME))
    if new == current:
        raise WeakPassword(refusal(RefusalCode.PASSWORD_UNCHANGED))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an unknown user (None) is checked against a dummy hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
