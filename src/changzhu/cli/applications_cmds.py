"""Commands for applications (申请) and quota runs (积分排名) on the registry database."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from changzhu.cli.lang import LangOption
from changzhu.cli.registry_cmds import As, migrated_engine
from changzhu.domain.lang import Lang
from changzhu.errors import ChangzhuError
from changzhu.output import console, print_fields

E = TypeVar("E", bound=StrEnum)

applications_app = typer.Typer(help="Applications (申请): submit with a pre-check, list, show, take a step.")
quota_app = typer.Typer(help="Quotas (积分排名): publish a ranking run, or simulate one without storing it.")


class RecordFormat(StrEnum):
    """How a command prints its record: in words for people, or as the API's JSON (the codes) for scripts."""

    TABLE = "table"
    JSON = "json"


Fmt = Annotated[RecordFormat, typer.Option("--format", help="table (words, in --lang) or json (the API's codes)")]


def _json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _rows(headers: tuple[tuple[str, str], ...], rows: list[list[str]], lang: Lang) -> None:
    """Rows under their headers in `lang`, values folded, never cut."""
    from rich.table import Table

    from changzhu.rules.labels import pick_label

    table = Table()
    for header in headers:
        table.add_column(pick_label(header, lang), overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _show(item: dict[str, Any], fmt: RecordFormat, lang: Lang) -> None:
    """An application: its fields, then the steps it went through when it has them."""
    from changzhu.cli.casework_view import EVENT_COLUMNS, application_rows, event_rows

    if fmt == RecordFormat.JSON:
        _json(item)
        return
    print_fields(application_rows(item, lang))
    if item.get("events"):
        _rows(EVENT_COLUMNS, event_rows(item["events"], lang), lang)


def _show_run(run: dict[str, Any], fmt: RecordFormat, lang: Lang) -> None:
    """A quota run, published or simulated."""
    from changzhu.cli.casework_view import quota_rows

    if fmt == RecordFormat.JSON:
        _json(run)
        return
    print_fields(quota_rows(run, lang))


ApplicationId = Annotated[int, typer.Argument(help="the application's number (`applications list` shows it)")]


@applications_app.command("submit")
def submit(
    person_key: Annotated[str, typer.Argument(help="the applicant's person key")],
    kind: Annotated[str, typer.Argument(help="residence_permit, points, public_rental, school_place, dibao, hukou")],
    as_user: As,
    note: Annotated[str | None, typer.Option("--note", help="a note kept with the application")] = None,
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """Submit an application: the rules engine pre-checks it (eligible, not eligible, or the facts missing); staff
    of the place where the applicant lives."""
    from changzhu.api.application_writes import submit_as
    from changzhu.api.ledger_writes import operator
    from changzhu.casework.applications import ApplicationKind

    engine = migrated_engine()
    _show(
        submit_as(engine, operator(engine, as_user), person_key, _choice(ApplicationKind, kind, "KIND"), note),
        fmt,
        lang,
    )


@applications_app.command("list")
def listing(
    as_user: As,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="only this status: submitted, in_review, approved, rejected, appealed, upheld, overturned, closed",
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="only this kind: residence_permit, points, public_rental, school_place, dibao, hukou"
        ),
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="only this region's (its code)")] = None,
    limit: Annotated[int, typer.Option("--limit", help="at most this many")] = 50,
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """List applications (newest last): a resident's own, or for staff those of their jurisdiction, as the API (the
    listing is audited)."""
    from changzhu.api.application_reads import applications_as
    from changzhu.api.ledger_writes import operator
    from changzhu.casework.application_records import Filter
    from changzhu.cli.casework_view import LIST_COLUMNS, list_rows

    engine = migrated_engine()
    page = applications_as(engine, operator(engine, as_user), Filter(status, kind, region), None, 0, limit)
    if fmt == RecordFormat.JSON:
        _json(page)
        return
    _rows(LIST_COLUMNS, list_rows(page["items"], lang), lang)
    total = page["total"]
    console.print(f"共 {total} 件申请" if lang == Lang.ZH else f"{total} application(s)", highlight=False)


