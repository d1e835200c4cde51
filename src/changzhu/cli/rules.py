"""Rules commands: `changzhu evaluate` (a whole table), `changzhu explain` (one person, why) and `changzhu check`."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.cli.tables_cmds import ErrorsOption, SheetOption, SkipOption, read_user_people
from changzhu.domain.refusals import CodedError, RefusalCode, either, refusal
from changzhu.domain.services import Service
from changzhu.output import ExportOption, OutputFormat, PrintFormat, console, emit_table
from changzhu.report.lang import Lang, pick

if TYPE_CHECKING:
    import polars as pl

    from changzhu.domain.person import CheckedPersonTable
    from changzhu.rules.explain import Explanation
    from changzhu.rules.scenario import Scenario


EXPLAIN_HELP = "`changzhu explain --help`"


def _parse_date(raw: str | None) -> date:
    if raw is None:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CodedError(refusal(RefusalCode.CLI_OPTION_NOT_A_DATE, option="--on", value=raw)) from exc


def _services(names: list[str] | None) -> list[Service] | None:
    if not names:
        return None
    unknown = [n for n in names if n not in {s.value for s in Service}]
    if unknown:
        choices = either("choices", (s.value for s in Service))
        raise CodedError(refusal(RefusalCode.CLI_NOT_ONE_OF, option="--service", value=unknown[0], **choices))
    return [Service(n) for n in names]


def explain_command(
    example: Annotated[str | None, typer.Option("--example", help="a shipped example, e.g. shanghai-migrant")] = None,
    people: Annotated[
        Path | None, typer.Option("--people", help="person table: .csv, .xlsx, .parquet, .json, .yaml")
    ] = None,
    person_id: Annotated[int | None, typer.Option("--person-id", help="whom to explain (with --people)")] = None,
    on: Annotated[str | None, typer.Option("--on", help="evaluation date YYYY-MM-DD (default today)")] = None,
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these services")] = None,
    scenario: Annotated[Path | None, typer.Option("--scenario", help="reform YAML (parameter overrides)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the explanation as JSON (as the API does)")] = False,
    *,
    lang: LangOption,
    sheet: SheetOption = None,
    skip_bad_rows: SkipOption = False,
    errors: ErrorsOption = None,
) -> None:
    """Explain, condition by condition, which services a person gets where they live, and from when."""
    from changzhu.rules import load_scenario
    from changzhu.rules.examples import load_example

    reform = load_scenario(scenario) if scenario else None
    jobs: list[tuple[str, pl.DataFrame | CheckedPersonTable, date, int | None, list[Service] | None]] = []
    if example is not None:
        for case in load_example(example):
            for case_pid, shown in case.explain:
                jobs.append((case.title, case.people, case.on, case_pid, _services(service) or list(shown)))
    elif people is not None:
        table = read_user_people(people, sheet=sheet, skip_bad_rows=skip_bad_rows, errors=errors)
        jobs.append((str(people), table, _parse_date(on), person_id, _services(service)))
    else:
        raise CodedError(
            refusal(RefusalCode.CLI_EXPLAIN_NEEDS_INPUT, example="--example", people="--people", command=EXPLAIN_HELP)
        )
    out = []
    for title, table, when, pid, wanted in jobs:
        result = _explained(table, when, pid, reform, wanted, lang)
        if as_json:
            out.append({"case": title, **result.to_dict()})
        else:
            console.rule(f"[bold]{title}")
            console.print(result.to_text(), highlight=False, markup=False)
    if as_json:
        print(json.dumps(out, ensure_ascii=False, indent=1))


def _explained(
    table: pl.DataFrame | CheckedPersonTable,
    when: date,
    pid: int | None,
    reform: Scenario | None,
    wanted: list[Service] | None,
    lang: Lang,
) -> Explanation:
    """explain() of one person; a table lacking facts (left empty: unknown) explained as a registry's record lacking
    them is (registry.explained: undetermined where a missing fact matters, naming it)."""
    from changzhu.domain.person import CheckedPersonTable
    from changzhu.rules import explain

    if not isinstance(table, CheckedPersonTable):
        from changzhu.registry.explained import explain_registered, lacking

        if lacking(table):
            who = pid if pid is not None or table.height != 1 else int(table["person_id"][0])
            if who is not None:
                return explain_registered(table, when, who, lang=lang, scenario=reform, services=wanted)
    return explain(table, when, person_id=pid, scenario=reform, services=wanted, lang=lang)


def check_command(
    files: Annotated[list[Path] | None, typer.Argument(help="policy test files (default: all shipped)")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, csv, json; xlsx or parquet with --out")
    ] = OutputFormat.TABLE,
    list_parameters: Annotated[bool, typer.Option("--list-parameters", help="list every parameter instead")] = False,
    export: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """Load every policy file (checking references) and run the policy tests; exit 1 if any fails."""
    from changzhu.cli.admin_words import PARAMETER_COLUMNS, POLICY_TEST_COLUMNS, in_lang
    from changzhu.parameters import parameter_tree
    from changzhu.rules import run_policy_tests
    from changzhu.rules.catalog import policies_in_use

    policies = policies_in_use()
    tree = parameter_tree()  # loaded (and checked) on every check
    import polars as pl

    if list_parameters:
        by_jurisdiction = [(j.code, j.parameters) for j in policies.jurisdictions.values()]
        by_jurisdiction += sorted(tree.by_jurisdiction.items())
        rows = [
            {
                "parameter": k,
                "jurisdiction": code,
                "unit": p.unit,
                "since": str(v.since),
                "value": str(v.value),
                "verified": v.verified,
                "source": v.cited(Lang.ZH),
                "source_en": v.cited(Lang.EN),  # a Chinese document's citation as written; a remark in English
            }
            for code, params in by_jurisdiction
            for k, p in sorted(params.items())
            for v in p.values
        ]
        parameters = pl.DataFrame(rows)
        on_screen = fmt == OutputFormat.TABLE and export is None
        title = pick(
            "参数：政策文件和参数树（见 docs/parameters.md）",
            "parameters: policy files and the parameter tree (docs/parameters.md)",
            lang,
        )
        shown = in_lang(parameters, PARAMETER_COLUMNS, lang) if on_screen else parameters
        emit_table(shown, fmt, title, out=export, lang=lang)
        return
    results = run_policy_tests(files)
    table = pl.DataFrame(
        [
            {
                "file": r.file,
                "case": r.case,
                "person": r.person_id,
                "output": r.column,
                "expected": str(r.expected),
                "actual": str(r.actual),
                "ok": r.passed,
            }
            for r in results
        ]
    )
    failed = [r for r in results if not r.passed]
    on_screen = fmt == OutputFormat.TABLE and export is None
    shown = table.filter(~pl.col("ok")) if failed and on_screen else table
    shown = in_lang(shown, POLICY_TEST_COLUMNS, lang) if on_screen else shown
    emit_table(shown, fmt, pick("政策测试", "policy tests", lang), out=export, lang=lang)
    jurisdictions, agreements, held = len(policies.jurisdictions), len(policies.agreements), len(results) - len(failed)
    console.print(
        pick(
            f"已载入 {jurisdictions} 个辖区、{agreements} 项协议；{len(results)} 项预期中 {held} 项成立",
            f"{jurisdictions} jurisdictions, {agreements} agreements loaded; {held}/{len(results)} expectations hold",
            lang,
        ),
        highlight=False,
    )
    if failed:
        raise CodedError(refusal(RefusalCode.CLI_POLICY_TESTS_FAILED, count=len(failed)))


def _start_in_threads() -> None:
    """numba imported and its runtime started (changzhu.rules.numba_start.start), and the region table built from
    the census files, each in a thread while the file is read: reading runs mostly in polars, which releases the
    GIL, so the reader's region columns and the kernels find them ready instead of starting them after."""

    def numba() -> None:
        from changzhu.rules.numba_start import start

        start()

    def regions() -> None:
        from changzhu.data.regions import region_table

        region_table()

    import numpy.ma  # noqa: F401  # numba's import and polars' first Series from NumPy both need it: here, not in a race

    for name, job in (("regions", regions), ("numba", numba)):
        threading.Thread(target=_quietly, args=(job,), name=f"changzhu-start-{name}", daemon=True).start()


