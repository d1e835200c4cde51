"""The first-login rule: an account holding a one-time password does nothing else until it has changed it."""

from __future__ import annotations

from changzhu.api.auth.principal import Principal
from changzhu.api.errors import Forbidden

CHANGE_PASSWORD_PATH = "/api/v1/auth/password"


class PasswordChangeRequired(Forbidden):
    """The caller's account still holds a one-time password (403, its own error kind for the front-end)."""

    kind = "password_change_required"


def require_password_changed(principal: Principal) -> None:
    """Raise PasswordChangeRequired while the caller's account must still change its one-time password."""
    if principal.must_change_password:
        raise PasswordChangeRequired(
            f"请先修改初始密码（POST {CHANGE_PASSWORD_PATH}），再办理其他业务 / "
            f"change your one-time password first (POST {CHANGE_PASSWORD_PATH})"
        )
