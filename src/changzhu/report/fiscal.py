"""The fiscal section of the report: transfers on both bases, LP equity vs simple splits, compensation flows."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from changzhu.data.census import census_2020
from changzhu.domain.lang import with_code
from changzhu.fiscal.parameters import FiscalParameters
from changzhu.fiscal.population import ESTIMATE_LABEL
from changzhu.fiscal.run import SPLIT_LP, SPLIT_REGISTERED, SPLIT_RESIDENT, FiscalResults
from changzhu.report.labels import region_names
from changzhu.report.lang import Lang, money, pick
from changzhu.report.maps import province_choropleth
from changzhu.report.sections import ReportSection, escape, figure_html
from changzhu.report.tables import Column, decimal, html_table, signed, yuan
from changzhu.report.winners import estimate_half
from changzhu.rules.labels import EQUITY_MEASURES, FILE_COLUMNS, pick_label

SECTION_ORDER = 60
YI = 1e8  # 亿 yuan
TOP_FLOWS = 40
EXPLAINED = ("440000", "410000")  # 广东 (largest inflow), 河南 (largest outflow)
ESTIMATE_ZH = (
    "估算：按引力模型推算流动人口来源地，流出人口按已知的 2020 年数据校准（河南为普查数；安徽为所报 2020 年流向省外"
    "人数；四川不低于普查所示的 1000 万）"
)
SPLITS = {
    SPLIT_LP: ("线性规划：加权未满足需求最小（HiGHS）", "LP: least weighted unmet need (HiGHS)"),
    SPLIT_REGISTERED: ("按户籍人口平均分配（估算）", "Per registered head (estimate)"),
    SPLIT_RESIDENT: ("按常住人口平均分配", "Per resident head"),
}
# the equity measures `changzhu fiscal` prints (and exports), in this order
EQUITY_SHOWN = (
    "max_min_ratio_resident",
    "gini_resident",
    "theil_resident",
    "max_min_ratio_registered",
    "gini_registered",
    "unmet_need_yuan",
)
RATIO_DIGITS = 3  # a ratio or an index as the report shows it


def _names(lang: Lang) -> dict[str, str]:
    provinces = census_2020().provinces
    column = "name_zh" if lang == Lang.ZH else "name_en"
    return dict(zip(provinces["name_zh"].to_list(), provinces[column].to_list(), strict=True))


REGISTERED, RESIDENT = "registered", "resident"
BASIS_LEGEND = {  # the two bars of a province in the transfers chart, each in one language only
    REGISTERED: ("按户籍人口（估算）", "Registered basis (estimate)"),
    RESIDENT: ("按常住人口", "Resident basis"),
}


def basis_legend(basis: str, lang: Lang) -> str:
    """The legend entry of a basis in the transfers chart, in `lang` alone."""
    zh, en = BASIS_LEGEND[basis]
    return pick(zh, en, lang)


def basis_bars(comparison: pl.DataFrame, lang: Lang = Lang.ZH) -> go.Figure:
    """Each province's transfer on the registered and on the resident basis (100 million yuan), by difference."""
    ranked = comparison.sort("difference_yuan")
    names = _names(lang)
    labels = [names.get(n, n) for n in ranked["region_name_zh"].to_list()]
    figure = go.Figure()
    for column, label, color in (
        ("transfer_registered_basis_yuan", basis_legend(REGISTERED, lang), "#8c8c8c"),
        ("transfer_resident_basis_yuan", basis_legend(RESIDENT, lang), "#b22222"),
    ):
        figure.add_trace(
            go.Bar(y=labels, x=(ranked[column] / YI).to_list(), name=label, orientation="h", marker_color=color)
        )
    figure.update_layout(
        barmode="group",
        height=900,
        title=pick(
            "各省转移支付：户籍口径与常住口径（亿元）",
            "Transfer by province: registered vs resident basis (100 million yuan)",
            lang,
        ),
        xaxis_title=pick("亿元", "100 million yuan", lang),
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h"},
    )
    return figure