@applications_app.command("show")
def show(
    application_id: ApplicationId,
    as_user: As,
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """One application with its events: its applicant (or her guardian), or staff of its region, as the API (the
    read is audited)."""
    from changzhu.api.application_reads import application_as
    from changzhu.api.ledger_writes import operator

    engine = migrated_engine()
    _show(application_as(engine, operator(engine, as_user), application_id), fmt, lang)


@applications_app.command("step")
def step(
    application_id: ApplicationId,
    action: Annotated[str, typer.Argument(help="review, approve, reject, appeal, uphold, overturn")],
    as_user: As,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="the reason given for the step (default: drafted from the explanation)"),
    ] = None,
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """Take one step of the state machine (an illegal step is refused, naming the steps allowed); staff of the
    application's region."""
    from changzhu.api.application_writes import step_as
    from changzhu.api.ledger_writes import operator
    from changzhu.casework.applications import Action

    engine = migrated_engine()
    _show(
        step_as(engine, operator(engine, as_user), application_id, _choice(Action, action, "ACTION"), reason), fmt, lang
    )


def _choice(enum: type[E], value: str, argument: str) -> E:
    """The member of `enum` named `value`, or an error naming the `argument` (as the help writes it) and listing the
    members."""
    from changzhu.domain.refusals import CodedError, RefusalCode, either, refusal

    try:
        return enum(value)
    except ValueError as exc:
        choices = either("choices", (e.value for e in enum))
        raise CodedError(refusal(RefusalCode.CLI_NOT_ONE_OF, option=argument, value=value, **choices)) from exc


def _capacity(raw: list[str] | None) -> dict[str, int] | None:
    """DISTRICT=PLACES pairs as a mapping."""
    if not raw:
        return None
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal

    out: dict[str, int] = {}
    for item in raw:
        district, _, places = item.partition("=")
        if not places.isdigit():
            raise CodedError(refusal(RefusalCode.CLI_CAPACITY_FORM, value=item))
        out[district] = int(places)
    return out


Kind = Annotated[str, typer.Option("--kind", help="points_hukou or school_place")]
Region = Annotated[str, typer.Option("--region", help="the city (prefecture code)")]
Quota = Annotated[int | None, typer.Option("--quota", help="places (积分落户); default the city's declared quota")]
Places = Annotated[list[str] | None, typer.Option("--capacity", help="DISTRICT=PLACES (积分入学), repeatable")]
Facilities = Annotated[
    Path | None,
    typer.Option("--facilities", help="facility list (设施清单): primary-school places per district (积分入学)"),
]
Level = Annotated[str, typer.Option("--by", help="sum the facility list's places per county or prefecture")]


def _places(capacity: list[str] | None, facilities: Path | None, level: str) -> dict[str, int] | None:
    """The places per district: the facility list's, then those given with --capacity (which win)."""
    from changzhu.casework.quota_runs import school_places

    found: dict[str, int] = {}
    if facilities is not None:
        from changzhu.cli.tables_cmds import read_user_table
        from changzhu.planning.standards import load_standards, service_catalog
        from changzhu.tables.kinds import facility_schema

        schema = facility_schema(service_catalog(load_standards()))
        table = read_user_table(facilities, schema, sheet=None, skip_bad_rows=False, errors=None)
        found = school_places(table, level)
    found |= _capacity(capacity) or {}
    return found or None


def _needs_capacity() -> ChangzhuError:
    """A school-place ranking asked for without the places (--capacity or --facilities), coded: told in the error
    line's language (the API's CAPACITY_REQUIRED names its field; this, the option and its form)."""
    from changzhu.domain.refusals import CodedError, RefusalCode, refusal

    return CodedError(refusal(RefusalCode.CLI_QUOTA_NEEDS_CAPACITY, option="--capacity", facilities="--facilities"))


