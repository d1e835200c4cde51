"""Short-lived access tokens (JWT, HS256) naming the user; role and scopes are re-read on every request."""

from __future__ import annotations

import time
import uuid

import jwt

from changzhu.api.errors import NotAuthenticated
from changzhu.domain.refusals import RefusalCode, refusal

ALGORITHM = "HS256"
ISSUER = "changzhu"


def issue_token(user_id: int, secret: bytes, ttl_seconds: int) -> str:
    """A signed token for `user_id` that expires after `ttl_seconds`."""
    now = int(time.time())
    claims = {"sub": str(user_id), "iss": ISSUER, "iat": now, "exp": now + ttl_seconds, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: bytes) -> int:
    """The user id in a valid, unexpired token; NotAuthenticated otherwise."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub", "iat"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise NotAuthenticated(refusal(RefusalCode.TOKEN_EXPIRED)) from exc
    except jwt.PyJWTError as exc:
        raise NotAuthenticated(refusal(RefusalCode.TOKEN_INVALID)) from exc
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.isdigit():
        raise NotAuthenticated(refusal(RefusalCode.TOKEN_NAMES_NO_USER))
    return int(sub)