def flows_sankey(net: pl.DataFrame, lang: Lang = Lang.ZH) -> go.Figure:
    """Sankey of the largest net payments between provinces (payer on the left, payee on the right)."""
    top = net.sort("net_yuan", descending=True).head(TOP_FLOWS)
    names = _names(lang)
    payers = top["payer_name_zh"].unique(maintain_order=True).to_list()
    payees = top["payee_name_zh"].unique(maintain_order=True).to_list()
    labels = [pick(f"{names.get(n, n)}（付）", f"{names.get(n, n)} (pays)", lang) for n in payers] + [
        pick(f"{names.get(n, n)}（收）", f"{names.get(n, n)} (receives)", lang) for n in payees
    ]
    figure = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 8, "thickness": 14},
            link={
                "source": [payers.index(p) for p in top["payer_name_zh"].to_list()],
                "target": [len(payers) + payees.index(p) for p in top["payee_name_zh"].to_list()],
                "value": (top["net_yuan"] / 1e4).to_list(),
            },
            valueformat=",.0f",
            valuesuffix=pick(" 万元", " × 10,000 yuan", lang),
        )
    )
    figure.update_layout(
        title=pick(
            f"省际横向补偿净额，最大 {TOP_FLOWS} 对（万元/年；来源地为估算）",
            f"Net compensation between provinces, largest {TOP_FLOWS} pairs (10,000 yuan a year; origins estimated)",
            lang,
        ),
        height=800,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )
    return figure


def _split(value: Any, lang: Lang) -> str:
    zh, en = SPLITS.get(str(value), (str(value), str(value)))
    return pick(zh, en, lang)


