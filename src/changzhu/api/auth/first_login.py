"""The first-login rule: an account holding a one-time password does nothing else until it has changed it."""

from __future__ import annotations

from changzhu.api.auth.principal import Principal
from changzhu.api.errors import Forbidden
from changzhu.domain.refusals import RefusalCode, refusal


class PasswordChangeRequired(Forbidden):
    """The caller's account still holds a one-time password (403, its own error kind for the front-end)."""

    kind = "password_change_required"


def require_password_changed(principal: Principal) -> None:
    """Raise PasswordChangeRequired while the caller's account must still change its one-time password."""
    if principal.must_change_password:
        raise PasswordChangeRequired(refusal(RefusalCode.PASSWORD_CHANGE_FIRST))
