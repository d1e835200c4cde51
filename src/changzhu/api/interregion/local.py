"""An in-process network between instances for the simulation: requests go straight to the peer's handlers,
with faults injected on the way (connection refused before, acknowledgement lost after the peer committed)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine

from changzhu.api.errors import ApiError, error_body
from changzhu.api.interregion import inbox
from changzhu.api.interregion.protocol import MESSAGES_PATH
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import reason_of
from changzhu.errors import ChangzhuError

DROP, LOSE_ACK = "drop", "lose_ack"


@dataclass
class LocalNetwork:
    """Instances reachable as http://<region>.local; `fault` (per thread) decides what the next request suffers."""

    engines: dict[str, Engine]
    max_age_seconds: int = 300
    _fault: threading.local = field(default_factory=threading.local)

    def next_fault(self, fault: str | None) -> None:
        """Make the calling thread's next request suffer `fault` (DROP, LOSE_ACK) or none."""
        self._fault.value = fault

    def url(self, region: str) -> str:
        """The base URL peers register for `region`."""
        return f"http://{region}.local"

    def client(self) -> httpx.Client:
        """A client whose requests are handled in process."""
        return httpx.Client(transport=httpx.MockTransport(self._handle))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        fault, self._fault.value = getattr(self._fault, "value", None), None
        if fault == DROP:
            raise httpx.ConnectError("simulated: connection refused", request=request)
        region = request.url.host.removesuffix(".local")
        engine = self.engines[region]
        body = request.content
        headers = request.headers
        try:
            sender = inbox.authenticate_peer(
                engine,
                headers.get("x-changzhu-region"),
                headers.get("x-changzhu-timestamp"),
                headers.get("x-changzhu-signature"),
                request.url.path,
                body,
                self.max_age_seconds,
            )
            if request.url.path == MESSAGES_PATH:
                answer = inbox.receive(engine, sender, inbox.parse_message(body), region)
            else:
                from changzhu.api.interregion.reconcile import received_summary

                answer = {"messages": received_summary(engine, sender)}
        except ChangzhuError as exc:
            status, kind = (exc.http_status, exc.kind) if isinstance(exc, ApiError) else (400, "bad_request")
            return httpx.Response(status, json=error_body(kind, reason_of(exc), Lang.EN), request=request)
        if fault == LOSE_ACK:
            raise httpx.ReadTimeout("simulated: the answer was lost", request=request)
        return httpx.Response(200, json=answer, request=request)
