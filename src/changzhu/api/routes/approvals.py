"""Items held for a second approver (maker–checker): list them, approve or reject one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from changzhu.api import approvals
from changzhu.api.auth.roles import Role
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.export import FILE_RESPONSES, ExportFormat, FormatQuery, list_page_as
from changzhu.api.pagination import Page
from changzhu.domain import field_sizes as sizes

router = APIRouter(prefix="/approvals", tags=["approvals"])
ApprovalId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Decision(BaseModel):
    """Why the checker approves or rejects (kept in the audit log)."""

    note: str | None = Field(default=None, min_length=1, max_length=sizes.APPROVAL_NOTE)


@router.get("", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def held(
    engine: EngineDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = "pending",
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[dict[str, Any]] | Response:
    """Held items the caller made or may decide (staff of the region; for a move, the person too)."""
    principal.require_role(Role.RESIDENT, *approvals.CHECKERS)
    return list_page_as(approvals.listing(engine, principal, status), limit, offset, fmt, "approvals")


@router.post("/{approval_id}/approve", responses={401: {}, 403: {}, 404: {}, 409: {}})
def approve(
    approval_id: ApprovalId, body: Decision, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Approve a held item: it takes effect now, under the limits and budget in force (never by its maker)."""
    return approvals.decide(engine, principal, approval_id, True, body.note, settings.controls_scenario)


@router.post("/{approval_id}/reject", responses={401: {}, 403: {}, 404: {}, 409: {}})
def reject(
    approval_id: ApprovalId, body: Decision, engine: EngineDep, settings: SettingsDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Reject a held item: it never takes effect."""
    return approvals.decide(engine, principal, approval_id, False, body.note, settings.controls_scenario)
