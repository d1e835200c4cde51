"""The fiscal job: transfers on both bases, LP allocation, compensation, voucher clearing; tables and a section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.errors import FiscalError
from changzhu.fiscal.parameters import FiscalParameters
from changzhu.report.lang import Lang, money, pick


def _gaps() -> pl.DataFrame:
    try:
        from changzhu.planning.gaps import compute_gaps
    except ImportError as exc:
        module = "changzhu.planning.gaps.compute_gaps"
        raise FiscalError(refusal(RefusalCode.FISCAL_GAPS_UNAVAILABLE, module=module, detail=str(exc))) from exc
    return compute_gaps(level="province")


def _read_redemptions(path: Path) -> tuple[pl.DataFrame, Callable[[int], int]]:
    """The redemptions file (CSV in UTF-8 or GBK, Excel, Parquet) with its columns by their names (a header may be the
    name or its Chinese or English label, rules/labels.FILE_COLUMNS) and the row a person sees each data row on."""
    from changzhu.fiscal.clearing import REDEMPTION_COLUMNS
    from changzhu.rules.labels import FILE_COLUMNS
    from changzhu.tables.formats import FileUnreadable, read_raw
    from changzhu.tables.schema import normalize_header

    if not path.is_file():
        raise FiscalError(refusal(RefusalCode.FISCAL_FILE_NOT_FOUND, file=str(path)))
    try:
        raw = read_raw(path)
    except FileUnreadable as exc:  # why in each language where the reader coded it, else as it said
        why = exc.refusal
        said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        zh, en = (why.text(Lang.ZH), why.text(Lang.EN)) if why is not None else (said, said)
        unreadable = refusal(RefusalCode.FISCAL_REDEMPTIONS_UNREADABLE, file=str(path), detail_zh=zh, detail_en=en)
        raise FiscalError(unreadable) from exc
    known = {normalize_header(h): c for c in REDEMPTION_COLUMNS for h in (c, *FILE_COLUMNS[c])}
    named: dict[str, str] = {}
    for header in raw.frame.columns:  # a column headed twice (by its name and a label) is left as the file has it
        column = known.get(normalize_header(header))
        if column is not None and column not in raw.frame.columns and column not in named.values():
            named[header] = column
    return raw.frame.rename(named), raw.line


def clear_redemptions_file(path: Path, out_dir: Path) -> dict[str, pl.DataFrame]:
    """Clear a CSV/Parquet file of redemptions and write the results under out_dir/fiscal/."""
    from changzhu.fiscal.clearing import clear_vouchers

    cleared = clear_vouchers(*_read_redemptions(path))
    folder = out_dir / "fiscal"
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in cleared.items():
        table.write_parquet(folder / f"voucher_clearing_{name}.parquet")
        table.write_csv(folder / f"voucher_clearing_{name}.csv", include_bom=True)
    return cleared


def run_fiscal(out_dir: Path, params: FiscalParameters, lang: Lang = Lang.ZH) -> str:
    """Compute on the 2020 census and the planning gaps, write tables and the report section; a one-line summary in
    `lang`."""
    from changzhu.data.census import CENSUS_DAY, census_2020
    from changzhu.data.geo import province_geojson
    from changzhu.fiscal.run import compute_fiscal, write_tables
    from changzhu.report.fiscal import fiscal_section
    from changzhu.report.sections import write_section

    gaps = _gaps()
    gaps_note = pick(
        "规划模块的分省缺口（常住口径，与 changzhu plan 相同）",
        "the planning module's gaps by province, resident basis (as `changzhu plan` computes them)",
        lang,
    )
    from changzhu.planning.standards import load_standards, unit_costs_cited

    results = compute_fiscal(census_2020().provinces, gaps, params, unit_costs_cited(load_standards(), CENSUS_DAY))
    write_tables(out_dir, results)
    write_section(out_dir, fiscal_section(results, province_geojson(), gaps_note, lang))
    lp = results.equity.row(0, named=True)
    return pick(  # the scheme by its title, the fund in the reader's words (亿元 / billion yuan)
        f"财政：按方案“{params.title('zh')}”分配 {money(params.fund_yuan, lang, 0)}；线性规划分配的基尼系数（常住）"
        f"{lp['gini_resident']:.3f}，最高/最低 {lp['max_min_ratio_resident']:.2f}；"
        f"省际横向补偿净额 {results.net_flows.height} 笔",
        f"fiscal: {money(params.fund_yuan, lang, 0)} under the scheme “{params.title('en')}”; LP Gini (per resident) "
        f"{lp['gini_resident']:.3f}, max/min {lp['max_min_ratio_resident']:.2f}; "
        f"{results.net_flows.height} net compensation payments",
        lang,
    )
