"""`changzhu fiscal`: transfers on both bases, LP budget allocation, cost sharing, compensation, voucher clearing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from changzhu.cli.output import OutputFormat, console, emit_table
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.parameters import FiscalParameters, fiscal_parameters, scheme_by_id


def _gaps() -> tuple[pl.DataFrame, str]:
    try:
        from changzhu.planning.gaps import compute_gaps
    except ImportError as exc:
        raise FiscalError(f"the planning gaps (changzhu.planning.gaps.compute_gaps) are not available: {exc}") from exc
    return compute_gaps(level="province"), "changzhu.planning.gaps.compute_gaps(level='province'), resident basis"


def _read_redemptions(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise FiscalError(f"{path}: file not found")
    try:
        if path.suffix == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(path, schema_overrides={"issuing_region": pl.String, "providing_region": pl.String})
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FiscalError(f"{path}: cannot read redemptions ({str(exc).splitlines()[0]})") from exc


def clear_redemptions_file(path: Path, out_dir: Path) -> dict[str, pl.DataFrame]:
    """Clear a CSV/Parquet file of redemptions and write the results under out_dir/fiscal/."""
    from changzhu.fiscal.clearing import clear_vouchers

    cleared = clear_vouchers(_read_redemptions(path))
    folder = out_dir / "fiscal"
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in cleared.items():
        table.write_parquet(folder / f"voucher_clearing_{name}.parquet")
        table.write_csv(folder / f"voucher_clearing_{name}.csv")
    return cleared


def run_fiscal(out_dir: Path, params: FiscalParameters) -> str:
    """Compute on the 2020 census and the planning gaps, write tables and the report section; a one-line summary."""
    from changzhu.data.census import census_2020
    from changzhu.data.geo import province_geojson
    from changzhu.fiscal.report_section import fiscal_section
    from changzhu.fiscal.run import compute_fiscal, write_tables
    from changzhu.report.sections import write_section

    gaps, gaps_note = _gaps()
    results = compute_fiscal(census_2020().provinces, gaps, params)
    write_tables(out_dir, results)
    write_section(out_dir, fiscal_section(results, province_geojson(), gaps_note))
    lp = results.equity.row(0, named=True)
    return (
        f"fiscal: {params.fund_yuan / 1e8:,.0f} 亿 yuan under {params.scheme_id}; LP Gini (per resident) "
        f"{lp['gini_resident']:.3f}, max/min {lp['max_min_ratio_resident']:.2f}; "
        f"{results.net_flows.height} net compensation payments"
    )


def demo_step(out_dir: Path) -> str:
    """The fiscal step of `changzhu demo`: the scheme in force today, tables and report section."""
    return run_fiscal(out_dir, fiscal_parameters())


def fiscal(
    out: Annotated[Path, typer.Option(help="directory for the tables and the report")] = Path("out"),
    fund_yuan: Annotated[int | None, typer.Option(help="fund to allocate, whole yuan (default: the scheme's)")] = None,
    on: Annotated[str | None, typer.Option(help="date the scheme is in force, YYYY-MM-DD (default: latest)")] = None,
    scheme: Annotated[str | None, typer.Option(help="scheme id in fiscal_parameters.yaml (overrides --on)")] = None,
    redemptions: Annotated[
        Path | None, typer.Option(help="CSV/Parquet of voucher redemptions to clear (issuing_region, ...)")
    ] = None,
) -> None:
    """Money and land follow people (人地钱挂钩): transfers, LP allocation, cost sharing, compensation, clearing."""
    from changzhu.report.render import render_report

    if scheme is not None:
        params = scheme_by_id(scheme)
    else:
        try:
            when = date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise FiscalError(f"--on {on!r} is not a date (YYYY-MM-DD)") from exc
        params = fiscal_parameters(when)
    if fund_yuan is not None:
        params = params.with_fund(fund_yuan)
    if redemptions is not None:
        cleared = clear_redemptions_file(redemptions, out)
        emit_table(cleared["bilateral"], OutputFormat.TABLE, "Voucher clearing: net payments between treasuries")
    summary = run_fiscal(out, params)
    equity = pl.read_parquet(out / "fiscal" / "equity.parquet")
    emit_table(
        pl.read_parquet(out / "fiscal" / "transfers_by_basis.parquet").select(
            "region_code",
            "region_name_zh",
            "transfer_registered_basis_yuan",
            "transfer_resident_basis_yuan",
            "difference_yuan",
            "difference_share",
        ),
        OutputFormat.TABLE,
        "Transfer by province: registered (户籍, est.) vs resident (常住) basis",
        limit=31,
    )
    emit_table(
        equity.select(
            "allocation",
            "max_min_ratio_resident",
            "gini_resident",
            "theil_resident",
            "max_min_ratio_registered",
            "gini_registered",
            "unmet_need_yuan",
        ),
        OutputFormat.TABLE,
        "Equity: LP allocation vs simple splits",
    )
    console.print(summary)
    console.print(f"tables in {out / 'fiscal'}; report written to [bold]{render_report(out)}[/bold]")


def register(app: typer.Typer) -> None:
    """Attach `changzhu fiscal`."""
    app.command()(fiscal)
