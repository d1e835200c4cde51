"""Reform scenarios: saved and shipped ones (CRUD, YAML up and down), runs in the background, results, compare."""

from __future__ import annotations

from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, field_validator, model_validator

from changzhu.api.aggregates import in_jurisdiction, require_analyst
from changzhu.api.deps import EngineDep, LimitQuery, OffsetQuery, PrincipalDep, SettingsDep
from changzhu.api.errors import Conflict
from changzhu.api.export import (
    FILE_RESPONSES,
    ExportFormat,
    FormatQuery,
    dicts_page_as,
    file_response,
    frame_page_as,
    list_page_as,
)
from changzhu.api.file_names import file_name, safe_part, stamp
from changzhu.api.language import answer_lang
from changzhu.api.pagination import Page
from changzhu.api.result_titles import ESTIMATE_NOTE, rounded, titled
from changzhu.api.scenario_files import (
    all_scenarios,
    create_scenario,
    delete_scenario,
    describe_row,
    describe_yaml,
    saved_row,
    scenario_paths,
    scenario_yaml,
    to_yaml,
    update_scenario,
)
from changzhu.api.scenario_runs import (
    MAX_SAMPLE,
    REGIONAL_DIMENSIONS,
    RunQueue,
    band_table,
    describe_run,
    result_frame,
    run_title,
    runs_file_in,
)
from changzhu.domain.estimates import synthetic
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.rules.errors import ScenarioError
from changzhu.simulation.breakdown import DIMENSIONS as BREAKDOWN_DIMENSIONS
from changzhu.simulation.reform_titles import TITLE_MAX, check_title_shape
from changzhu.store.scenario_models import ScenarioRunRow

router = APIRouter(prefix="/scenarios", tags=["scenarios"])
YAML_MAX = 20_000
NameQuery = Annotated[str | None, Query(max_length=80, description="only runs of this scenario")]
RESULT_RESPONSES: dict[int | str, dict[str, Any]] = {401: {}, 403: {}, 404: {}, 409: {}, **FILE_RESPONSES}
# the breakdown's dimensions as results show them: income bins are reported as deciles
DIMENSIONS = tuple("income_decile" if d == "income_bin" else d for d in BREAKDOWN_DIMENSIONS)


class TitleBody(BaseModel):
    """A reform's title in Chinese, English or both (one given shows in both languages); trimmed, at most
    TITLE_MAX characters each (the refusal says so: `check_title`)."""

    zh: str | None = Field(default=None, max_length=YAML_MAX)
    en: str | None = Field(default=None, max_length=YAML_MAX)


class ScenarioBody(BaseModel):
    """A reform: the CLI's YAML as text (`yaml`), or its fields (name, title, description, overrides, simulation).
    Saved, it needs a title (`title: {zh, en}` in the YAML, the shipped reforms' shape)."""

    yaml: str | None = Field(default=None, max_length=YAML_MAX, description="the scenario file as the CLI reads it")
    name: str | None = Field(default=None, max_length=80)
    title: TitleBody | None = Field(
        default=None, description=f"{{zh, en}}: one or both, trimmed, at most {TITLE_MAX} characters each"
    )
    description: str = Field(default="", max_length=400)
    overrides: dict[str, Any] | list[dict[str, Any]] | None = Field(
        default=None, description="{parameter: value} or [{parameter, value, since, jurisdiction}]"
    )
    simulation: dict[str, Any] | None = Field(default=None, description="years, sample, seed, services, costs")

    @field_validator("title", mode="before")
    @classmethod
    def _title_per_language(cls, title: object) -> object:
        """A title not written per language (a plain string) refused showing the shape, as in a YAML file."""
        check_title_shape({"title": title})
        return title

    @model_validator(mode="after")
    def _one_form(self) -> ScenarioBody:
        if (self.yaml is None) == (self.overrides is None):
            raise ScenarioError(refusal(RefusalCode.YAML_OR_FIELDS))
        return self

    def text(self, name: str | None = None) -> str:
        """The scenario as YAML text (fields without a name take `name`)."""
        if self.yaml is not None:
            return self.yaml
        named = self.name or name
        if not named:
            raise ScenarioError(refusal(RefusalCode.SCENARIO_NEEDS_NAME))
        return to_yaml({**self.model_dump(), "name": named})


