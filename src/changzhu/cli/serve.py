"""`changzhu serve` (the API and the office via uvicorn) and `changzhu user ...` (accounts)."""

from __future__ import annotations

import sys
import threading
import time
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.output import ExportOption, OutputFormat, console, emit_table

if TYPE_CHECKING:
    from changzhu.api.settings import ApiSettings

user_app = typer.Typer(help="Create and manage accounts of the service.", no_args_is_help=True)
peer_app = typer.Typer(
    help="跨省通办: this instance's signing key and the peer instances it trusts.", no_args_is_help=True
)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port", min=1, max=65535)] = 8000,
    migrate: Annotated[bool, typer.Option(help="apply database migrations first")] = True,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes", min=1, max=64)] = 1,
    warm: Annotated[
        bool, typer.Option(help="make the rules of every city with residents ready while starting (one worker only)")
    ] = True,
) -> None:
    """Start the API (/api/v1, OpenAPI at /api/v1/openapi.json) and the office (/office/)."""
    import uvicorn

    from changzhu.api.settings import ApiSettings
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    settings = ApiSettings.from_env()
    if migrate:
        upgrade(make_engine(settings.database_url))
    if warm and workers == 1:  # (worker processes keep what they read; the parent's would not help them)
        threading.Thread(target=_warm, args=(settings,), name="warm-rules", daemon=True).start()
    console.print(f"changzhu office: [bold]http://{host}:{port}/[/bold]  (API: http://{host}:{port}/api/v1)")
    if workers == 1:
        from changzhu.api.app import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)
    else:
        uvicorn.run(
            "changzhu.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            proxy_headers=False,  # the app decides whom to trust (CHANGZHU_TRUSTED_PROXIES), never uvicorn
        )


def _warm(settings: ApiSettings) -> None:
    """warm_rules on today's date, saying when each city's rules are ready; a failure is said, not raised (the
    requests that need those rules report it themselves)."""
    from changzhu.api.warm import warm_rules
    from changzhu.store.db import make_engine

    started = time.perf_counter()
    console.print("preparing the rules of every city with residents")
    try:
        cities = warm_rules(make_engine(settings.database_url), settings, date.today(), console.print)
    except Exception as exc:  # the server runs on: the first request in that city prepares its rules itself
        console.print(f"preparing the rules stopped: {exc}")
        return
    console.print(f"rules ready for {len(cities)} cities in {time.perf_counter() - started:.1f} s")


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="user name (3-64 letters, digits, _ . @ -)")],
    role: Annotated[str, typer.Option(help="resident, caseworker, planner, fiscal_officer or administrator")],
    jurisdiction: Annotated[
        list[str] | None, typer.Option(help="region code the account acts in (repeatable; 000000 = national)")
    ] = None,
    person_id: Annotated[int | None, typer.Option(help="for a resident: their person id in the registry")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from the first line of stdin")
    ] = False,
    keep_password: Annotated[
        bool,
        typer.Option(
            "--keep-password",
            help="keep this password (the operator's own account); without it the password is a one-time one, "
            "changed at the first login (POST /auth/password)",
        ),
    ] = False,
) -> None:
    """Create an account (the password is asked for twice, or read from stdin); by default the password is a
    one-time one, to be changed at the first login."""
    from changzhu.api.auth.accounts import InvalidAccount, create_user
    from changzhu.api.auth.roles import Role
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    try:
        chosen = Role(role)
    except ValueError as exc:
        raise InvalidAccount(f"role {role!r} is not one of {', '.join(r.value for r in Role)}") from exc
    engine = make_engine()
    upgrade(engine)
    created = create_user(
        engine,
        username,
        _read_password(password_stdin),
        chosen,
        jurisdiction or [],
        person_id,
        must_change_password=not keep_password,
    )
    scopes = ", ".join(created.scopes) or f"person {created.person_id}"
    first = "; the password must be changed at the first login" if not keep_password else ""
    console.print(f"created {created.role.value} account {created.username!r} ({scopes}){first}")


@user_app.command("list")
def user_list(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, csv, json; xlsx or parquet with --out")
    ] = OutputFormat.TABLE,
    out: ExportOption = None,
) -> None:
    """List accounts with role and jurisdictions."""
    from changzhu.api.auth.accounts import list_users
    from changzhu.store.db import make_engine

    rows = [
        {"username": u.username, "role": u.role.value, "jurisdictions": ",".join(u.scopes), "person_id": u.person_id}
        for u in list_users(make_engine())
    ]
    import polars as pl

    schema = {"username": pl.String, "role": pl.String, "jurisdictions": pl.String, "person_id": pl.Int64}
    emit_table(pl.DataFrame(rows, schema=schema), fmt, f"{len(rows)} accounts", out=out)


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(help="the account's user name (`changzhu user list` shows it)")],
) -> None:
    """Disable an account; its tokens stop working at the next request."""
    from changzhu.api.auth.accounts import set_active
    from changzhu.store.db import make_engine

    set_active(make_engine(), username, False)
    console.print(f"disabled {username!r}")


@peer_app.command("key")
def peer_key() -> None:
    """Print this instance's public key (give it to the peers' operators)."""
    from changzhu.api.keys import load_or_create_signing_key, public_key_text
    from changzhu.api.routes.interregion import SIGNING_KEY_FILE
    from changzhu.api.settings import keys_dir

    print(public_key_text(load_or_create_signing_key(keys_dir() / SIGNING_KEY_FILE)))


@peer_app.command("add")
def peer_add(
    region: Annotated[str, typer.Argument(help="the peer's region code (its CHANGZHU_INSTANCE_REGION)")],
    url: Annotated[str, typer.Argument(help="the peer's base URL, e.g. https://gd.example.gov.cn")],
    public_key: Annotated[str, typer.Argument(help="the peer's public key (64 hex digits, `changzhu peer key`)")],
) -> None:
    """Trust a peer instance: accept messages it signs, and send it transfers."""
    from changzhu.api.interregion.peers import add_peer
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    engine = make_engine()
    upgrade(engine)
    add_peer(engine, region, url, public_key)
    console.print(f"peer {region} at {url} added")


def register(app: typer.Typer) -> None:
    """Attach `serve`, `user` and `peer` to the top-level app."""
    app.command()(serve)
    app.add_typer(user_app, name="user")
    app.add_typer(peer_app, name="peer")
