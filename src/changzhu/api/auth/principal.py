"""The authenticated caller: role, jurisdictions, and for a resident the person they are."""

from __future__ import annotations

from dataclasses import dataclass

from changzhu.api.auth.roles import NATIONAL_SCOPE, Role
from changzhu.api.errors import Forbidden
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.regions import InvalidRegionCode, validate_code


def validate_scope(code: str) -> str:
    """A jurisdiction code: 000000 (the country) or a six-digit GB/T 2260 code."""
    if code == NATIONAL_SCOPE:
        return code
    try:
        return validate_code(code)
    except InvalidRegionCode as exc:
        raise InvalidRegionCode(refusal(RefusalCode.NOT_A_JURISDICTION, code=repr(code))) from exc


def scope_covers(scope: str, code: str) -> bool:
    """Whether jurisdiction `scope` contains region `code` (a province covers its cities and counties)."""
    if scope == NATIONAL_SCOPE:
        return True
    if scope.endswith("0000"):
        return code[:2] == scope[:2]
    if scope.endswith("00"):
        return code[:4] == scope[:4]
    return code == scope


@dataclass(frozen=True)
class Principal:
    """Who is calling, as re-read from the database on every request."""

    user_id: int
    username: str
    role: Role
    scopes: tuple[str, ...]
    person_id: int | None
    must_change_password: bool = False

    def covers(self, code: str | None) -> bool:
        """Whether any of the caller's jurisdictions contains region `code`."""
        return code is not None and any(scope_covers(s, code) for s in self.scopes)

    @property
    def is_national(self) -> bool:
        """Whether the caller's jurisdiction is the whole country."""
        return NATIONAL_SCOPE in self.scopes

    def require_role(self, *roles: Role) -> None:
        """Raise Forbidden unless the caller has one of `roles`."""
        if self.role not in roles:
            raise Forbidden(
                refusal(RefusalCode.ROLE_MAY_NOT, role=self.role.value, allowed=tuple(r.value for r in roles))
            )

    def require_region(self, code: str) -> None:
        """Raise Forbidden unless region `code` lies in the caller's jurisdictions."""
        if not self.covers(code):
            raise Forbidden(refusal(RefusalCode.REGION_OUTSIDE, region=code, scopes=tuple(self.scopes)))
