"""Applications (申请): their kinds, the service each is decided by, and the state machine of their decisions.

submitted → in_review → approved | rejected; rejected → appealed → upheld | overturned. Any other step is
refused with a message in Chinese and English naming the state and the steps it allows. An applicant handed over to
another province's instance (跨省通办) is decided there: an open application of theirs (submitted, in review,
appealed) is closed (→ closed), and no other step is taken (AFTER_MOVE_OUT; application_records.next_step).
"""

from __future__ import annotations

from enum import StrEnum

from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.domain.services import Service


class ApplicationKind(StrEnum):
    """What a resident applies for."""

    RESIDENCE_PERMIT = "residence_permit"
    POINTS = "points"
    PUBLIC_RENTAL = "public_rental"
    SCHOOL_PLACE = "school_place"
    DIBAO = "dibao"
    HUKOU = "hukou"


class Status(StrEnum):
    """Where an application stands."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPEALED = "appealed"
    UPHELD = "upheld"
    OVERTURNED = "overturned"
    CLOSED = "closed"  # the applicant moved to another province before it was decided


class Action(StrEnum):
    """A step taken on an application."""

    REVIEW = "review"
    APPROVE = "approve"
    REJECT = "reject"
    APPEAL = "appeal"
    UPHOLD = "uphold"
    OVERTURN = "overturn"
    CLOSE = "close"


KIND_SERVICE: dict[ApplicationKind, Service] = {
    ApplicationKind.RESIDENCE_PERMIT: Service.RESIDENCE_PERMIT,
    ApplicationKind.POINTS: Service.POINTS_SETTLEMENT,
    ApplicationKind.PUBLIC_RENTAL: Service.PUBLIC_RENTAL_HOUSING,
    ApplicationKind.SCHOOL_PLACE: Service.COMPULSORY_SCHOOLING,
    ApplicationKind.DIBAO: Service.MINIMUM_LIVING_ALLOWANCE,
    ApplicationKind.HUKOU: Service.RESIDENCE_REGISTRATION_SETTLEMENT,
}
KIND_LABELS: dict[ApplicationKind, tuple[str, str]] = {  # the words a resident reads: the office's (its locales'
    # applicationKind, tests/casework/test_kind_labels.py), English lower case to be used inside a sentence
    ApplicationKind.RESIDENCE_PERMIT: ("居住证", "residence permit"),
    ApplicationKind.POINTS: ("积分落户", "points-based settlement"),
    ApplicationKind.PUBLIC_RENTAL: ("公租房", "public rental housing"),
    ApplicationKind.SCHOOL_PLACE: ("随迁子女入学", "school place for a migrant child"),
    ApplicationKind.DIBAO: ("低保", "minimum living allowance"),
    ApplicationKind.HUKOU: ("落户", "hukou settlement"),
}
STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.SUBMITTED: ("已提交", "submitted"),
    Status.IN_REVIEW: ("审核中", "in review"),
    Status.APPROVED: ("已批准", "approved"),
    Status.REJECTED: ("未批准", "rejected"),
    Status.APPEALED: ("复核中", "appealed"),
    Status.UPHELD: ("维持原决定", "rejection upheld"),
    Status.OVERTURNED: ("撤销原决定（批准）", "rejection overturned (approved)"),
    Status.CLOSED: ("已终止办理（申请人已迁出）", "closed (applicant moved out)"),
}
ACTION_LABELS: dict[Action, tuple[str, str]] = {
    Action.REVIEW: ("受理审核", "take into review"),
    Action.APPROVE: ("批准", "approve"),
    Action.REJECT: ("不予批准", "reject"),
    Action.APPEAL: ("申请复核", "appeal"),
    Action.UPHOLD: ("维持", "uphold"),
    Action.OVERTURN: ("撤销并批准", "overturn"),
    Action.CLOSE: ("终止办理（已迁出）", "close as moved out"),
}
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.SUBMITTED, Action.REVIEW): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.APPROVE): Status.APPROVED,
    (Status.IN_REVIEW, Action.REJECT): Status.REJECTED,
    (Status.REJECTED, Action.APPEAL): Status.APPEALED,
    (Status.APPEALED, Action.UPHOLD): Status.UPHELD,
    (Status.APPEALED, Action.OVERTURN): Status.OVERTURNED,
}
# an application still to be decided: a person has at most one open application of a kind (application_records
# refuses a second one, and an appeal while another of the kind is open)
OPEN = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPEALED)
# the only steps on an application whose applicant moved to another province: an open one is closed (a decision made
# before the move stands as made)
AFTER_MOVE_OUT: dict[tuple[Status, Action], Status] = {(status, Action.CLOSE): Status.CLOSED for status in OPEN}
GUARDIAN_KINDS = (ApplicationKind.SCHOOL_PLACE,)  # what a parent applies for on behalf of a linked minor child
APPEAL_DECISIONS = (Action.UPHOLD, Action.OVERTURN)  # made by someone other than whoever rejected (the appealed)
DECISIONS = (Action.APPROVE, Action.REJECT, Action.UPHOLD, Action.OVERTURN)  # a reason goes with each
GRANTED = (Status.APPROVED, Status.OVERTURNED)  # what the applicant was finally given


class IllegalTransition(CodedError):
    """A step the state machine does not allow from the application's state."""

    http_status = 409


def allowed_actions(status: Status, moved_out: bool = False) -> list[Action]:
    """The steps that may be taken from `status` (on an application of an applicant who moved out, `moved_out`)."""
    return [action for (at, action) in (AFTER_MOVE_OUT if moved_out else TRANSITIONS) if at == status]


def next_status(status: Status, action: Action, moved_out: bool = False) -> Status:
    """The state after taking `action` in `status` (on an application of an applicant who moved out, `moved_out`);
    IllegalTransition (zh/en) if the machine does not allow it."""
    found = (AFTER_MOVE_OUT if moved_out else TRANSITIONS).get((status, action))
    if found is None:
        allowed = allowed_actions(status, moved_out)
        reason = refusal(
            RefusalCode.STEP_NOT_ALLOWED,
            status_zh=STATUS_LABELS[status][0],
            status_en=status.value,
            action_zh=ACTION_LABELS[action][0],
            action_en=action.value,
            allowed_zh="、".join(ACTION_LABELS[a][0] for a in allowed) or "无（已办结）",
            allowed_en=", ".join(a.value for a in allowed) or "none (closed)",
        )
        raise IllegalTransition(reason)
    return found
