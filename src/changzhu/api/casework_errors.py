"""The errors of applications and quota runs, answered with the API's statuses and kinds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from changzhu.api.errors import ApiError, Conflict, Forbidden, NotFound
from changzhu.casework.application_records import (
    AlreadyOpen,
    ApplicationNotFound,
    OwnDecisionAppealed,
    ReasonRequired,
)
from changzhu.casework.applications import IllegalTransition
from changzhu.casework.quota_runs import QuotaError, RunNotFound
from changzhu.domain.refusals import reason_of


class InvalidRequest(ApiError):
    """A well-formed request the rules cannot act on (an appeal without grounds, a run without a quota)."""

    http_status = 422
    kind = "invalid_request"


@contextmanager
def casework_errors() -> Iterator[None]:
    """Turn the casework's errors into the API's: 409 conflict, 403 forbidden, 404 not found, 422 invalid request."""
    try:
        yield
    except (IllegalTransition, AlreadyOpen) as exc:
        raise Conflict(reason_of(exc)) from exc
    except OwnDecisionAppealed as exc:
        raise Forbidden(reason_of(exc)) from exc
    except (ApplicationNotFound, RunNotFound) as exc:
        raise NotFound(reason_of(exc)) from exc
    except (ReasonRequired, QuotaError) as exc:
        raise InvalidRequest(reason_of(exc)) from exc
