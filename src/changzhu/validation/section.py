"""The validation table as a report section, in Chinese or English."""

from __future__ import annotations

import polars as pl

from changzhu.report.lang import Lang, number, pick
from changzhu.report.sections import ReportSection, escape, table_box
from changzhu.validation.checks import Check, method_text, reason_text

STATUS = {
    "ok": ("在容差内", "within tolerance"),
    "calibrated": ("校准目标（在容差内）", "calibration target (within tolerance)"),
    "out_of_range": ("超出容差", "out of range"),
    "no_estimate": ("无本系统估计", "no changzhu estimate"),
    "definition_differs": ("口径不同", "different definition"),
    "not_synthesized": ("未合成到该级", "not synthesized at this level"),
}
LEVEL = {
    "prefecture": ("地级", "prefecture"),
    "province": ("省级", "province"),
    "national": ("全国", "national"),
    "county": ("县级", "county"),
}


CONTROL_ZH = {
    "age band": "年龄组",
    "urban/rural": "城乡",
    "sex (national ratio 105.07)": "性别（全国性别比 105.07）",
    "local / intra-provincial / inter-provincial hukou": "本地 / 省内外县 / 外省户籍",
    "hukou status": "户籍状态（4 类）",
}


def _status(key: str, lang: Lang) -> str:
    zh, en = STATUS[key]
    return f"<span class='status {key}'>{escape(pick(zh, en, lang))}</span>"


CHECK_COLUMNS = (
    ("指标", "figure"),
    ("本系统", "changzhu"),
    ("官方", "official"),
    ("比值", "ratio"),
    ("容差", "tolerance"),
    ("状态", "status"),
    ("来源", "source"),
    ("算法或超差原因", "method, or why out of range"),
)
FIT_COLUMNS = (
    ("层级", "level"),
    ("控制变量", "control"),
    ("单元数", "cells"),
    ("平均差异%", "mean % diff"),
    ("差异标准差%", "SD % diff"),
    ("%RMSE", "%RMSE"),
    ("容差 %RMSE", "tolerance %RMSE"),
    ("状态", "status"),
)


def _head(columns: tuple[tuple[str, str], ...], lang: Lang) -> str:
    return "<tr>" + "".join(f"<th>{escape(pick(zh, en, lang))}</th>" for zh, en in columns) + "</tr>"


def _row(cells: list[tuple[str, str]], columns: tuple[tuple[str, str], ...], lang: Lang) -> str:
    """One row; each cell carries its column's name (data-label), shown beside it when a phone stacks the row."""
    out = []
    for (css, html), (zh, en) in zip(cells, columns, strict=True):
        css_attr = f" class='{css}'" if css else ""
        out.append(f"<td{css_attr} data-label='{escape(pick(zh, en, lang))}'>{html}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def _check_row(c: Check, lang: Lang) -> str:
    ratio = "—" if c.ratio is None else f"{c.ratio:.3f}"
    verified = "" if c.official.verified else pick("（未核实）", " (not verified here)", lang)
    comma = pick("，", ", ", lang)  # the citation is Chinese: full-width between its parts on a Chinese page
    source = escape(f"{c.official.document}{comma}{c.official.table}{comma}{c.official.year}{verified}")
    if c.official.url:
        what = pick(*c.official.link_note, lang)
        said = pick(f"（{what}）", f" ({what})", lang) if what else ""
        source += f"<br><span class='note url'>{escape(c.official.url)}{escape(said)}</span>"
    zh = lang == Lang.ZH
    note = reason_text(c, zh) if c.status in ("out_of_range", "definition_differs") else method_text(c, zh)
    cells = [
        ("text", escape(pick(c.label_zh, c.label_en, lang))),
        ("", number(c.produced, c.official.unit, lang)),
        ("", number(c.official.value, c.official.unit, lang)),
        ("", ratio),
        ("", c.tolerance_text()),
        ("", _status(c.status, lang)),
        ("text small", source),
        ("text small", escape(note)),
    ]
    return _row(cells, CHECK_COLUMNS, lang)


def _fit_row(row: dict[str, object], lang: Lang) -> str:
    def pct(v: object) -> str:
        return "—" if v is None else f"{float(v):.3f}"  # type: ignore[arg-type]

    zh, en = LEVEL[str(row["level"])]
    control = str(row["control"])
    cells = [
        ("text", escape(pick(zh, en, lang))),
        ("text", escape(pick(CONTROL_ZH.get(control, control), control, lang))),
        ("", str(row["cells"])),
        ("", pct(row["mean_pct_diff"])),
        ("", pct(row["sd_pct_diff"])),
        ("", pct(row["pct_rmse"])),
        ("", pct(row["tolerance_pct_rmse"])),
        ("", _status(str(row["status"]), lang)),
    ]
    return _row(cells, FIT_COLUMNS, lang)


# the one place the report names a command: the operator's, marked as theirs (a reader's text says it in words)
CALIBRATE_COMMAND = "changzhu validate --calibrate"


def operator_note(checks: list[Check], lang: Lang) -> str:
    """How an operator recalibrates the 低保 take-up rates, in a note marked as the operator's (`data-audience`);
    empty where no figure is a calibration target."""
    if not any(c.calibrated for c in checks):
        return ""
    command = f"<code>{escape(CALIBRATE_COMMAND)}</code>"
    text = pick(
        f"<strong>运维说明（供系统管理员）：</strong>收入或财产模型改动后，在服务器上运行 {command} 重新计算城市和农村"
        "低保申领率，并把结果写入模拟参数。",
        f"<strong>For operators (system administrators):</strong> after the income or asset model changes, run "
        f"{command} on the server to recompute the urban and rural dibao take-up rates, and enter them in the "
        "simulation's parameters.",
        lang,
    )
    return f"<p class='note operator' data-audience='operator'>{text}</p>"


def validation_section(checks: list[Check], fit: pl.DataFrame, fraction: float, lang: Lang) -> ReportSection:
    """The headline figures against official ones, then the synthetic population's fit by level."""
    head = _head(CHECK_COLUMNS, lang)
    fit_head = _head(FIT_COLUMNS, lang)
    out = sum(c.status == "out_of_range" for c in checks) + int((fit["status"] == "out_of_range").sum())
    intro = pick(
        f"<p>本系统 2020 年基线的每个主要数字与官方数字对照：比值 = 本系统 ÷ 官方。超出容差的有 {out} 项，"
        "原因列在表中；标“未核实”的官方数字尚未对照原文，引用前请核对。合成人口按 "
        f"{fraction:.4%} 抽样生成。</p>",
        f"<p>Every headline figure of changzhu's 2020 baseline next to the official figure: ratio = changzhu ÷ "
        f"official. {out} figure(s) are out of range, with the reason in the table; an official figure marked "
        f"“not verified here” was quoted without reading the document: check it before quoting. The synthetic "
        f"population is a {fraction:.4%} sample.</p>",
        lang,
    )
    body = (
        intro
        + table_box(
            "<table class='data stack'>" + head + "".join(_check_row(c, lang) for c in checks) + "</table>", lang
        )
        + operator_note(checks, lang)
        + "<h3>"
        + pick("合成人口拟合（PopulationSim 口径）", "Synthetic population fit (PopulationSim measures)", lang)
        + "</h3>"
        + table_box(
            "<table class='data stack'>"
            + fit_head
            + "".join(_fit_row(r, lang) for r in fit.iter_rows(named=True))
            + "</table>",
            lang,
        )
    )
    return ReportSection(
        5, "validation", pick("数字核对：本系统与官方统计", "Validation against official figures", lang), body
    )