@quota_app.command("run")
def run(
    kind: Kind,
    region: Region,
    year: Annotated[int, typer.Option("--year", help="the year the ranking is for (e.g. 2026)")],
    as_user: As,
    quota: Quota = None,
    capacity: Places = None,
    facilities: Facilities = None,
    level: Level = "prefecture",
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """Rank the city's granted applications and publish the cut-off, admitted and waiting lists (staff of the
    city)."""
    from changzhu.api.application_writes import publisher
    from changzhu.api.ledger_writes import operator
    from changzhu.api.quota_reasons import told_rule
    from changzhu.casework import quota_runs as runs
    from changzhu.casework.quotas import by_capacity, by_quota
    from changzhu.store.db import session_scope

    engine, on, chosen = migrated_engine(), date.today(), runs.QuotaKind(kind)
    principal = operator(engine, as_user)
    publisher(principal, region)
    candidates, apart = runs.application_candidates(engine, chosen, region, on)
    rule = runs.tie_break(region, on)
    places = _places(capacity, facilities, level)
    if chosen == runs.QuotaKind.SCHOOL_PLACE:
        if places is None:
            raise _needs_capacity()
        ranking, source = by_capacity(candidates, rule, places), None
    else:
        source = runs.GIVEN_ON_COMMAND_LINE
        if quota is None:
            quota, source = runs.annual_quota(region, on)
        ranking = by_quota(candidates, rule, quota)
    described = {
        "tie_break": rule.describe(),
        "quota_source": source,
        "evaluated_on": on.isoformat(),
        "not_ranked": apart,
    }
    published = runs.publish(engine, chosen, region, year, quota, places, ranking, described, principal.username)
    with session_scope(engine) as session:  # a reason naming where a moved-out applicant went: only if may see her
        published["rule"] = told_rule(session, principal, published["rule"])
    _show_run(published, fmt, lang)


@quota_app.command("simulate")
def simulate(
    kind: Kind,
    region: Region,
    quota: Quota = None,
    capacity: Places = None,
    facilities: Facilities = None,
    level: Level = "prefecture",
    fraction: Annotated[
        float,
        typer.Option(
            "--fraction", help="sample fraction of the city's residents (the counts shown are scaled up: estimates)"
        ),
    ] = 0.001,
    seed: Annotated[int, typer.Option("--seed", help="random seed of the synthetic sample")] = 1,
    fmt: Fmt = RecordFormat.TABLE,
    *,
    lang: LangOption,
) -> None:
    """On a synthetic sample of the city: the cut-off a quota gives, or the children admitted with --capacity."""
    from changzhu.casework import quota_runs as runs
    from changzhu.casework.quotas import by_capacity, by_quota, half_up

    on, chosen = date.today(), runs.QuotaKind(kind)
    from changzhu.api.quota_population import synthetic_candidates

    candidates, unassessed = synthetic_candidates(chosen, region, on, fraction, seed)
    rule = runs.tie_break(region, on)
    places = _places(capacity, facilities, level)
    if chosen == runs.QuotaKind.SCHOOL_PLACE:
        if places is None:
            raise _needs_capacity()
        ranking = by_capacity(candidates, rule, {d: half_up(n * fraction) for d, n in places.items()})
    else:
        quota = quota if quota is not None else runs.annual_quota(region, on)[0]
        ranking = by_quota(candidates, rule, half_up(quota * fraction))
    _show_run({"candidates": round(len(candidates) / fraction), "cutoff_points": ranking.cutoff_points,
               "admitted_count": round(len(ranking.admitted) / fraction), "cutoffs": ranking.cutoffs,
               "ranked_on_lower_bound": round(unassessed / fraction), "fraction": fraction, "seed": seed},
              fmt, lang)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add the applications and quota command groups."""
    app.add_typer(applications_app, name="applications")
    app.add_typer(quota_app, name="quota")