def _quietly(job: Callable[[], None]) -> None:
    """`job`, its error left to the main thread: it does the same work when it needs it, and reports the error."""
    with contextlib.suppress(Exception):
        job()


def evaluate_command(
    people: Annotated[
        Path | None,
        typer.Argument(help="person table: .csv, .xlsx, .parquet, .json, .yaml, or a .parquet directory"),
    ] = None,
    registry: Annotated[
        bool, typer.Option("--registry", help="the residents of the registry instead of a file")
    ] = False,
    on: Annotated[str | None, typer.Option("--on", help="evaluation date YYYY-MM-DD (default today)")] = None,
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these services")] = None,
    scenario: Annotated[Path | None, typer.Option("--scenario", help="reform YAML (parameter overrides)")] = None,
    earliest: Annotated[
        bool,
        typer.Option(
            "--earliest",
            help="also each service's earliest date, an estimate that assumes nothing changes (the slower interval "
            "engine)",
        ),
    ] = False,
    by_region: Annotated[bool, typer.Option("--by-region", help="count eligible people per residence region")] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="write the per-person result: .parquet or .csv with the fields' names (for programs; with "
            "--earliest each earliest date is said to be an estimate, in the CSV's header, in the Parquet's metadata), "
            "or .xlsx for people (titles and words in --lang, and a sheet explaining each column)",
        ),
    ] = None,
    fmt: Annotated[PrintFormat, typer.Option("--format", "-f", help="table, csv or json")] = PrintFormat.TABLE,
    sheet: SheetOption = None,
    skip_bad_rows: SkipOption = False,
    errors: ErrorsOption = None,
    *,
    lang: LangOption,
) -> None:
    """Decide every service and points scheme for a whole table of people on a date; counts, optionally a file."""
    from rich.progress import Progress

    from changzhu.data.regions import region_table
    from changzhu.domain.person import CheckedPersonTable
    from changzhu.rules import evaluate, load_scenario
    from changzhu.rules.summary import eligibility_by_region, eligibility_summary

    if out is not None and out.suffix.lower() not in (".parquet", ".csv", ".xlsx"):
        suffixes = either("suffixes", (".parquet", ".csv", ".xlsx"))
        raise CodedError(refusal(RefusalCode.CLI_FILE_SUFFIX, option="--out", path=str(out), **suffixes))
    if (people is None) == (not registry):
        raise CodedError(refusal(RefusalCode.CLI_EVALUATE_NEEDS_INPUT, option="--registry"))
    if people is not None and not earliest:  # the compiled rules run on numba: started while the table is read
        _start_in_threads()
    decide: Callable[..., pl.DataFrame] = evaluate
    given: pl.DataFrame | CheckedPersonTable
    if people is not None:
        given = read_user_people(people, sheet=sheet, skip_bad_rows=skip_bad_rows, errors=errors)
        table = given.frame if isinstance(given, CheckedPersonTable) else given
        if not isinstance(given, CheckedPersonTable):  # rows left out, or facts left empty: unknown, as the registry's
            from changzhu.registry.decide import evaluate_registered

            decide = evaluate_registered
    else:
        from changzhu.cli.registry_cmds import migrated_engine
        from changzhu.registry.decide import evaluate_registered
        from changzhu.registry.frames import person_frame

        table = given = person_frame(migrated_engine())
        decide = evaluate_registered
    when, wanted = _parse_date(on), _services(service)
    reform = load_scenario(scenario) if scenario else None
    with Progress(console=console, transient=True) as progress:
        deciding = pick(f"为 {table.height:,} 人判定", f"deciding for {table.height:,} people", lang)
        task = progress.add_task(deciding, total=2)
        result = decide(given, when, scenario=reform, services=wanted, earliest=earliest)
        progress.update(task, advance=1, description=pick("写出结果", "writing", lang))
        if out is not None and out.suffix.lower() == ".xlsx":
            from changzhu.rules.decision_sheet import write_decision_workbook

            write_decision_workbook(result, out, lang, earliest=earliest)
        elif out is not None:  # the fields for programs; an earliest date said to be an estimate (decision_file)
            from changzhu.rules.decision_file import write_decision_file

            write_decision_file(result, out, lang, earliest=earliest)
        progress.advance(task)
    if by_region:
        counts = eligibility_by_region(table, result, region_table())
        shown = _headed(counts, lang) if fmt == PrintFormat.TABLE else counts
        emit_table(
            shown,
            fmt,
            pick(
                f"{when} 各常住地符合条件和无法判定的人数",
                f"eligible and undetermined people by region on {when}",
                lang,
            ),
            lang=lang,
        )
    else:
        summary, places = _titled(eligibility_summary(result), lang), dict[str, int]()
        if fmt == PrintFormat.TABLE:
            summary, places = _summary_headed(summary, lang)
        title = pick(f"{when}，{table.height:,} 人", f"{table.height:,} people on {when}", lang)
        emit_table(summary, fmt, title, decimals=places)
    if out is not None and fmt == PrintFormat.TABLE:
        console.print(pick(f"逐人结果已写入 {out}", f"per-person result written to {out}", lang), highlight=False)


