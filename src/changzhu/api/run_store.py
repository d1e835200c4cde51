"""Runs kept in the database and computed by one worker thread: the queue that scenario runs and siting runs share.

A request only inserts a row (status queued) and hands its id to the worker thread; the worker writes progress
to the row while it computes and the results at the end. A run that was queued or running when the service stopped
is marked failed by the next service on the database (on its first use of runs), so no run stays "running" for
ever. Scenario runs (api/scenario_runs.py) and siting runs (api/siting_runs.py) are each a StoredRuns over their own
table and share one worker (`pool`): the machine computes one run at a time, whichever kind it is.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, func, select, update

from changzhu import __version__
from changzhu.api.errors import NotFound, TooManyRequests
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import Refusal, RefusalCode, refusal
from changzhu.parameters.tree import TREE_DIR
from changzhu.store.db import session_scope

ACTIVE = ("queued", "running")
MAX_WAITING = 5  # runs of one kind queued or running at once; more are refused (429) rather than queued for hours
Row = TypeVar("Row")
LOG = logging.getLogger(__name__)


def now() -> str:
    """The time a run's row records (UTC, to the second)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def data_version() -> str:
    """The census and the parameter tree a run read: a digest of the shipped parameter files."""
    digest = hashlib.sha256()
    for path in sorted(TREE_DIR.glob("*.yaml")):
        digest.update(path.read_bytes())
    return f"census2020+parameters:{digest.hexdigest()[:12]}"


def failure_note(run_id: str, error: Exception) -> Refusal:
    """Why a run failed as its page says it: the coded reason the error carries (a scenario, parameter, fiscal,
    simulation or planning error), else a generic one with the run's number, the error itself going to the server
    log only (never a class name or a traceback in front of a user)."""
    found = getattr(error, "refusal", None)
    if isinstance(found, Refusal) and found.code not in (RefusalCode.UNCODED, RefusalCode.UNTRANSLATED):
        LOG.info("run %s failed: %s", run_id, found.en)
        return found
    LOG.error("run %s failed unexpectedly", run_id, exc_info=error)
    return refusal(RefusalCode.RUN_FAILED_UNEXPECTEDLY, run_id=run_id)


def run_note(row: Any) -> Refusal | None:
    """A run's step (queued or running) or why it failed, coded; a failed run without a coded note (stored before
    notes were coded) reads as failed unexpectedly, its old text not shown."""
    if row.note is not None:
        return Refusal.from_json(dict(row.note))
    if row.status == "failed":
        return refusal(RefusalCode.RUN_FAILED_UNEXPECTEDLY, run_id=row.id)
    return None


def run_state(row: Any, lang: Lang) -> dict[str, Any]:
    """What every stored run says of itself: its settings, status and progress, its step or why it failed
    (`message` in `lang`, `note` coded), the data and code it ran on, who started it and when it ran."""
    note = run_note(row)
    return {
        "settings": row.settings,
        "status": row.status,
        "progress": row.progress,
        "message": None if note is None else note.text(lang),
        "note": None if note is None else note.as_json(),
        "data_version": row.data_version,
        "code_version": row.code_version,
        "created_by": row.created_by,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
    }


def one_worker() -> ThreadPoolExecutor:
    """The worker thread runs are computed on, one at a time."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="stored-run")


class StoredRuns(Generic[Row]):
    """Runs of one kind (`table`, a row class with id, status, progress, note and finished_at) in one database,
    computed on `pool` (a new worker of their own when not given); `missing` is the refusal of an unknown id."""

    def __init__(
        self,
        engine: Engine,
        table: type[Row],
        missing: Callable[[str], Refusal],
        pool: ThreadPoolExecutor | None = None,
    ) -> None:
        self.engine = engine
        self._table: Any = table  # its columns are read as the ORM's (status, id), whatever the row class
        self._missing = missing
        self.pool = pool or one_worker()
        self._futures: dict[str, Future[None]] = {}  # runs of this process's worker not yet finished, to wait on
        self._recovered = False
        self._recovering = threading.Lock()

    def _ensure_recovered(self) -> None:
        """Recover once, on first use (not at start-up: the service starts even while the database is down)."""
        if self._recovered:
            return
        with self._recovering:
            if not self._recovered:
                self.recover()
                self._recovered = True

    def recover(self) -> int:
        """Mark runs left queued or running by a stopped service as failed; how many there were."""
        with session_scope(self.engine) as session:
            result = session.execute(
                update(self._table)
                .where(self._table.status.in_(ACTIVE))
                .values(status="failed", note=refusal(RefusalCode.RUN_INTERRUPTED).as_json(), finished_at=now())
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def refuse_when_busy(self) -> None:
        """TooManyRequests (429) when MAX_WAITING runs of this kind are queued or running already."""
        self._ensure_recovered()
        with session_scope(self.engine) as session:
            waiting = session.scalar(
                select(func.count()).select_from(self._table).where(self._table.status.in_(ACTIVE))
            )
        if int(waiting or 0) >= MAX_WAITING:
            raise TooManyRequests(refusal(RefusalCode.TOO_MANY_RUNS, waiting=str(waiting)), 30)

    def enqueue(self, work: Callable[[str], None], created_by: str, **columns: Any) -> str:
        """Store a new run (queued, with the data and code versions, who started it and when, and `columns`) and
        hand it to the worker; its id."""
        run_id = uuid.uuid4().hex[:16]
        with session_scope(self.engine) as session:
            session.add(
                self._table(
                    id=run_id,
                    status="queued",
                    progress=0.0,
                    note=None,
                    data_version=data_version(),
                    code_version=f"changzhu {__version__}",
                    created_by=created_by,
                    created_at=now(),
                    **columns,
                )
            )
        self.submit(run_id, work)
        return run_id

    def submit(self, run_id: str, work: Callable[[str], None]) -> None:
        """Hand a stored run to the worker."""
        future = self.pool.submit(work, run_id)
        self._futures[run_id] = future
        future.add_done_callback(lambda _: self._futures.pop(run_id, None))

    def set(self, run_id: str, **values: Any) -> None:
        """Write columns of a run's row."""
        with session_scope(self.engine) as session:
            session.execute(update(self._table).where(self._table.id == run_id).values(**values))

    def finish(self, run_id: str, **results: Any) -> None:
        """Mark a run done, with its results (summary, tables)."""
        self.set(run_id, status="done", progress=1.0, note=None, finished_at=now(), **results)

    def fail(self, run_id: str, error: Exception) -> None:
        """Mark a run failed, with why (`failure_note`)."""
        self.set(run_id, status="failed", note=failure_note(run_id, error).as_json(), finished_at=now())

    def get(self, run_id: str) -> Row:
        """A stored run, or NotFound."""
        self._ensure_recovered()
        with session_scope(self.engine) as session:
            row = session.get(self._table, run_id)
            if row is None:
                raise NotFound(self._missing(run_id))
            session.expunge(row)
            found: Row = row
            return found

    def wait(self, run_id: str, timeout: float) -> Row:
        """The run once it has finished (or after `timeout` seconds), read from the database: woken when this
        process's worker finishes it, else (a run of another process) polled."""
        deadline = time.monotonic() + timeout
        future = self._futures.get(run_id)
        if future is not None:
            futures_wait([future], timeout=timeout)
        row = self.get(run_id)
        while getattr(row, "status") in ACTIVE and time.monotonic() < deadline:  # noqa: B009 - any row class
            time.sleep(0.2)
            row = self.get(run_id)
        return row

    def shutdown(self) -> None:
        """Stop taking runs (the one computing finishes; queued ones are marked failed by the next start)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
