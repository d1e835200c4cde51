"""What the office says a peer authority answered to a hand-over (GET /interregion/outbox's `peer_answer`): a coded
refusal in both languages; an answer without a code this office can translate (an uncoded error, an exception's
text, a proxy's error page) never in the peer's words as if they were the reason in the screen's language.

Until 2026-12-04 a peer's uncoded error (its text mostly an English exception message) came back as
text_zh "操作未能完成：database is locked", so the Chinese 跨省转出 screen showed "对方省份的系统答复：操作未能完成：
database is locked"; now such an answer has no translated text (the screen says in its language that the peer gave no
reason it can translate) and the peer's own words are kept apart (`peer_text`) for the detail."""

from __future__ import annotations

import json

import pytest

from changzhu.api.errors import error_body
from changzhu.api.interregion.outgoing import peer_answer
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal, uncoded, untranslated


def _stored(status: int, body: str) -> str:
    """The last error as outbox._send stores it (the body cut at 300 characters)."""
    return f"HTTP {status}: {body[:300]}"


def test_a_coded_refusal_is_told_in_both_languages() -> None:
    body = json.dumps(error_body("conflict", refusal(RefusalCode.NOT_A_PEER, region="510000"), Lang.ZH))
    answer = peer_answer(_stored(409, body))
    assert answer is not None and (answer.http_status, answer.code) == (409, "not_a_peer")
    assert answer.text_zh and answer.text_en and "510000" in answer.text_zh and answer.peer_text is None


@pytest.mark.parametrize(
    ("body", "own"),
    [
        # the peer's uncoded error, as its API answers a request without Accept-Language (Chinese head)
        (json.dumps(error_body("internal", uncoded("database is locked"), Lang.ZH)), "database is locked"),
        (json.dumps(error_body("bad_request", untranslated("row 3: bad checksum"), Lang.EN)), "row 3: bad checksum"),
        (json.dumps({"detail": "Method Not Allowed"}), "Method Not Allowed"),  # a framework's own answer
        ("<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>", "502 Bad Gateway nginx"),  # a proxy's page
    ],
)
def test_an_answer_without_a_code_to_translate_keeps_the_peers_words_apart(body: str, own: str) -> None:
    answer = peer_answer(_stored(502, body))
    assert answer is not None and answer.http_status == 502
    assert (answer.code, answer.text_zh, answer.text_en) == (None, None, None)
    assert answer.peer_text == own


def test_an_answer_that_said_nothing_has_no_words() -> None:
    answer = peer_answer(_stored(500, ""))
    assert answer is not None and answer.http_status == 500 and answer.peer_text is None
    unreached = peer_answer("ConnectError: [Errno -2] Name or service not known")
    assert unreached is not None and unreached.http_status is None and unreached.peer_text is None