class RunRequest(BaseModel):
    """Settings of a run; the defaults come from the scenario file (years: its own and its effective years)."""

    sample: float | None = Field(default=None, gt=0, le=MAX_SAMPLE, description="fraction of the 2020 residents")
    years: list[int] | None = Field(default=None, min_length=1, max_length=10, description="evaluation years")
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1)
    target_relative_half_width: float | None = Field(
        default=None,
        gt=0.001,
        le=1,
        description="precision wanted on the headline change (0.05: ±5% at 90%); a larger sample is chosen if needed",
    )

    @model_validator(mode="after")
    def _years(self) -> RunRequest:
        if self.years is not None and (
            sorted(set(self.years)) != self.years or not all(2020 <= y <= 2035 for y in self.years)
        ):
            raise ScenarioError(refusal(RefusalCode.RUN_YEARS_RANGE))
        return self


def _lang(request: Request) -> Lang:
    """The language a run's step or failure is written in for this request (`lang`, else Accept-Language)."""
    return answer_lang(request.query_params, request.headers)


def _queue(request: Request) -> RunQueue:
    queue: RunQueue = request.app.state.scenario_runs
    return queue


@router.get("", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def scenarios(
    settings: SettingsDep,
    engine: EngineDep,
    principal: PrincipalDep,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
) -> Page[dict[str, Any]] | Response:
    """Reform scenarios, shipped files and saved ones: name, description, overrides, simulation settings."""
    require_analyst(principal)
    return list_page_as(all_scenarios(engine, settings.scenarios_dir), limit, offset, fmt, "scenarios")


@router.post("", status_code=201, responses={400: {}, 401: {}, 403: {}, 409: {}})
def create(body: ScenarioBody, settings: SettingsDep, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Save a reform (the CLI's YAML, or its fields); the caller's jurisdiction must cover every override."""
    require_analyst(principal)
    return describe_row(create_scenario(engine, settings.scenarios_dir, principal, body.text()))


@router.get("/runs", response_model=Page[dict[str, Any]], responses={401: {}, 403: {}, **FILE_RESPONSES})
def runs(
    request: Request,
    principal: PrincipalDep,
    scenario: NameQuery = None,
    limit: LimitQuery = 50,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(
            description="with format=csv|xlsx: a file for people, its headers, reforms and statuses in zh or en "
            "(without it, the codes scripts read); a run's step and failure are written in it too (default: "
            "Accept-Language, else zh)"
        ),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Stored runs, newest first: settings, versions, status, progress and summary. A file asked with `lang`
    (format=csv|xlsx&lang=zh|en) is one a person reads, in that language only (api/scenario_runs.py,
    `runs_file_in`); without it, the codes, column names and JSON, as scripts read them."""
    require_analyst(principal)
    rows, total = _queue(request).listing(scenario, limit, offset)
    in_lang = lang or _lang(request)
    described = [describe_run(r, in_lang) for r in rows]
    if lang is not None and fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        described = runs_file_in(described, in_lang)
    return dicts_page_as(described, total, limit, offset, fmt, "runs")


def _results(request: Request, run_id: str) -> pl.DataFrame:
    """A finished run's results, each row saying it is an estimate from the run's synthetic sample (its files too)."""
    row = _queue(request).get(run_id)
    if row.status != "done" or row.result_parquet is None:
        raise Conflict(refusal(RefusalCode.RUN_NOT_DONE, run_id=str(run_id), status=str(row.status)))
    frame = result_frame(row.result_parquet)
    notes = {service: synthetic(_sample(row), service) for service in frame["service"].unique().to_list()}
    return frame.with_columns(pl.col("service").replace_strict(notes, return_dtype=pl.String).alias(ESTIMATE_NOTE))


def _for_people(frame: pl.DataFrame, fmt: ExportFormat, lang: Lang | None, row: ScenarioRunRow) -> pl.DataFrame:
    """A run's results or bands as a CSV or XLSX file shows them: figures rounded to what they measure and, asked
    with a language, named in it, the reform by its title (result_titles); JSON and Parquet keep the figures as
    computed, with their codes."""
    if fmt not in (ExportFormat.CSV, ExportFormat.XLSX):
        return frame
    frame = rounded(frame)
    return frame if lang is None else titled(frame, lang, {row.scenario_name: run_title(row, lang)})


# what a run's gains-and-losses file holds, in its name after the reform's title
BANDS_WORD = {Lang.ZH: "得益受损", Lang.EN: "gains_and_losses"}


def _run_file_names(
    row: ScenarioRunRow, lang: Lang | None, year: int | None, what: dict[Lang, str] | None = None
) -> tuple[str, str]:
    """A run's file's name (without its extension) as a person reads it in a downloads folder, and its ASCII form
    for a client that reads only that: the reform's title in `lang` (its key, the scenario's name, without one),
    what the file holds beside the results (`what`, in `lang`), the year it holds where it holds one, and when the
    run was started (two runs of one reform told apart)."""
    when = stamp(row.created_at)
    key = safe_part(row.scenario_name)
    title = safe_part(run_title(row, lang)) if lang is not None else key
    year_part = str(year) if year is not None else ""
    word = (what or {}).get(lang or Lang.EN, "")
    plain = (what or {}).get(Lang.EN, "")
    return file_name(title or key, word, year_part, when), file_name(key, plain, year_part, when)


def _sample(row: ScenarioRunRow) -> float:
    """The sampling fraction a run was made with."""
    return float(str((row.summary or {}).get("sample") or row.settings["sample"]))


def _noted(frame: pl.DataFrame, sample: float) -> pl.DataFrame:
    """`frame`, the gains and losses of a run on a `sample`, with the note of the services with a unit cost (what a
    household's benefit value adds up) on every row."""
    return frame.with_columns(pl.lit(synthetic(sample, "all_costed_services"), pl.String).alias(ESTIMATE_NOTE))


@router.get(
    "/runs/compare",
    response_model=Page[dict[str, Any]],
    responses=RESULT_RESPONSES,
)
def compare(
    request: Request,
    principal: PrincipalDep,
    a: Annotated[str, Query(max_length=32, description="first run id")],
    b: Annotated[str, Query(max_length=32, description="second run id")],
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None,
        Query(
            description="with format=csv|xlsx: reforms, services, measures and headers in zh or en "
            "(default: Accept-Language, else zh)"
        ),
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Two runs side by side: national estimates per reform, year, service and measure, and their difference (B − A).
    A CSV or XLSX file is for people: each reform by its title, services, measures and headers in the request's
    language (`lang`, else Accept-Language, else Chinese; the estimate note in it on every row), the figures rounded
    as a run's file's are; JSON and Parquet keep the codes and the figures as computed."""
    require_analyst(principal)
    keys = ["year", "service", "measure"]
    figures = ("estimate", "low", "high")

    def national(run_id: str, tag: str) -> pl.DataFrame:
        frame = _results(request, run_id).filter(pl.col("dimension") == "national")
        return frame.select(
            *keys,
            pl.col("scenario").alias(f"scenario_{tag}"),
            *[pl.col(c).alias(f"{c}_{tag}") for c in (*figures, "note", ESTIMATE_NOTE)],
        )

    joined = national(a, "a").join(national(b, "b"), on=keys, how="full", coalesce=True)
    joined = joined.with_columns((pl.col("estimate_b") - pl.col("estimate_a")).alias("difference")).sort(keys)
    if fmt in (ExportFormat.CSV, ExportFormat.XLSX):
        in_lang = _lang(request)
        queue = _queue(request)
        titles = {tag: run_title(queue.get(run_id), in_lang) for tag, run_id in (("a", a), ("b", b))}
        # each side by its own run's title: two runs of one saved scenario may have run different versions of it
        joined = joined.with_columns(
            pl.when(pl.col(f"scenario_{tag}").is_not_null()).then(pl.lit(title)).alias(f"scenario_{tag}")
            for tag, title in titles.items()
        )
        sides = ("_a", "_b")
        joined = titled(rounded(joined, (*(f + s for s in sides for f in figures), "difference")), in_lang, sides=sides)
    return frame_page_as(joined, limit, offset, fmt, f"compare_{a}_{b}")


@router.get("/runs/{run_id}", responses={401: {}, 403: {}, 404: {}})
def run(run_id: str, request: Request, principal: PrincipalDep) -> dict[str, Any]:
    """A run's status and progress, its settings and versions, and its summary (sample, precision, unit costs)."""
    require_analyst(principal)
    return describe_run(_queue(request).get(run_id), _lang(request))


ALL_DIMENSIONS = "all"
# a file's groupings when none is asked: the whole country, the provinces and the population groups, a table a
# spreadsheet opens (tens of thousands of rows); prefectures and counties are asked by name, the whole table as `all`
FILE_DIMENSIONS = tuple(d for d in DIMENSIONS if d not in ("prefecture", "county"))


def groupings(dimension: str | None, fmt: ExportFormat) -> tuple[str, ...] | None:
    """The groupings asked (`national,province,residence`; `all`: every one), a file's default when none is (JSON
    pages every row); None: no filter."""
    if dimension is None:
        return None if fmt == ExportFormat.JSON else FILE_DIMENSIONS
    asked = tuple(d.strip() for d in dimension.split(",") if d.strip())
    return None if ALL_DIMENSIONS in asked else asked


@router.get(
    "/runs/{run_id}/results",
    response_model=Page[dict[str, Any]],
    responses=RESULT_RESPONSES,
)
def results(
    run_id: str,
    request: Request,
    principal: PrincipalDep,
    dimension: Annotated[
        str | None,
        Query(
            max_length=200,
            description=f"groupings, comma-separated ({', '.join(DIMENSIONS)}), or all; a file without it: "
            f"{', '.join(FILE_DIMENSIONS)}",
        ),
    ] = None,
    measure: Annotated[str | None, Query(max_length=40, description="e.g. newly_eligible, delta_cost_yuan")] = None,
    service: Annotated[str | None, Query(max_length=60)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    whole: Annotated[
        bool, Query(description="with format=csv|xlsx|parquet: every row the filters select, not one page")
    ] = False,
    lang: Annotated[
        Lang | None, Query(description="with format=csv|xlsx: headers, services and measures in zh or en")
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Estimates with 90% intervals by group; provinces, prefectures and counties outside the caller's
    jurisdiction are left out. A file holds the groupings asked (without `dimension`: the whole country, the
    provinces and the population groups; `dimension=all`: the whole table, counties included, for Parquet or a
    large CSV; XLSX is refused above an Excel sheet's rows). A file asked with `lang` is for people: its headers,
    services, groupings and measures are named in that language (without it, the codes scripts read)."""
    require_analyst(principal)
    frame = _results(request, run_id)
    for column, value in (("measure", measure), ("service", service), ("year", year)):
        if value is not None:
            frame = frame.filter(pl.col(column) == value)
    asked = groupings(dimension, fmt)
    if asked is not None:
        frame = frame.filter(pl.col("dimension").is_in(list(asked)))
    regional = pl.col("dimension").is_in(list(REGIONAL_DIMENSIONS))
    regions = in_jurisdiction(frame.filter(regional), principal, "group")
    frame = pl.concat([frame.filter(~regional), regions])
    row = _queue(request).get(run_id)
    frame = _for_people(frame, fmt, lang, row)
    name, fallback = _run_file_names(row, lang, year)
    if whole and fmt != ExportFormat.JSON:
        return file_response(frame, fmt, name, fallback)
    return frame_page_as(frame, limit, offset, fmt, name, fallback)


@router.get(
    "/runs/{run_id}/bands",
    response_model=Page[dict[str, Any]],
    responses=RESULT_RESPONSES,
)
def bands(
    run_id: str,
    request: Request,
    principal: PrincipalDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: LimitQuery = 500,
    offset: OffsetQuery = 0,
    fmt: FormatQuery = ExportFormat.JSON,
    lang: Annotated[
        Lang | None, Query(description="with format=csv|xlsx: headers, units and bands in zh or en")
    ] = None,
) -> Page[dict[str, Any]] | Response:
    """Households and persons whose yearly benefit value gains or loses (five bands, PolicyEngine-style), nationally
    and by income decile: share of the group (with a 90% interval) and count (estimate and interval). A file is
    rounded, and named in `lang` where asked, as the results' are."""
    require_analyst(principal)
    results = _results(request, run_id)
    row = _queue(request).get(run_id)
    frame = _noted(band_table(results), _sample(row))
    if year is not None:
        frame = frame.filter(pl.col("year") == year)
    frame = _for_people(frame, fmt, lang, row)
    name, fallback = _run_file_names(row, lang, year, BANDS_WORD)
    return frame_page_as(frame, limit, offset, fmt, name, fallback)


@router.get("/{name}", responses={401: {}, 403: {}, 404: {}})
def scenario(name: str, settings: SettingsDep, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """One scenario, shipped or saved."""
    require_analyst(principal)
    text, scenario_id = scenario_yaml(engine, settings.scenarios_dir, name)
    if scenario_id is not None:
        return describe_row(saved_row(engine, name))
    return describe_yaml(text, source="file", editable=False, file=scenario_paths(settings.scenarios_dir)[name].name)


@router.get("/{name}/yaml", responses={200: {"content": {"application/yaml": {}}}, 401: {}, 403: {}, 404: {}})
def download(name: str, settings: SettingsDep, engine: EngineDep, principal: PrincipalDep) -> Response:
    """The scenario as the YAML file `changzhu simulate --scenario` reads."""
    require_analyst(principal)
    text, _ = scenario_yaml(engine, settings.scenarios_dir, name)
    headers = {"Content-Disposition": f'attachment; filename="{name}.yaml"'}
    return Response(text, media_type="application/yaml", headers=headers)


@router.put("/{name}", responses={400: {}, 401: {}, 403: {}, 404: {}})
def replace(name: str, body: ScenarioBody, engine: EngineDep, principal: PrincipalDep) -> dict[str, Any]:
    """Replace a saved scenario (same name; the version goes up). Shipped files are not editable."""
    require_analyst(principal)
    return describe_row(update_scenario(engine, principal, name, body.text(name)))


@router.delete("/{name}", status_code=204, responses={401: {}, 403: {}, 404: {}})
def delete(name: str, engine: EngineDep, principal: PrincipalDep) -> Response:
    """Delete a saved scenario; its runs stay (each holds the YAML it ran)."""
    require_analyst(principal)
    delete_scenario(engine, principal, name)
    return Response(status_code=204)


@router.post("/{name}/runs", status_code=202, responses={400: {}, 401: {}, 403: {}, 404: {}, 429: {}})
def start_run(
    name: str, body: RunRequest, request: Request, settings: SettingsDep, engine: EngineDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Queue a run of the reform against the baseline; poll GET /scenarios/runs/{run_id} for progress."""
    require_analyst(principal)
    text, scenario_id = scenario_yaml(engine, settings.scenarios_dir, name)
    queue = _queue(request)
    run_id = queue.start(name, scenario_id, text, body.model_dump(), principal.username)
    return describe_run(queue.get(run_id), _lang(request))
