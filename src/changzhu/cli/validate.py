"""`changzhu validate`: the 2020 baseline's headline figures against official ones; exit 1 when one is out of range."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.output import ExportTablesOption, console, export_tables
from changzhu.report.lang import Lang, number, pick

DEFAULT_SAMPLE = 1e-3


def validate_command(
    sample: Annotated[float, typer.Option(help="synthetic sample fraction for the simulated figures")] = DEFAULT_SAMPLE,
    seed: Annotated[int, typer.Option(help="random seed of the synthetic sample")] = 20201101,
    *,
    lang: LangOption,
    out: Annotated[Path | None, typer.Option(help="also write the table (CSV) and the report section here")] = None,
    export: ExportTablesOption = None,
    calibrate: Annotated[
        bool, typer.Option("--calibrate", help="print the calibrated 低保 take-up rates (urban, rural) and stop")
    ] = False,
) -> None:
    """Check every headline figure of the 2020 baseline against the official one; exit 1 if any is out of range.

    Each figure is printed next to the official one with its source, the ratio and the tolerance.
    """
    from rich.table import Table

    from changzhu.report.render import render_report
    from changzhu.report.sections import write_section
    from changzhu.validation.checks import checks_frame, reason_text, validation_checks
    from changzhu.validation.fit import fit_table
    from changzhu.validation.section import CONTROL_ZH, LEVEL, STATUS, validation_section

    if calibrate:
        from changzhu.validation.checks import calibrated_takeup

        urban, rural = calibrated_takeup(sample, seed)
        console.print(
            pick(
                "低保申领率校准（2020 低保对象 ÷ 通过收入和财产核查的合成居民）",
                "低保 take-up calibration (2020 recipients ÷ synthetic residents passing the income and asset tests)",
                lang,
            )
            + f": urban {urban:.3f}, rural {rural:.3f} (sample {sample:g}, seed {seed}); "
            + pick("大于 1 的值取 1", "a value above 1 is set to 1", lang),
            highlight=False,
        )
        return
    checks = validation_checks(sample, seed)
    fit = fit_table(sample, seed)
    table = Table(title=pick("数字核对（2020 基线）", "Validation (2020 baseline)", lang), show_lines=False)
    for name in pick(
        "指标,本系统,官方,比值,容差,状态,来源", "figure,changzhu,official,ratio,tolerance,status,source", lang
    ).split(","):
        table.add_column(name, overflow="fold")
    for c in checks:
        zh, en = STATUS[c.status]
        table.add_row(
            pick(c.label_zh, c.label_en, lang),
            number(c.produced, c.official.unit, lang),
            number(c.official.value, c.official.unit, lang),
            "—" if c.ratio is None else f"{c.ratio:.3f}",
            c.tolerance_text(),
            pick(zh, en, lang),
            f"{c.official.document}{pick('，', ', ', lang)}{c.official.year}"
            + ("" if c.official.verified else pick("（未核实）", " (not verified)", lang)),
        )
    console.print(table)
    fit_out = Table(title=pick("合成人口拟合", "Synthetic population fit", lang))
    for name in pick(
        "层级,控制变量,平均差异%,标准差%,%RMSE,状态", "level,control,mean % diff,SD % diff,%RMSE,status", lang
    ).split(","):
        fit_out.add_column(name, overflow="fold")
    for row in fit.iter_rows(named=True):
        zh, en = LEVEL[row["level"]]
        szh, sen = STATUS[row["status"]]
        fit_out.add_row(
            pick(zh, en, lang),
            pick(CONTROL_ZH.get(row["control"], row["control"]), row["control"], lang),
            *("—" if row[k] is None else f"{row[k]:.3f}" for k in ("mean_pct_diff", "sd_pct_diff", "pct_rmse")),
            pick(szh, sen, lang),
        )
    console.print(fit_out)
    out_of_range = [c for c in checks if c.status == "out_of_range"]
    differs = [c for c in checks if c.status == "definition_differs"]
    fit_out_of_range = fit.filter(fit["status"] == "out_of_range").height
    for c in [*out_of_range, *differs]:
        reason = reason_text(c, lang == Lang.ZH)
        colon = pick("：", ": ", lang)
        console.print(f"[yellow]{pick(c.label_zh, c.label_en, lang)}[/yellow]{colon}{reason}", highlight=False)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        checks_frame(checks).write_csv(out / "validation.csv")
        fit.write_csv(out / "validation_fit.csv")
        write_section(out, validation_section(checks, fit, sample, lang))
        render_report(out, lang=lang)
    if export is not None:
        written = export_tables({"validation": checks_frame(checks), "fit": fit}, export)
        console.print(f"tables written to {', '.join(map(str, written))}")
    if out_of_range or fit_out_of_range:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `validate` to the CLI."""
    app.command("validate")(validate_command)
