"""Robustness limits: the request body size cap and the login rate limiter."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from changzhu.api.errors import TooManyRequests, error_body
from changzhu.api.language import answer_lang
from changzhu.domain.refusals import RefusalCode, refusal


class BodyTooLarge(Exception):
    """Raised inside the receive wrapper when a streamed body passes the limit."""


class BodySizeLimit:
    """ASGI middleware answering 413 to a body larger than `max_bytes` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, scope: Scope, send: Send) -> None:
        lang = answer_lang(QueryParams(scope.get("query_string", b"")), Headers(scope=scope))
        reason = refusal(RefusalCode.BODY_TOO_LARGE, limit=self.max_bytes)
        body = json.dumps(error_body("payload_too_large", reason, lang), ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._reject(scope, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(scope, send)


class LoginRateLimiter:
    """Failed logins counted per (account, address) pair, per account and per address, in a sliding window.

    A pair is blocked after `attempts` failures; an account after 4 × `attempts` from any addresses; an address
    after 10 × `attempts` over any accounts. One address can therefore block only itself and its own guesses,
    never everyone else's logins (docs/operations.md, "Login limiter and proxies").
    """

    ACCOUNT_FACTOR = 4
    ADDRESS_FACTOR = 10

    def __init__(self, attempts: int, window_seconds: int) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def _keys(self, username: str, client: str) -> list[tuple[str, int]]:
        name = username.lower()
        return [
            (f"pair:{name}\x1f{client}", self.attempts),
            (f"user:{name}", self.attempts * self.ACCOUNT_FACTOR),
            (f"addr:{client}", self.attempts * self.ADDRESS_FACTOR),
        ]

    def check(self, username: str, client: str) -> None:
        """Raise TooManyRequests if this pair, this account or this address has used up its attempts."""
        now = time.monotonic()
        with self._lock:
            for key, limit in self._keys(username, client):
                times = self._recent(key, now)
                if len(times) >= limit:
                    retry = max(1, int(times[0] + self.window - now) + 1)
                    raise TooManyRequests(refusal(RefusalCode.TOO_MANY_LOGINS, seconds=retry), retry_after=retry)
                if not times:
                    del self._failures[key]  # no growth from names and addresses seen once long ago

    def failed(self, username: str, client: str) -> None:
        """Count one failed attempt against the pair, the account and the address."""
        now = time.monotonic()
        with self._lock:
            for key, _limit in self._keys(username, client):
                self._recent(key, now).append(now)

    def succeeded(self, username: str, client: str) -> None:
        """A successful login clears the pair's and the account's failures (not the address's)."""
        with self._lock:
            for key, _limit in self._keys(username, client)[:2]:
                self._failures.pop(key, None)


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: frozenset[str]) -> str:
    """The caller's address: the peer, or, when the peer is a trusted proxy, the nearest untrusted address in
    X-Forwarded-For (read right to left). X-Forwarded-For from anyone else is ignored."""
    if peer is None:
        return "unknown"
    if peer not in trusted_proxies or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if hop and hop not in trusted_proxies:
            return hop[:64]
    return peer
