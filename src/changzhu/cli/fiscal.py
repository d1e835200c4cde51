"""`changzhu fiscal`: transfers on both bases, LP budget allocation, cost sharing, compensation, voucher clearing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from changzhu.output import ExportTablesOption, OutputFormat, console, emit_table, export_tables
from changzhu.report.lang import Lang


def fiscal(
    out: Annotated[Path, typer.Option(help="directory for the tables and the report")] = Path("out"),
    fund_yuan: Annotated[int | None, typer.Option(help="fund to allocate, whole yuan (default: the scheme's)")] = None,
    on: Annotated[str | None, typer.Option(help="date the scheme is in force, YYYY-MM-DD (default: latest)")] = None,
    scheme: Annotated[str | None, typer.Option(help="scheme id in fiscal_parameters.yaml (overrides --on)")] = None,
    redemptions: Annotated[
        Path | None, typer.Option(help="CSV/Parquet of voucher redemptions to clear (issuing_region, ...)")
    ] = None,
    export: ExportTablesOption = None,
    lang: Annotated[Lang, typer.Option(help="report language: zh (default) or en")] = Lang.ZH,
) -> None:
    """Money and land follow people (人地钱挂钩): transfers, LP allocation, cost sharing, compensation, clearing."""
    import polars as pl

    from changzhu.domain.refusals import RefusalCode, refusal
    from changzhu.fiscal.errors import FiscalError
    from changzhu.fiscal.parameters import fiscal_parameters, scheme_by_id
    from changzhu.jobs.fiscal import clear_redemptions_file, run_fiscal
    from changzhu.report.render import render_report

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
    shown: dict[str, pl.DataFrame] = {}
    if redemptions is not None:
        shown["clearing"] = clear_redemptions_file(redemptions, out)["bilateral"]
        emit_table(shown["clearing"], OutputFormat.TABLE, "Voucher clearing: net payments between treasuries")
    summary = run_fiscal(out, params, lang)
    equity = pl.read_parquet(out / "fiscal" / "equity.parquet")
    shown["transfers"] = pl.read_parquet(out / "fiscal" / "transfers_by_basis.parquet").select(
        "region_code",
        "region_name_zh",
        "transfer_registered_basis_yuan",
        "transfer_resident_basis_yuan",
        "difference_yuan",
        "difference_share",
        "estimate",
    )
    emit_table(  # on screen the title says what is estimated; the exports carry the `estimate` column
        shown["transfers"].drop("estimate"),
        OutputFormat.TABLE,
        "Transfer by province: registered (户籍, est.) vs resident (常住) basis",
        limit=31,
    )
    shown["equity"] = equity.select(
        "allocation",
        "max_min_ratio_resident",
        "gini_resident",
        "theil_resident",
        "max_min_ratio_registered",
        "gini_registered",
        "unmet_need_yuan",
        "estimate",
    )
    emit_table(
        shown["equity"].drop("estimate"),
        OutputFormat.TABLE,
        "Equity: LP allocation vs simple splits (registered: est.)",
    )
    console.print(summary)
    if export is not None:
        console.print(f"tables written to {', '.join(map(str, export_tables(shown, export)))}")
    console.print(f"tables in {out / 'fiscal'}; report written to [bold]{render_report(out, lang=lang)}[/bold]")


def register(app: typer.Typer) -> None:
    """Attach `changzhu fiscal`."""
    app.command()(fiscal)
