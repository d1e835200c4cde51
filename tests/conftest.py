"""Shared fixtures: a fresh database on SQLite and on PostgreSQL for every test that asks for one.

PostgreSQL is CHANGZHU_TEST_PG_URL (`make test` starts a throwaway server when none runs, tools/with_postgres.sh),
else 127.0.0.1:5432; a test that needs it fails, never skips, when it is unreachable. The session's kernel cache and
data directory are temporary directories made once by the controlling process, so xdist workers share the compiled
kernels and no test writes to the user's own directories. The controlling process also names the session
(CHANGZHU_TEST_SESSION: the workers' shared PostgreSQL templates carry it, and are dropped when the session ends)
and makes a directory the workers share for outputs built once per session (CHANGZHU_TEST_SHARED).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from chromium_support import chromium  # noqa: F401  # the session's one browser, a fixture for every directory
from cli_support import LANG_ENV, cli_env, run_changzhu
from db_templates import PG_ADMIN_URL, SESSION_ENV, TEMPLATE_PREFIX, template_copy
from session_files import built_once

# The tests' own servers share 2 cores with the whole suite and Chromium: a bare httpx.get/post/... call waits up
# to 60 s for an answer, not httpx's 5 s (a facts PATCH timed out in CI at 374c4d5, load 18). A call that names its
# own timeout keeps it.
for _call in ("request", "get", "options", "head", "post", "put", "patch", "delete"):
    getattr(httpx, _call).__kwdefaults__["timeout"] = httpx.Timeout(60.0)

if TYPE_CHECKING:
    import polars as pl
    from argon2 import PasswordHasher

    from changzhu.validation.checks import Check

SESSION_DIRS = {
    "CHANGZHU_CACHE_DIR": "changzhu-test-cache-",
    "CHANGZHU_HOME": "changzhu-test-home-",
}


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process (before xdist starts its workers, which inherit the environment): a temporary
    kernel cache and data directory for the whole session, unless given. In every process, CHANGZHU_LANG=en: a command
    run in this process (CliRunner) without --lang speaks English on any machine, as one run by cli_support does (a
    developer's zh_CN.UTF-8 locale would otherwise make it Chinese; a test of the Chinese says --lang zh)."""
    os.environ[LANG_ENV] = "en"
    if hasattr(config, "workerinput"):
        return
    made = []
    for name, prefix in SESSION_DIRS.items():
        if not os.environ.get(name):
            os.environ[name] = tempfile.mkdtemp(prefix=prefix)
            made.append(os.environ[name])
    os.environ["CHANGZHU_TEST_SHARED"] = tempfile.mkdtemp(prefix="changzhu-test-shared-")  # never an older session's
    made.append(os.environ["CHANGZHU_TEST_SHARED"])
    config.stash[_MADE] = made
    os.environ[SESSION_ENV] = uuid.uuid4().hex[:12]


def pytest_unconfigure(config: pytest.Config) -> None:
    for path in config.stash.get(_MADE, []):
        shutil.rmtree(path, ignore_errors=True)
    if not hasattr(config, "workerinput"):
        _drop_templates(os.environ[SESSION_ENV])


def _drop_templates(session: str) -> None:
    """Drop the session's PostgreSQL templates (none when no test needed one or no server is reachable)."""
    try:
        with _pg_admin_engine().connect() as conn:
            pattern = f"{TEMPLATE_PREFIX}{session}%"
            names = conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": pattern})
            for name in list(names):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    except OperationalError:
        return


_MADE = pytest.StashKey[list[str]]()


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_reachable() -> bool:
    try:
        with _pg_admin_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False


@pytest.fixture(scope="session", autouse=True)
def production_password_hasher() -> Iterator[PasswordHasher]:
    """argon2id at its cheapest (one pass over 8 KiB, one lane) for the accounts the tests create and log in with,
    instead of the production parameters (RFC 9106's low-memory profile: 3 passes over 64 MiB, 4 lanes, about
    0.19 s of CPU a hash or a check, thousands of times a session); yields the production hasher, whose parameters
    tests/api/test_api_auth.py checks. A stored hash is checked with the parameters it carries, and the
    `changzhu serve` processes of the browser tests hash new passwords with the production ones."""
    from argon2 import PasswordHasher

    from changzhu.api.auth import passwords

    production, cheap = passwords._hasher, PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(passwords, "_hasher", cheap)
        mp.setattr(passwords, "_DUMMY_HASH", cheap.hash("changzhu-no-such-user"))
        yield production


