"""A server started with another identity key than the one that encrypted its data: the caseworker is told, in
her language, that the server's key does not match (an operator's problem, 500 identity_key_mismatch, not her
request's fault), and the operator finds the detail in the log under the incident number. It was a 400 `uncoded`
with the English "identity ciphertext cannot be decrypted with the configured key"."""

from __future__ import annotations

import re

import pytest
from api_support import Service

from changzhu.registry.identity import ENC_KEY_ENV


def test_a_wrong_identity_key_is_the_servers_problem_in_both_languages(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = f"/api/v1/residents/{service.people['gz']}/overview"  # the record with its masked identity number
    assert service.client.get(path, headers=service.as_("cw_gz")).status_code == 200
    monkeypatch.setenv(ENC_KEY_ENV, "33" * 32)  # not the key ("22" * 32) the registry's numbers were encrypted with
    with caplog.at_level("ERROR", logger="changzhu.api"):
        english = service.client.get(path, headers=service.as_("cw_gz"))
    chinese = service.client.get(path, headers={**service.as_("cw_gz"), "Accept-Language": "zh"})
    for answer in (english, chinese):
        assert answer.status_code == 500, answer.text
        assert (answer.json()["error"], answer.json()["code"]) == ("internal", "identity_key_mismatch")
    assert "server's identity key does not match" in english.json()["message"]
    assert "服务器的身份信息密钥" in chinese.json()["message"] and "不是您的操作有误" in chinese.json()["message"]
    incident = english.json()["params"]["incident"]
    assert re.fullmatch(r"[0-9a-f]{12}", incident) and incident in english.json()["message"]
    assert f"incident {incident}" in caplog.text and "cannot be decrypted" in caplog.text  # the detail: in the log
