"""`changzhu serve` (the API and the office via uvicorn) and `changzhu user ...` (accounts)."""

from __future__ import annotations

import os
import sys
import threading
import time
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.domain.lang import Lang
from changzhu.output import ExportOption, OutputFormat, console, emit_table, err_console
from changzhu.report.lang import pick

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
    *,
    lang: LangOption,
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
        threading.Thread(target=_warm, args=(settings, lang), name="warm-rules", daemon=True).start()
    office, api = f"[bold]http://{host}:{port}/[/bold]", f"http://{host}:{port}/api/v1"
    console.print(pick(f"changzhu 办事大厅：{office}（接口：{api}）", f"changzhu office: {office}  (API: {api})", lang))
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


def _warm(settings: ApiSettings, lang: Lang) -> None:
    """warm_rules on today's date, saying in `lang` when each city's rules are ready; a failure is said, not raised
    (the requests that need those rules report it themselves)."""
    from changzhu.api.warm import warm_rules
    from changzhu.store.db import make_engine

    def ready(city: str, done: int, total: int) -> None:
        said = pick(
            f"{city} 的规则已就绪（第 {done} 个，共 {total} 个城市）",
            f"rules ready for {city} ({done} of {total} cities)",
            lang,
        )
        console.print(said, highlight=False)

    started = time.perf_counter()
    console.print(pick("正在准备每个有居民的城市的规则", "preparing the rules of every city with residents", lang))
    try:
        cities = warm_rules(make_engine(settings.database_url), settings, date.today(), ready)
    except Exception as exc:  # the server runs on: the first request in that city prepares its rules itself
        console.print(pick(f"准备规则时中断：{exc}", f"preparing the rules stopped: {exc}", lang), highlight=False)
        return
    seconds = time.perf_counter() - started
    console.print(
        pick(
            f"{len(cities)} 个城市的规则已就绪，用时 {seconds:.1f} 秒",
            f"rules ready for {len(cities)} cities in {seconds:.1f} s",
            lang,
        ),
        highlight=False,
    )


def _read_password(password_stdin: bool, lang: Lang) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    again = pick("请再输入一次密码", "Repeat for confirmation", lang)
    return str(typer.prompt(pick("密码", "password", lang), hide_input=True, confirmation_prompt=again))


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
    *,
    lang: LangOption,
) -> None:
    """Create an account (the password is asked for twice, or read from stdin); by default the password is a
    one-time one, to be changed at the first login."""
    from changzhu.api.auth.accounts import InvalidAccount, create_user
    from changzhu.api.auth.roles import Role
    from changzhu.cli.admin_words import ROLES
    from changzhu.domain.refusals import RefusalCode, either, refusal
    from changzhu.registry.migrate import upgrade
    from changzhu.rules.labels import pick_label
    from changzhu.store.db import make_engine

    if role not in ROLES:
        choices = either("choices", ROLES)
        raise InvalidAccount(refusal(RefusalCode.CLI_NOT_ONE_OF, option="--role", value=role, **choices))
    chosen = Role(role)
    engine = make_engine()
    upgrade(engine)
    created = create_user(
        engine,
        username,
        _read_password(password_stdin, lang),
        chosen,
        jurisdiction or [],
        person_id,
        must_change_password=not keep_password,
    )
    role_words = pick_label(ROLES[created.role.value], lang)
    if lang == Lang.ZH:
        scopes = "、".join(created.scopes) or f"人员编号 {created.person_id}"
        first = "；首次登录时须修改密码" if not keep_password else ""
        said = f"已创建{role_words}账户 {created.username}（{scopes}）{first}"
    else:
        scopes = ", ".join(created.scopes) or f"person {created.person_id}"
        first = "; the password must be changed at the first login" if not keep_password else ""
        said = f"created {role_words} account {created.username!r} ({scopes}){first}"
    console.print(said, highlight=False)


@user_app.command("list")
def user_list(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, csv, json; xlsx or parquet with --out")
    ] = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """List accounts with role and jurisdictions."""
    from changzhu.api.auth.accounts import list_users
    from changzhu.cli.admin_words import ACCOUNT_COLUMNS, ROLES, in_lang
    from changzhu.store.db import make_engine

    rows = [
        {"username": u.username, "role": u.role.value, "jurisdictions": ",".join(u.scopes), "person_id": u.person_id}
        for u in list_users(make_engine())
    ]
    import polars as pl

    schema = {"username": pl.String, "role": pl.String, "jurisdictions": pl.String, "person_id": pl.Int64}
    accounts = pl.DataFrame(rows, schema=schema)
    if fmt == OutputFormat.TABLE and out is None:  # CSV, JSON and files keep the codes, for scripts
        accounts = in_lang(accounts, ACCOUNT_COLUMNS, lang, {"role": ROLES})
    emit_table(accounts, fmt, pick(f"{len(rows)} 个账户", f"{len(rows)} accounts", lang), out=out, lang=lang)


@user_app.command("disable")
def user_disable(
    username: Annotated[str, typer.Argument(help="the account's user name (`changzhu user list` shows it)")],
    *,
    lang: LangOption,
) -> None:
    """Disable an account; its tokens stop working at the next request."""
    from changzhu.api.auth.accounts import set_active
    from changzhu.store.db import make_engine

    set_active(make_engine(), username, False)
    console.print(pick(f"已停用账户 {username}", f"disabled {username!r}", lang), highlight=False)


@peer_app.command("key")
def peer_key(*, lang: LangOption) -> None:
    """Print this instance's public key (give it to the peers' operators)."""
    from changzhu.api.keys import load_or_create_signing_key, public_key_text
    from changzhu.api.routes.interregion import SIGNING_KEY_FILE
    from changzhu.api.settings import keys_dir

    print(public_key_text(load_or_create_signing_key(keys_dir() / SIGNING_KEY_FILE)))