def _summary_headed(summary: pl.DataFrame, lang: Lang) -> tuple[pl.DataFrame, dict[str, int]]:
    """The summary headed in `lang` for the printed table (服务或积分, 人数, 符合条件比例（%）…), the field name
    beside each title headed 字段 / field, and the share in percent to two places; CSV and JSON keep the field names
    and the share as a fraction, for programs."""
    import polars as pl

    from changzhu.rules.labels import SUMMARY_COLUMNS, pick_label

    share = pick_label(SUMMARY_COLUMNS["eligible_share"][:2], lang) + pick("（%）", " (%)", lang)
    headers = {c: pick_label(SUMMARY_COLUMNS[c][:2], lang) for c in summary.columns if c in SUMMARY_COLUMNS}
    headers |= {"title": headers["output"], "output": pick("字段", "field", lang), "eligible_share": share}
    shown = summary.with_columns(pl.col("eligible_share") * 100).rename(
        {c: h for c, h in headers.items() if c in summary.columns}
    )
    return shown, {share: 2}


def _titled(summary: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """The summary with each output's title in `lang` first, as the decisions workbook names it (a service's title,
    a points scheme's), and its field name (`output`) beside it for those who look for it in a program's file."""
    import polars as pl

    title = pl.col("output").replace_strict(_titles(lang), default=pl.col("output"), return_dtype=pl.String)
    return summary.select(title.alias("title"), pl.all())


def _headed(by_region: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """The per-region counts headed as a person reads them (居住证：符合条件 / residence permit: eligible), for the
    printed table; CSV and JSON keep the field names for programs."""
    from changzhu.domain.lang import heading, in_sentence
    from changzhu.rules.labels import FILE_COLUMNS, SUMMARY_COLUMNS, pick_label

    titles = _titles(lang)
    fixed = {  # the region's code and name, and the people counted, headed as the files and summaries head them
        "residence_region": FILE_COLUMNS["region_code"],
        "name_zh": SUMMARY_COLUMNS["region_code"][:2],
        "people": SUMMARY_COLUMNS["people"][:2],
    }
    states = tuple(pick_label(SUMMARY_COLUMNS[state][:2], lang) for state in ("eligible", "undetermined"))
    headers = {}
    for column in by_region.columns:
        service = column.removesuffix("_undetermined")
        if column in fixed:
            headers[column] = pick_label(fixed[column], lang)
        else:
            state = states[column != service]
            headers[column] = (
                f"{titles.get(service, service)}：{state}"
                if lang == Lang.ZH
                else heading(f"{titles.get(service, service)}: {in_sentence(state)}")
            )
    return by_region.rename(headers)


def _titles(lang: Lang) -> dict[str, str]:
    """Each service's and points scheme's title in `lang`, by its field name (residence_permit, points_<scheme>)."""
    from changzhu.rules.catalog import policies_in_use
    from changzhu.rules.labels import labels_in, output_labels

    return labels_in(output_labels(policies_in_use()), lang)


def register(app: typer.Typer) -> None:
    """Add `evaluate`, `explain` and `check` to the main app."""
    app.command("evaluate")(evaluate_command)
    app.command("explain")(explain_command)
    app.command("check")(check_command)