@pytest.fixture(scope="session")
def load_tool() -> Callable[[str], ModuleType]:
    """A script of tools/ loaded as a module by its name ("perf_table"): tools/ is not a package."""

    def load(name: str) -> ModuleType:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "tools" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for this test, dropped afterwards."""
    if not _pg_reachable():
        pytest.fail(
            f"PostgreSQL at {PG_ADMIN_URL} is unreachable: run the tests with `make test` (it starts a throwaway "
            "server) or `tools/with_postgres.sh .venv/bin/python -m pytest ...`, or set CHANGZHU_TEST_PG_URL"
        )
    name = f"changzhu_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty registry on `database_url`'s database (each database kind): a copy of one migrated to the
    latest revision once per test session (`migrated_copy`), not `upgrade` again in every test."""
    from changzhu.store.db import make_engine

    migrated_copy(database_url)
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


def migrated_copy(database_url: str) -> None:
    """Make the new, empty database at `database_url` what `upgrade` would leave it: a copy of a database migrated
    to the latest revision once per test session. SQLite: the file, built by the first worker that asks (under
    `built_once`'s lock) and copied. PostgreSQL: the database dropped and made again from the session's template
    `changzhu_tpl_<session>_migrated` (tests/db_templates.py: built under the server's advisory lock by the first
    worker that asks, named only once complete, dropped with the session's other templates). Per test, `upgrade`
    cost 0.12 s of CPU and about 1 s of wall time on SQLite, and 0.4-0.5 s of CPU (client and server) on PostgreSQL;
    a copy, a few ms and 0.1-0.2 s."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database and not Path(url.database).exists(), "migrated_copy makes a new database"
        shutil.copy(built_once("migrated_sqlite", _migrate_sqlite) / "changzhu.sqlite3", url.database)
        return
    template_copy(database_url, "migrated", _migrate)


def _migrate_sqlite(folder: Path) -> None:
    from changzhu.store.db import make_engine

    engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
    _migrate(engine)
    engine.dispose()


def _migrate(engine: Engine) -> None:
    """The registry's tables at the latest revision (the migrated template's content)."""
    from changzhu.registry.migrate import upgrade

    upgrade(engine)


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A new SQLite file for this test."""
    return f"sqlite:///{tmp_path / 'changzhu.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh database URL, once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


VALIDATION_SAMPLE = 2e-4  # the validation tests' synthetic sample (docs/validation.md: 1e-3 by default)


def _compute_validation(folder: Path) -> None:
    from changzhu.validation.checks import validation_checks
    from changzhu.validation.fit import fit_table

    figures = (validation_checks(VALIDATION_SAMPLE), fit_table(VALIDATION_SAMPLE))
    (folder / "figures.pickle").write_bytes(pickle.dumps(figures))


def shared_validation_figures() -> tuple[list[Check], pl.DataFrame]:
    """`validation_checks` and `fit_table` at VALIDATION_SAMPLE, computed once per test session by one worker while
    the others wait. Their 低保 rule kernels (the same modules at every sample size) are the costliest compile of the
    validation tests and of the demo: computed here first, every other user loads them from the kernel cache instead
    of compiling them again at the same time in another process."""
    folder = built_once("validation_figures", _compute_validation)
    return pickle.loads((folder / "figures.pickle").read_bytes())  # written by this session


def _run_demo(lang: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        shared_validation_figures()  # the demo's validation step then loads the 低保 kernels (see there)
        args = ["demo", "--lang", lang, "--out", str(folder / "out")]
        env = cli_env(CHANGZHU_HOME=str(folder / "data"), CHANGZHU_DATABASE_URL="")
        done = run_changzhu(*args, env=env, timeout=900)
        assert done.returncode == 0, done.stderr
        (folder / "stdout.txt").write_text(done.stdout, encoding="utf-8")

    return build


@pytest.fixture(scope="session")
def validation_figures() -> tuple[list[Check], pl.DataFrame]:
    """(checks, fit) of the validation at VALIDATION_SAMPLE, shared by the session (see shared_validation_figures)."""
    return shared_validation_figures()


@pytest.fixture(scope="session")
def demo_output() -> Callable[[str], Path]:
    """`changzhu demo`'s output folder (report.html, tables, the command's stdout.txt) in a language, given with
    --lang (without it the demo follows CHANGZHU_LANG, which the session sets to en; `make demo` passes zh): made
    once per test session and shared by the workers; tests only read it."""
    return lambda lang: built_once(f"demo_{lang}", _run_demo(lang)) / "out"
