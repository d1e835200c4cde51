"""`changzhu fiscal`: transfers on both bases, LP budget allocation, cost sharing, compensation, voucher clearing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.output import ExportTablesOption, OutputFormat, console, emit_table, export_tables


def fiscal(
    out: Annotated[Path, typer.Option(help="directory for the tables and the report")] = Path("out"),
    fund_yuan: Annotated[int | None, typer.Option(help="fund to allocate, whole yuan (default: the scheme's)")] = None,
    on: Annotated[str | None, typer.Option(help="date the scheme is in force, YYYY-MM-DD (default: latest)")] = None,
    scheme: Annotated[str | None, typer.Option(help="scheme id in fiscal_parameters.yaml (overrides --on)")] = None,
    redemptions: Annotated[
        Path | None,
        typer.Option(
            help="CSV, Excel or Parquet of voucher redemptions to clear: issuing_region, providing_region, amount_yuan "
            "(or their labels, 发券地区, 服务提供地区, 金额（元）); an error names the row as the file shows it"
        ),
    ] = None,
    export: ExportTablesOption = None,
    *,
    lang: LangOption,
) -> None:
    """Money and land follow people (人地钱挂钩): transfers, LP allocation, cost sharing, compensation, clearing."""
    import polars as pl

    from changzhu.cli.warned import warnings_in
    from changzhu.domain.refusals import RefusalCode, refusal
    from changzhu.fiscal.errors import FiscalError
    from changzhu.fiscal.parameters import fiscal_parameters, scheme_by_id
    from changzhu.jobs.fiscal import clear_redemptions_file, run_fiscal
    from changzhu.report.fiscal import EQUITY_SHOWN, clearing_in, equity_in
    from changzhu.report.lang import pick
    from changzhu.report.render import render_report
    from changzhu.report.winners import winners_in, winners_table
    from changzhu.rules.labels import EQUITY_MEASURES, FILE_COLUMNS, pick_label

    if scheme is not None:
        params = scheme_by_id(scheme)
    else:
        try:
            when = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise FiscalError(refusal(RefusalCode.FISCAL_OPTION_NOT_A_DATE, option="--on", value=repr(on))) from exc
        params = fiscal_parameters(when)
    if fund_yuan is not None:
        params = params.with_fund(fund_yuan)
    shown: dict[str, pl.DataFrame] = {}  # the tables as printed, in `lang`: what --export writes
    if redemptions is not None:
        shown["clearing"] = clearing_in(clear_redemptions_file(redemptions, out)["bilateral"], lang)
        title = pick("服务券清算：财政间净支付", "Voucher clearing: net payments between treasuries", lang)
        emit_table(
            shown["clearing"], OutputFormat.TABLE, title, decimals={pick_label(FILE_COLUMNS["amount_yuan"], lang): 2}
        )
    with warnings_in(lang):  # a region left out of the flows, a figure unknown: said on the warning line
        summary = run_fiscal(out, params, lang)
    note = pick_label(FILE_COLUMNS["estimate_note"], lang)  # on screen the title and headers say what is estimated
    comparison = pl.read_parquet(out / "fiscal" / "transfers_by_basis.parquet")
    shown["transfers"] = winners_in(winners_table(comparison), lang)  # as GET /fiscal/winners?lang= names it
    title = pick(
        "各省转移支付：户籍口径（估算）与常住口径",
        "Transfer by province: registered basis (estimate) vs resident basis",
        lang,
    )
    yi = ("registered_basis_yi", "resident_basis_yi", "change_yi", "change_percent")  # 亿元 and % to two places
    places = {pick_label(FILE_COLUMNS[c], lang): 2 for c in yi}
    emit_table(shown["transfers"].drop(note), OutputFormat.TABLE, title, limit=31, decimals=places)
    shown["equity"] = equity_in(pl.read_parquet(out / "fiscal" / "equity.parquet"), lang)
    title = pick(
        "公平性：线性规划与简单分法（户籍口径与未满足需求为估算）",
        "Equity: LP allocation vs simple splits (registered basis and unmet need: estimates)",
        lang,
    )
    places = {pick_label(EQUITY_MEASURES[m][:2], lang): 0 if m.endswith("_yuan") else 3 for m in EQUITY_SHOWN}
    # on the terminal the title says the unmet need is an estimate, and its header is the short one: seven headers of
    # unbroken Chinese in 160 columns fold the allocations' names mid-word (the exported file keeps the full header)
    unmet = pick_label(EQUITY_MEASURES["unmet_need_yuan"][:2], lang)
    short = pick("未满足需求（元）", "Unmet need, yuan", lang)
    places[short] = places.pop(unmet)
    emit_table(shown["equity"].drop(note).rename({unmet: short}), OutputFormat.TABLE, title, decimals=places, lang=lang)
    console.print(shown["equity"][note][0], style="dim", highlight=False)  # what the estimate is, once
    console.print(summary, highlight=False)
    if export is not None:
        sheets = {  # a workbook's sheets in the reader's words (the CSV files keep the tables' names)
            "clearing": pick("服务券清算", "Voucher clearing", lang),
            "transfers": pick("各省转移支付（含估算）", "Transfers (with estimates)", lang),
            "equity": pick("公平性（含估算）", "Equity (with estimates)", lang),
        }
        written = ", ".join(map(str, export_tables(shown, export, sheets)))
        console.print(pick(f"表格已写入 {written}", f"tables written to {written}", lang), highlight=False)
    report = render_report(out, lang=lang)
    folder = out / "fiscal"
    console.print(
        pick(
            f"数据表在 {folder}；报告已写入 [bold]{report}[/bold]",
            f"tables in {folder}; report written to [bold]{report}[/bold]",
            lang,
        ),
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Attach `changzhu fiscal`."""
    app.command()(fiscal)
