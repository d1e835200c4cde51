"""Property-based fuzzing of the OpenAPI schema (schemathesis): no input makes the service answer 5xx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from api_support import PASSWORD, SCENARIOS, populated_sqlite  # noqa: F401  (session fixture reused at import time)
from hypothesis import HealthCheck, given, settings

from changzhu.api import ApiSettings, create_app
from changzhu.registry.db import make_engine

_state: dict[str, object] = {}


def _app():  # type: ignore[no-untyped-def]
    return _state["app"]


@pytest.fixture(scope="module", autouse=True)
def fuzz_app(populated_sqlite: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> None:  # noqa: F811
    """One app on a copy of the populated database for the whole module."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(populated_sqlite[0], folder / "changzhu.sqlite3")
    engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
    settings = ApiSettings(str(engine.url), b"f" * 32, folder / "keys", scenarios_dir=SCENARIOS)
    _state["app"] = create_app(settings, engine)


@pytest.fixture(scope="module")
def admin_header(fuzz_app: None) -> dict[str, str]:
    """A national administrator's token: the fuzzer reaches past the role checks."""
    from fastapi.testclient import TestClient

    token = TestClient(_app()).post("/api/v1/auth/login", json={"username": "ad_nat", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_no_input_gives_a_server_error(admin_header: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=admin_header)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")

        fuzz()
    assert failures == []
    assert len(statuses) >= 10 * len(operations)  # every operation really was exercised
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