@peer_app.command("add")
def peer_add(
    region: Annotated[str, typer.Argument(help="the peer's province code (its CHANGZHU_INSTANCE_REGION), e.g. 510000")],
    url: Annotated[str, typer.Argument(help="the peer's base URL, e.g. https://gd.example.gov.cn")],
    public_key: Annotated[str, typer.Argument(help="the peer's public key (64 hex digits, `changzhu peer key`)")],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="replace the key and URL of a province registered already (with --as ADMIN; audited); without it"
            " a different key or URL is refused",
        ),
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="with --replace: the administrator who replaces the peer (named in the audit log)"),
    ] = None,
    *,
    lang: LangOption,
) -> None:
    """Trust a peer instance: accept messages it signs, and send it transfers."""
    from changzhu.api.interregion.peers import Added, add_peer, checked_peer
    from changzhu.api.keys import fingerprint, own_public_key
    from changzhu.api.ledger_writes import operator
    from changzhu.api.settings import INSTANCE_REGION_ENV, keys_dir
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    if replace and not as_user:
        raise CodedError(refusal(RefusalCode.PEER_REPLACE_NEEDS_AS, option="--as"))
    here = os.environ.get(INSTANCE_REGION_ENV) or None
    checked_peer(region, url, public_key, own_region=here)  # refused before the store is opened: nothing made
    engine = make_engine()
    upgrade(engine)
    by = operator(engine, as_user) if replace and as_user else None
    change = add_peer(engine, region, url, public_key, own_region=here, replace_by=by)
    new = fingerprint(public_key)
    if change.outcome == Added.UNCHANGED:
        said = pick(
            f"{region} 的实例 {url} 已登记，公钥指纹 {new}：未作更改",
            f"peer {region} at {url} is registered already with this key (fingerprint {new}): nothing changed",
            lang,
        )
    elif change.outcome == Added.REPLACED and change.before is not None:
        old = fingerprint(change.before.public_key)
        said = pick(
            f"已替换 {region} 的实例：{change.before.base_url}（公钥指纹 {old}）改为 {url}（公钥指纹 {new}），"
            "已记入审计日志",
            f"peer {region} replaced: {change.before.base_url} (key fingerprint {old}) is now {url} (key fingerprint"
            f" {new}), recorded in the audit log",
            lang,
        )
    else:
        said = pick(
            f"已添加 {region} 的实例 {url}（公钥指纹 {new}）：接受其签名的消息，并可向其发送转移",
            f"peer {region} at {url} added (key fingerprint {new}): its signed messages are accepted, and transfers"
            " can be sent to it",
            lang,
        )
    console.print(said, highlight=False)
    if own_public_key(keys_dir()) is None:  # a fresh instance: the peer cannot verify it until it has its key
        command = "`changzhu peer key`"
        console.print(
            pick(
                f"本实例还没有签名密钥：请运行 {command} 生成，并把它显示的公钥交给 {region} 的操作员",
                f"this instance has no signing key yet: run {command} to make it, and give the public key it prints"
                f" to the operator of {region}",
                lang,
            ),
            highlight=False,
        )


@peer_app.command("list")
def peer_list(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, csv, json; xlsx or parquet with --out")
    ] = OutputFormat.TABLE,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """The peers this instance trusts (province, URL, key fingerprint), under this instance's own key fingerprint:
    compare it with the one each peer's operator sees for this instance (after a key file was restored too)."""
    import polars as pl

    from changzhu.api.interregion.peers import list_peers
    from changzhu.api.keys import fingerprint, own_public_key
    from changzhu.api.settings import keys_dir
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine
    from changzhu.tables.places import place_names

    own = own_public_key(keys_dir())
    say = console if fmt == OutputFormat.TABLE and out is None else err_console  # CSV and JSON stay parseable
    if own is None:
        say.print(
            pick(
                "本实例还没有签名密钥：请运行 `changzhu peer key` 生成",
                "this instance has no signing key yet: run `changzhu peer key` to make it",
                lang,
            ),
            highlight=False,
        )
    else:
        say.print(
            pick(f"本实例的公钥指纹：{fingerprint(own)}", f"this instance's key fingerprint: {fingerprint(own)}", lang),
            highlight=False,
        )
    engine = make_engine()
    upgrade(engine)
    peers = list_peers(engine)
    names = place_names({p.region_code for p in peers})
    shown = 0 if lang == Lang.ZH else 1
    rows = [
        {
            "region": p.region_code,
            "name": (names[p.region_code][shown] or names[p.region_code][0]) if p.region_code in names else None,
            "url": p.base_url,
            "fingerprint": fingerprint(p.public_key),
            "public_key": p.public_key,
        }
        for p in peers
    ]
    schema = {c: pl.String for c in ("region", "name", "url", "fingerprint", "public_key")}
    table = pl.DataFrame(rows, schema=schema)
    if fmt == OutputFormat.TABLE and out is None:  # the full key only in files and scripts' formats
        headers = {"region": "地区代码", "name": "地区", "url": "网址", "fingerprint": "公钥指纹"}
        table = table.drop("public_key")
        if lang == Lang.ZH:
            table = table.rename(headers)
    title = pick(f"{len(rows)} 个对方实例", f"{len(rows)} peer{'' if len(rows) == 1 else 's'}", lang)
    emit_table(table, fmt, title, out=out, lang=lang)


def register(app: typer.Typer) -> None:
    """Attach `serve`, `user` and `peer` to the top-level app."""
    app.command()(serve)
    app.add_typer(user_app, name="user")
    app.add_typer(peer_app, name="peer")