def equity_in(equity: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """The equity of the three allocations as a person reads it in `lang` (the table `changzhu fiscal` prints and
    exports): each allocation by its name (SPLITS), each measure headed by its label (rules/labels.EQUITY_MEASURES:
    those on the registered basis say they are estimates), ratios and indices to three decimals as the report shows
    them, yuan whole, and the estimate note's half in `lang`, headed as the fiscal winners' (FILE_COLUMNS)."""
    out = equity.select(
        pl.col("allocation").replace_strict({k: pick(zh, en, lang) for k, (zh, en) in SPLITS.items()}),
        *(pl.col(m).round(0 if m.endswith("_yuan") else RATIO_DIGITS) for m in EQUITY_SHOWN),
        estimate_half(pl.col("estimate"), lang).alias("estimate_note"),
    )
    headers = {m: pick_label(EQUITY_MEASURES[m][:2], lang) for m in EQUITY_SHOWN}
    allocation = pick_label(FILE_COLUMNS["allocation"], lang)
    headers["allocation"] = allocation[:1].upper() + allocation[1:]  # read as a label, as the measures are
    # the estimate note keeps the header every file's note has (FILE_COLUMNS)
    return out.rename({**headers, "estimate_note": pick_label(FILE_COLUMNS["estimate_note"], lang)})


def clearing_in(bilateral: pl.DataFrame, lang: Lang) -> pl.DataFrame:
    """Voucher clearing's net payments between treasuries (payer_region, payee_region, amount_yuan) in `lang`: each
    region by its name (the one lookup's shipped step; a code it does not hold as the code), the headers in it."""
    codes = [*bilateral["payer_region"].to_list(), *bilateral["payee_region"].to_list()]
    names = region_names(codes, lang)
    out = bilateral.select(
        *(pl.col(c).replace_strict(names, default=pl.col(c)) for c in ("payer_region", "payee_region")),
        "amount_yuan",
    )
    return out.rename({c: pick_label(FILE_COLUMNS[c], lang) for c in out.columns})


def _pct(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{float(value) * 100:+.1f}"


def _ratio(value: Any, lang: Lang) -> str:
    return "—" if value is None else f"{float(value):,.3f}"


def _explain_zh(row: dict[str, Any], params: FiscalParameters) -> str:
    """The terms of one region's transfer in Chinese (the same figures as `explain_en`)."""
    t = params.transfer
    rho = t.resident_conversion_ratio
    return "\n".join(
        [
            f"{row['region_name_zh']}：转移支付 {int(row['transfer_yuan']) / YI:,.2f} 亿元"
            " = 人口项 + 流动人口项 + 激励项"
            f"（自 {params.effective_from} 起执行的方案）。",
            f"  人口项 {int(row['population_term_yuan']) / YI:,.2f} 亿元："
            f"资金的 {t.weights['population']:.0%} 按 N·u·a 分配，"
            f"N = {1 - rho:.2f}×户籍人口（估算）+ {rho:.2f}×常住人口 = {float(row['counted_population']):,.0f}，"
            f"单位成本指数 u = {float(row['unit_cost_index']):.3f}，财力系数 a = {float(row['capacity_factor']):.3f}"
            "（以城镇化率近似）。",
            f"  流动人口项 {int(row['migrant_term_yuan']) / YI:,.2f} 亿元：资金的 {t.weights['migrants']:.0%} 按服务的"
            "跨省流入人口 × u 分配。",
            f"  激励项 {int(row['incentive_term_yuan']) / YI:,.2f} 亿元："
            f"资金的 {t.weights['incentive']:.0%} 按落户 "
            f"{float(row['settled']):,.0f} 人 + {t.served_weight} × 服务 {float(row['served']):,.0f} 人"
            "分配（市民化奖励）。",
            f"  建设用地指标 {float(row['land_quota_m2']):,.0f} 平方米 = 落户人数 × "
            f"{params.land_m2_per_settled_migrant:g} 平方米（城镇建设用地挂钩）。",
        ]
    )


def explain_en(row: dict[str, Any], params: FiscalParameters) -> str:
    """The terms of one region's transfer in English alone (the same figures as `_explain_zh`): the province by its
    English name and code, the scheme by its title, not its id, the bases in words."""
    t = params.transfer
    rho = t.resident_conversion_ratio
    name = _names(Lang.EN).get(row["region_name_zh"], row["region_code"])
    return "\n".join(
        [
            f"{with_code(name, row['region_code'], Lang.EN)}, scheme “{params.title('en')}” in force from "
            f"{params.effective_from}: transfer {int(row['transfer_yuan']):,} yuan = population + migrant + incentive "
            "terms.",
            f"  population term {int(row['population_term_yuan']):,} yuan: share {t.weights['population']:.0%} of the "
            f"fund by N·u·a with N = {1 - rho:.2f} × registered population (estimate) + {rho:.2f} × residents "
            f"= {float(row['counted_population']):,.0f}, unit cost index u = {float(row['unit_cost_index']):.3f}, "
            f"fiscal-capacity factor a = {float(row['capacity_factor']):.3f} (urbanisation proxy).",
            f"  migrant term {int(row['migrant_term_yuan']):,} yuan: share {t.weights['migrants']:.0%} of the fund by "
            "inter-provincial in-migrants served × u.",
            f"  incentive term {int(row['incentive_term_yuan']):,} yuan: share {t.weights['incentive']:.0%} of the "
            f"fund by settled {float(row['settled']):,.0f} + {t.served_weight} × served {float(row['served']):,.0f} "
            "(the reward for settling migrants as urban residents).",
            f"  land quota {float(row['land_quota_m2']):,.0f} m² = settled × {params.land_m2_per_settled_migrant:g} m² "
            "(urban building land tied to settlement).",
        ]
    )


def _explanations(results: FiscalResults, lang: Lang) -> str:
    """Each term of two provinces' transfers."""
    rows = [row for row in results.transfers.iter_rows(named=True) if row["region_code"] in EXPLAINED]
    explain = _explain_zh if lang == Lang.ZH else explain_en
    t = results.params.transfer
    # the settled and served counts are the scheme's assumption, not 落户 statistics (none ship): said under the terms
    assumed = pick(
        f"落户人数与享受服务人数为情景假设：分别为跨省流入人口的 {t.settled_share:.0%} 与 {t.served_share:.0%}"
        "（没有随附的落户统计），激励项与建设用地指标随之而定。",
        f"People settled and migrants served are a scenario assumption: {t.settled_share:.0%} and "
        f"{t.served_share:.0%} of inter-provincial in-migrants (no settlement counts ship); the incentive term and the "
        "land quota follow from them.",
        lang,
    )
    text = "\n\n".join([*(explain(row, results.params) for row in rows), assumed])
    return f"<pre style='white-space: pre-wrap'>{escape(text)}</pre>"


def fiscal_section(
    results: FiscalResults, geojson: dict[str, Any], gaps_note: str, lang: Lang = Lang.ZH
) -> ReportSection:
    """The report section for `changzhu fiscal`."""
    p = results.params
    comparison = results.comparison
    names = _names(lang)
    per_head = {r["region_code"]: r["difference_yuan"] / r["resident"] for r in comparison.iter_rows(named=True)}
    hover = {
        r["region_code"]: pick(
            f"{r['region_name_zh']}<br>户籍口径 {r['transfer_registered_basis_yuan'] / YI:,.2f} 亿元<br>"
            f"常住口径 {r['transfer_resident_basis_yuan'] / YI:,.2f} 亿元<br>"
            f"差额 {r['difference_yuan'] / YI:+,.2f} 亿元（{r['difference_share']:+.1%}）",
            f"{names.get(r['region_name_zh'], r['region_name_zh'])}<br>registered basis "
            f"{money(r['transfer_registered_basis_yuan'], lang)}<br>"
            f"resident basis {money(r['transfer_resident_basis_yuan'], lang)}<br>"
            f"difference {money(r['difference_yuan'], lang, signed=True)} ({r['difference_share']:+.1%})",
            lang,
        )
        for r in comparison.iter_rows(named=True)
    }
    difference_map = province_choropleth(
        per_head,
        geojson,
        title=pick(
            "常住口径减户籍口径，每常住人口（元）", "Resident basis minus registered basis, yuan per resident", lang
        ),
        colorbar_title=pick("元/常住人口", "yuan / resident", lang),
        hover=hover,
        colorscale="RdBu",
        lang=lang,
        data_source=pick("changzhu 转移支付测算（估算）", "changzhu transfer model (estimate)", lang),
    )
    basis = comparison.with_columns(
        pl.col("region_name_zh").replace_strict(names, default=pl.col("region_name_zh")).alias("province")
    )
    basis_columns = [
        Column("province", "省份", "Province"),
        Column(  # the registered population is gravity-estimated: so is the difference
            "transfer_registered_basis_yuan",
            "户籍口径（估算，亿元）",
            "Registered basis, estimate (100 million yuan)",
            yuan,
        ),
        Column("transfer_resident_basis_yuan", "常住口径（亿元）", "Resident basis (100 million yuan)", yuan),
        Column(
            "difference_yuan",
            "差额（估算，亿元）",
            "Difference, estimate (100 million yuan)",
            lambda v, g: signed(v / YI, g),
        ),
        Column("difference_share", "差额（估算，%）", "Difference, estimate (%)", _pct),
    ]
    equity_columns = [
        Column("allocation", *FILE_COLUMNS["allocation"], _split),
        Column("per_resident_min", "每常住人口最低（元）", "Lowest per resident (yuan)", decimal),
        Column("per_resident_max", "每常住人口最高（元）", "Highest per resident (yuan)", decimal),
        Column("max_min_ratio_resident", "最高/最低（常住）", "Max / min (resident)", _ratio),
        Column("gini_resident", "基尼系数（常住）", "Gini (resident)", _ratio),
        Column("theil_resident", "泰尔指数（常住）", "Theil (resident)", _ratio),
        Column("max_min_ratio_registered", "最高/最低（户籍，估算）", "Max / min (registered, estimate)", _ratio),
        Column("gini_registered", "基尼系数（户籍，估算）", "Gini (registered, estimate)", _ratio),
        Column("theil_registered", "泰尔指数（户籍，估算）", "Theil (registered, estimate)", _ratio),
        Column("unmet_need_yuan", "未满足需求（估算，亿元）", "Unmet need (estimate, 100 million yuan)", yuan),
        Column(
            "weighted_unmet_need",
            "加权未满足需求（估算，亿元 × 服务权重）",
            "Weighted unmet need (estimate, 100 million yuan × service weight)",
            yuan,
        ),
    ]
    a = p.allocation
    estimate = pick(ESTIMATE_ZH, ESTIMATE_LABEL, lang)
    intro = pick(
        f"<p>方案 <b>{escape(p.title('zh'))}</b>，"
        f"自 {p.effective_from} 起执行。资金 "
        f"{p.fund_yuan / YI:,.0f} 亿元（{escape(p.fund_cited(Lang.ZH))}）。来源：{escape(p.cited(Lang.ZH))}</p>"
        f"<p class='note'>户籍人口为{escape(estimate)}："
        "户籍人口 = 常住人口 − 跨省流入人口 + 流出人口（普查校准的估算）。"
        "财力以普查城镇化率近似（没有随附的财政收入表）。缺口：{gaps}。未对应公开数字的权重、比例和费率只作示意，"
        "各自的来源注明“本项目设定，非法规规定”。</p>",
        f"<p>Scheme <b>{escape(p.title('en'))}</b>, "
        f"in force from {p.effective_from}. Fund "
        f"{money(p.fund_yuan, lang, 0)} ({escape(p.fund_cited(Lang.EN))}). Source: {escape(p.cited(Lang.EN))}</p>"
        f"<p class='note'>The registered (hukou) population is an {escape(estimate)}: registered = resident − "
        "inter-provincial in-migrants + out-migrants (estimate fitted to the census). Fiscal capacity uses the census "
        "urbanisation rate "
        "as a proxy (no revenue table ships). Gaps: {gaps}. Weights, shares and rates not tied to a published "
        "figure are illustrative, each one's source saying “changzhu's own setting, not a regulation”.</p>",
        lang,
    ).replace("{gaps}", escape(gaps_note))
    allocation_text = pick(
        f"<p>线性规划按常住口径的服务缺口分配资金，使加权未满足需求最小；每常住人口不少于 "
        f"{a.floor_yuan_per_resident:g} 元，人均最高不超过人均最低的 {a.max_min_per_capita_ratio:g} 倍。"
        "两种简单分法把同一笔资金按户籍人头和常住人头平分；其未满足需求假定各省把所得先用于本省权重最高的缺口。"
        "（对照：一篇上海基本公共服务均等化的论文所报 2012 年上海各区按常住人口计的人均支出，最高 35,665 元"
        "（静安），最低 7,342 元（宝山），最高/最低 4.86。）</p>",
        "<p>The LP fills resident-basis service gaps to minimise weighted unmet need, with a floor of "
        f"{a.floor_yuan_per_resident:g} yuan per resident and the highest allocation per resident at most "
        f"{a.max_min_per_capita_ratio:g} × the lowest. The simple splits share the same fund per registered head "
        "and per resident head; their unmet need assumes each province spends its share on its own gaps, heaviest "
        "weight first. (For comparison: a paper on the equalisation of basic public services in Shanghai reports "
        "2012 spending per resident from 35,665 yuan (Jing'an) to 7,342 yuan (Baoshan) across Shanghai's "
        "districts, a max/min ratio of 4.86.)</p>",
        lang,
    )
    compensation_text = pick(
        f"<p>流入省按每名跨省流动人口每年 {p.compensation_yuan_per_migrant:g} 元向流出省付费；流出省按流出地分担"
        f"比例承担其流动人口在流入地的年度费用。两者逐对轧差。流动人口来源地为{escape(estimate)}。</p>",
        f"<p>Inflow provinces pay outflow provinces {p.compensation_yuan_per_migrant:g} yuan per inter-provincial "
        "migrant a year; outflow provinces contribute their outflow-city share of the yearly cost of their migrants at "
        f"destination. Both are netted pair by pair. Origins of migrants are an {escape(estimate)}.</p>",
        lang,
    )
    body = "\n".join(
        [
            intro,
            "<h3>"
            + pick(
                "转移支付：户籍口径与常住口径（常住人口折算比例 ρ = 0 与 1）",
                "Transfers: registered basis vs resident basis (resident conversion ratio ρ = 0 vs 1)",
                lang,
            )
            + "</h3>",
            figure_html(basis_bars(comparison, lang)),
            figure_html(difference_map),
            html_table(basis, basis_columns, lang),
            "<h3>"
            + pick(
                "转移支付的各项（常住口径）",
                "Each term of a transfer (resident basis)",
                lang,
            )
            + "</h3>",
            _explanations(results, lang),
            "<h3>"
            + pick(
                "预算分配：线性规划与简单分法",
                "Budget allocation: LP vs simple splits",
                lang,
            )
            + "</h3>",
            allocation_text,
            html_table(results.equity, equity_columns, lang),
            "<h3>" + pick("省际横向补偿", "Horizontal compensation between provinces", lang) + "</h3>",
            compensation_text,
            figure_html(flows_sankey(results.net_flows, lang)),
        ]
    )
    return ReportSection(
        SECTION_ORDER,
        "fiscal",
        pick(
            "人地钱挂钩：转移支付、预算分配与横向补偿",
            "Money and land follow people: transfers, allocation, compensation",  # English words only
            lang,
        ),
        body,
    )
