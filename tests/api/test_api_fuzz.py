"""Property-based fuzzing of the OpenAPI schema (schemathesis): no input makes the service answer 5xx, no value the
API accepts is refused by the database, and a NUL character is always refused; on SQLite and on PostgreSQL.

Each example schemathesis draws is sent as drawn, or made hostile in its free text fields (path, query or JSON body;
no enum, pattern or format; limits read from the operation's schema): a NUL character put in one of them, or every
one made as long as its `maxLength` allows (a limit looser than its column lets over-long text reach the database),
a limited text field the JSON body declares but left out or null added at its limit, and one chosen at random 5,000
characters long if it has no limit. A write answered 2xx as drawn is sent again with its texts at their limits (the
database took it: its INSERT is reached). The first example of each operation (hypothesis's simplest) is a long one.
Headers are fuzzed too: an operation's declared ones (the 跨省通办 signature headers) and, a third of the time each,
Accept-Language and X-Forwarded-For (read by every route and by the login's rate limiter), with drawn values, made
long like any text (a header carries no NUL). A multipart upload's file is, half the time, a table of its kind (the
schema's columns, each cell its example) whose cells are made hostile like any text, so that it gets past the header
check to the rows. In writes, three times in four and whenever its text is made long, every field that names a
person, a region, a date or a voucher's service is given a value of the populated database (a person key, region
code, recent date, funded service; such a list the body left out is added, an account's jurisdictions), a user name
a fresh valid one, and an optional id drawn at random (it names nothing) is left out, so that they get past "no such
person" to the database (POST /users and POST /vouchers included). The app is called as a national administrator
(every route, writes included). On SQLite, which ignores VARCHAR lengths, a trigger per limited column refuses text
longer than the column, as PostgreSQL does.

A request is a failure when the answer is a 5xx; or its code is `value_does_not_fit` (the database refused a value:
the API's own check should have refused it, naming the field); or SQLite's triggers refused a value longer than its
column, whatever the answer; or it holds a NUL anywhere in its path, query or JSON body and is answered otherwise
than 422 `holds_nul` (a 404/405 of the router aside). 20 examples per operation on PostgreSQL, 8 on SQLite. With the
NUL check or the column-sized text limits taken out (scratch copies, 2 Dec 2026), or only an account's
`display_name` limit loosened (3 Dec), it fails naming the operations (docs/operations.md, "The API fuzz");
test_api_hygiene.py pins both with fixed inputs as well."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import PASSWORD, SCENARIOS, fresh_postgres, populated_postgres, populated_sqlite  # noqa: F401  (fixture reused)
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, String, event, text

from changzhu.api import ApiSettings, create_app
from changzhu.api.upload_tables import UploadKind, schema_for
from changzhu.store.db import make_engine
from changzhu.store.models import Base

NUL = "\x00"
UNDECLARED_LONG = 5000  # longer than any text column (the longest, an application's reason, is 2,000)
REGIONS = ("440100", "510100", "440000", "510000")  # Guangzhou, Chengdu and their provinces: in the census
DATES = ("2026-03-01", "2026-11-20", "2027-03-01")  # inside the API's 1990-2100 and the residents' records
ROUTER_MISSES = {"no_such_path", "method_not_allowed"}  # answered before the API router's NUL check
SERVICES = ("vocational_training",)  # a voucher's service the populated database funds
USERNAMES = st.from_regex(r"[a-z][a-z0-9_]{2,20}", fullmatch=True)  # new accounts' names (POST /users)
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
_LANGUAGE = st.builds(  # an Accept-Language entry: a tag, perhaps with a weight, well-formed or not
    "{}{}".format,
    st.sampled_from(("zh", "en", "zh-CN", "en-US", "*", "fr")),
    st.just("") | PRINTABLE.map(";q={}".format),
)
HEADERS = {  # read by every route (the answer's language), and by the login's rate limiter
    "Accept-Language": st.lists(_LANGUAGE, max_size=4).map(",".join) | PRINTABLE,
    "X-Forwarded-For": st.lists(st.ip_addresses().map(str) | PRINTABLE, max_size=3).map(", ".join),
}
OVER_COLUMN = "fuzz: longer than its column"  # the SQLite triggers' message (PostgreSQL refuses such a value)

_state: dict[str, Any] = {}


@pytest.fixture(scope="module")
def pg_fuzz_url() -> Iterator[str]:
    """A PostgreSQL database for the module (the per-test database of tests/conftest.py is function-scoped)."""
    with fresh_postgres("changzhu_fuzz") as url:
        yield url


def _app():  # type: ignore[no-untyped-def]
    return _state["app"]


def _column_limits_on_sqlite(engine: Engine) -> None:
    """Make SQLite refuse text longer than its column, as PostgreSQL does (SQLite ignores VARCHAR lengths): a
    trigger per limited column and write, and a listener noting each refusal, whatever the API answered."""
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String) or column.type.length is None:
                    continue
                for write in ("INSERT", "UPDATE"):
                    conn.execute(
                        text(
                            f'CREATE TRIGGER "fuzz_{table.name}_{column.name}_{write}" BEFORE {write} '
                            f'ON "{table.name}" '
                            f'WHEN length(NEW."{column.name}") > {column.type.length} '
                            f"BEGIN SELECT RAISE(ABORT, '{OVER_COLUMN}: {table.name}.{column.name}'); END"
                        )
                    )

    @event.listens_for(engine, "handle_error")
    def _noted(context: Any) -> None:
        if OVER_COLUMN in str(context.original_exception):
            _state["over_column"].append(str(context.original_exception)[:160])


@pytest.fixture(scope="module", autouse=True, params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fuzz_app(
    request: pytest.FixtureRequest,
    populated_sqlite: tuple[Path, dict[str, str]],  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """One app per database for the whole module: a copy of the populated SQLite file, or a populated
    PostgreSQL database (where NUL characters and over-long text used to give 500s)."""
    folder = tmp_path_factory.mktemp("fuzz")
    if request.param == "sqlite":
        shutil.copy(populated_sqlite[0], folder / "changzhu.sqlite3")
        engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
        _column_limits_on_sqlite(engine)
        people = populated_sqlite[1]
    else:
        url = request.getfixturevalue("pg_fuzz_url")
        people = populated_postgres(url)
        engine = make_engine(url)
    settings = ApiSettings(str(engine.url), b"f" * 32, folder / "keys", scenarios_dir=SCENARIOS)
    _state["app"] = create_app(settings, engine)
    _state["people"] = tuple(sorted(people.values()))
    _state["over_column"] = []
    _state["client"] = TestClient(_state["app"])  # uploads made tables (`_send`)
    yield
    engine.dispose()


@pytest.fixture(scope="module")
def admin_header(fuzz_app: None) -> dict[str, str]:
    """A national administrator's token: the fuzzer reaches past the role checks."""
    token = TestClient(_app()).post("/api/v1/auth/login", json={"username": "ad_nat", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@dataclass
class Leaf:
    """One text value of a request: where it is (container[key]), its field's name and its schema's limits."""

    container: Any  # the dict or list holding it
    key: str | int
    name: str
    max_length: int | None
    constrained: bool  # an enum, const, pattern or format decides the text: hostile text is refused by it anyway
    in_header: bool = False  # a header cannot carry a NUL: it is only made long


def _alternatives(schema: Any, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema's alternatives, references followed (anyOf, oneOf and allOf flattened)."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        target: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return _alternatives(target, spec)
    nested = [alt for kind in ("anyOf", "oneOf", "allOf") for alt in schema.get(kind, [])]
    return [s for alt in nested for s in _alternatives(alt, spec)] if nested else [schema]


def _text_rule(schema: Any, spec: dict[str, Any]) -> tuple[int | None, bool]:
    """The limits of a text field: (maxLength, constrained)."""
    for alt in _alternatives(schema, spec):
        if alt.get("type") == "string" or "enum" in alt or "const" in alt:
            return alt.get("maxLength"), any(k in alt for k in ("enum", "const", "pattern", "format"))
    return None, False


def _leaves(value: Any, schema: Any, spec: dict[str, Any], name: str) -> Iterator[Leaf]:
    """Every text value inside a JSON value, with the limits its schema declares."""
    alternatives = _alternatives(schema, spec)
    if isinstance(value, dict):
        objects = [alt for alt in alternatives if alt.get("type") == "object" or "properties" in alt]
        properties = {k: v for alt in objects for k, v in alt.get("properties", {}).items()}
        extra: Any = next((alt["additionalProperties"] for alt in objects if "additionalProperties" in alt), {})
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else {})
            if isinstance(item, str):
                yield Leaf(value, key, key, *_text_rule(sub, spec))
            else:
                yield from _leaves(item, sub, spec, key)
    elif isinstance(value, list):
        items: Any = next((alt["items"] for alt in alternatives if "items" in alt), {})
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield Leaf(value, i, name, *_text_rule(items, spec))
            else:
                yield from _leaves(item, items, spec, name)


def _request_leaves(case: Any, spec: dict[str, Any]) -> list[Leaf]:
    """The text values of a case: path parameters, query parameters and a JSON body."""
    definition = spec["paths"][case.operation.path][case.method.lower()]
    found: list[Leaf] = []
    for where, values in (("path", case.path_parameters), ("query", case.query), ("header", case.headers)):
        if not isinstance(values, dict):
            continue
        declared = {
            p["name"].lower(): p.get("schema", {}) for p in definition.get("parameters", []) if p["in"] == where
        }
        found += [
            Leaf(values, name, name, *_text_rule(declared.get(name.lower(), {}), spec), in_header=where == "header")
            for name, value in values.items()
            if isinstance(value, str) and name.lower() != "authorization"
        ]
    body = definition.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and case.media_type == "application/json":
        found += list(_leaves(case.body, body.get("schema", {}), spec, "body"))
    return found


def _upload(case: Any, data: Any) -> list[Leaf]:
    """A multipart upload's file made a table of its kind (the schema's columns, each cell its example) so that it
    gets past the header check to the rows; its cells are the leaves (`_send` writes them as the file)."""
    columns = schema_for(UploadKind(case.path_parameters["kind"])).columns
    if not data.draw(st.booleans()):  # the file as drawn, half the time: a file that is no table at all
        return []
    row = {c.name: c.example for c in columns}
    case.body = {**(case.body if isinstance(case.body, dict) else {}), "file": row}
    case.query = {"dry_run": "true"}  # the import run to its end (every INSERT) and rolled back; the defaults else
    return [Leaf(row, c.name, c.name, None, False) for c in columns]


def _send(case: Any, headers: dict[str, str]) -> Any:
    """Call the app with the case; an upload made a table is sent as a CSV file named so (schemathesis names a
    multipart file by sniffing its bytes, and a CSV file has no signature)."""
    row = case.body.get("file") if isinstance(case.body, dict) else None
    if not isinstance(row, dict):
        return case.call(headers=headers, timeout=120)
    lines = [",".join(row), ",".join(f'"{v}"' for v in row.values())]
    csv = ("\n".join(lines) + "\n").encode("utf-8")
    return _state["client"].post(
        case.operation.path.format(**case.path_parameters),
        params=case.query,
        headers={**case.headers, **headers},
        files={"file": ("fuzz.csv", csv, "text/csv")},
    )


def _known(name: str) -> tuple[str, ...]:
    """Values of the populated database for a field of this name: person keys, region codes and recent dates."""
    if name == "person_key" or (name.endswith("_key") and name != "idempotency_key"):
        return tuple(_state["people"])
    if name in ("region", "code", "jurisdictions", "jurisdiction", "parent", "province") or name.endswith("_region"):
        return REGIONS
    if name.endswith("_on"):
        return DATES
    if name == "service":
        return SERVICES
    return ()


def _make_hostile(case: Any, spec: dict[str, Any], data: Any) -> str:
    """Give some fields known values, then (two times in three) one free text field a NUL or a long text; returns
    what was done, for the failure's message."""
    case.headers = dict(case.headers or {})
    for header, values in HEADERS.items():  # headers every route reads, given a drawn value a third of the time
        if data.draw(st.integers(0, 2)) == 0:
            case.headers[header] = data.draw(values).strip()  # a value an HTTP client can send
    cells = _upload(case, data) if case.media_type == "multipart/form-data" else []
    leaves = _request_leaves(case, spec) + cells
    mode = data.draw(st.sampled_from(("long", "as drawn", "NUL")))  # the first example (hypothesis's simplest): long
    # in writes, three times in four (and every time its text is made long: that is for the database) every field
    # that can be is given a value of the populated database (each one alone half the time left almost no write
    # with all of them: POST /vouchers and POST /users rarely got through); reads: nothing more found, at a cost
    if case.method.upper() != "GET" and (mode == "long" or data.draw(st.integers(0, 3)) < 3):
        if case.media_type == "application/json" and isinstance(case.body, dict):
            _known_body(case.body, _body_properties(case, spec), spec, data)
            leaves = _request_leaves(case, spec) + cells
        for leaf in leaves:
            known = _known(leaf.name)
            if known:
                leaf.container[leaf.key] = data.draw(st.sampled_from(known))
            elif leaf.name == "username":
                leaf.container[leaf.key] = data.draw(USERNAMES)
    free = [leaf for leaf in leaves if not leaf.constrained] or leaves
    if mode == "as drawn" or not free:
        return "as drawn"
    leaf = free[data.draw(st.integers(0, len(free) - 1))]
    if mode == "NUL" and not leaf.in_header:
        text = str(leaf.container[leaf.key])
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + NUL + text[at:]
        if leaf.max_length is not None and len(text) > leaf.max_length:
            text = text[: leaf.max_length - 1] + NUL
        leaf.container[leaf.key] = text
        return f"NUL in {leaf.name!r}"
    # every limited text at its limit (one limit looser than its column is enough), the chosen one 5,000 long if
    # it has no limit
    _at_limits(case, spec, free)
    text = str(leaf.container[leaf.key])
    leaf.container[leaf.key] = text + "x" * max(0, (leaf.max_length or UNDECLARED_LONG) - len(text))
    return f"long text, {leaf.name!r} {len(leaf.container[leaf.key])} characters"


def _body_properties(case: Any, spec: dict[str, Any]) -> dict[str, tuple[Any, bool]]:
    """The properties a JSON object body declares: each one's schema and whether it is required."""
    definition = spec["paths"][case.operation.path][case.method.lower()]
    body = definition.get("requestBody", {}).get("content", {}).get("application/json")
    if body is None or case.media_type != "application/json" or not isinstance(case.body, dict):
        return {}
    out: dict[str, tuple[Any, bool]] = {}
    for alt in _alternatives(body.get("schema", {}), spec):
        required = set(alt.get("required", []))
        out |= {key: (sub, key in required) for key, sub in alt.get("properties", {}).items()}
    return out


def _known_body(body: dict[str, Any], properties: dict[str, tuple[Any, bool]], spec: dict[str, Any], data: Any) -> None:
    """A write's JSON body made to get past "no such ...": a list of a field the fuzz knows values for becomes one
    of them (an empty one too), such a field left out is added (an account's jurisdictions: without one a staff
    account is refused before its INSERT), and an optional id drawn at random (it names nothing) is left out."""
    for key, (sub, required) in properties.items():
        known = _known(key)
        listed = any(alt.get("type") == "array" for alt in _alternatives(sub, spec))
        if known and (isinstance(body.get(key), list) or (key not in body and listed)):
            body[key] = [data.draw(st.sampled_from(known))]
        elif known and key not in body:
            body[key] = data.draw(st.sampled_from(known))
        elif key.endswith("_id") and not required:
            body.pop(key, None)


def _at_limits(case: Any, spec: dict[str, Any], free: list[Leaf]) -> None:
    """Every limited free text of the request at its limit, and every limited text a JSON body declares but left
    out (or null) added at its limit: a limit looser than its column is found only where the field is sent (an
    account's optional `display_name`)."""
    for leaf in free:
        if leaf.max_length is not None and not leaf.in_header:
            text = str(leaf.container[leaf.key])
            leaf.container[leaf.key] = text + "x" * max(0, leaf.max_length - len(text))
    for key, (sub, _required) in _body_properties(case, spec).items():
        max_length, constrained = _text_rule(sub, spec)
        if max_length is not None and not constrained and case.body.get(key) is None:
            case.body[key] = "x" * max_length


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _fault(case: Any, status: int, text: str) -> str | None:
    """Why this answer is wrong, or None."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    coded = body if isinstance(body, dict) else {}
    if status >= 500:
        return "a server error"
    if coded.get("code") == "value_does_not_fit":
        return "the database refused a value the API let through (its own check should name the field)"
    body_text = case.body if case.media_type == "application/json" else None  # the check reads JSON bodies only
    if _holds_nul([case.path_parameters, case.query, body_text]):
        problems = [p.get("code") for p in coded.get("problems", []) if isinstance(p, dict)]
        if not (status == 422 and "holds_nul" in problems) and coded.get("code") not in ROUTER_MISSES:
            return "a NUL character was not refused with 422 holds_nul"
    return None


def _check(case: Any, done: str, response: Any, refused_before: int, failures: list[str]) -> None:
    """Note the request as a failure if its answer is wrong (`_fault`) or SQLite's triggers refused a value."""
    text = response.content.decode("utf-8", "replace")  # an export may be a spreadsheet
    fault = _fault(case, response.status_code, text)
    if len(_state["over_column"]) > refused_before:  # SQLite's triggers: PostgreSQL refuses it
        fault = f"a value longer than its column reached the database ({_state['over_column'][-1]})"
    if fault is not None:
        failures.append(
            f"{case.method} {case.operation.path} ({done}) -> {response.status_code}, {fault}: {text[:160]}"
        )


def test_no_input_gives_a_server_error(admin_header: dict[str, str], request: pytest.FixtureRequest) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())
    spec = _app().openapi()
    failures: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 10

    examples = 20 if "postgresql" in request.node.callspec.id else 8
    for operation in operations:

        @given(case=operation.as_strategy(), data=st.data())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case, data) -> None:  # type: ignore[no-untyped-def]
            done = _make_hostile(case, spec, data)
            refused_before = len(_state["over_column"])
            # a generous transport timeout: the suite may share a loaded machine, and speed is the benchmarks' job
            try:
                response = _send(case, admin_header)
            except Exception as exc:  # an exception no handler answered (the test client raises it): a 500
                failures.append(f"{case.method} {case.operation.path} ({done}) raised {exc!r}"[:400])
                return
            statuses.append(response.status_code)
            _check(case, done, response, refused_before, failures)
            if done == "as drawn" and case.method.upper() != "GET" and 200 <= response.status_code < 300:
                # a write the database took, sent again with every limited text at its limit: where its INSERT is
                # reached, a limit looser than the column is too
                _at_limits(case, spec, [leaf for leaf in _request_leaves(case, spec) if not leaf.constrained])
                refused_before = len(_state["over_column"])
                _check(case, "as drawn, then its texts at their limits", _send(case, admin_header), refused_before,
                       failures)  # fmt: skip

        fuzz()
    assert failures == [], "\n".join(failures)
    assert len(statuses) >= examples * 2 // 5 * len(operations)  # every operation really was exercised
    assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
