"""The worked example's figures as Markdown (the text in docs/ledger.md is this function's output)."""

from __future__ import annotations

import polars as pl

from changzhu.ledger.pension_rules import DrawingPlace

NAMES = {"510100": "Chengdu 成都", "440300": "Shenzhen 深圳", "320500": "Suzhou 苏州"}


def _y(fen: object) -> str:
    return f"{int(fen) / 100:,.2f}"  # type: ignore[call-overload]


def _balances(df: pl.DataFrame) -> list[str]:
    lines = ["| account | place | unit | balance |", "|---|---|---|---:|"]
    for row in df.filter(pl.col("balance") != 0).iter_rows(named=True):
        shown = _y(row["balance"]) + " yuan" if row["unit"] == "fen" else f"{row['balance']} {row['unit']}s"
        lines.append(f"| {row['kind']} | {NAMES.get(row['region'], row['region'])} | {row['unit']} | {shown} |")
    return lines


def render(out: dict[str, object]) -> str:
    """Markdown of the example's results."""
    p1 = out["pension_cd_sz"]
    claim, voucher = out["claim"], out["voucher"]
    bases = out["bases"]
    months = out["months_paid"]
    drawing = out["drawing_if_now"]
    assert isinstance(p1, dict) and isinstance(claim, dict) and isinstance(voucher, dict)
    assert isinstance(bases, dict) and isinstance(months, dict) and isinstance(drawing, DrawingPlace)
    med, school = out["medical_sz_su"], out["school"]
    assert isinstance(med, dict) and isinstance(school, dict)
    mother, child = out["balances_mother"], out["balances_child"]
    assert isinstance(mother, pl.DataFrame) and isinstance(child, pl.DataFrame)
    lines = [
        f"1. **Chengdu, 2003-07 to 2010-12**: {months['510100']} months of pension and medical contributions; "
        f"monthly bases sum to {_y(bases['cd'])} yuan.",
        f"2. **Move to Shenzhen (2011-01)**; pension transfer Chengdu → Shenzhen: individual account "
        f"{_y(p1['individual_fen'])} yuan moves in full; pooled part 12% × {_y(bases['cd'])} = "
        f"{_y(p1['pooled_fen'])} yuan moves from Chengdu's pooled fund to Shenzhen's; {p1['months']} months "
        "move with it. Medical months move too.",
        f"3. **Shenzhen, 2011-01 to 2023-06**: {months['440300']} months. Her son (born 2012 in Shenzhen, hukou "
        "Chengdu) is registered and linked to her; grades 1-5 (2018-2022) are recorded in Shenzhen's 学籍.",
        f"4. **Move to Suzhou (2023-08)** at 40: Suzhou is not her hukou place, so her {months['320500']} "
        "Suzhou pension months (2023-09 to 2026-10) go to a **temporary account** (art. 5). A pension "
        f'transfer Shenzhen → Suzhou is refused: "{out["pension_sz_su_refused"]}". Medical months move: '
        f"{med['months']} months (Chengdu's 90 already in Shenzhen plus Shenzhen's 150). The son's record moves: "
        f"{school['years']} school years, then grades 6-8 are added in Suzhou.",
        f"5. **Treatment in Chengdu (2026-02)** on a temporary filing: bill {_y(claim['total_fen'])} yuan; "
        f"eligible by Chengdu's catalogue {_y(claim['eligible_fen'])} yuan; Suzhou's policy (deductible 1,000 "
        f"yuan, 85% less 10 points for temporary filing = {int(claim['rate_permille']) / 10:.0f}%) pays "
        f"{_y(claim['fund_fen'])} yuan, she pays {_y(claim['self_fen'])} yuan. Chengdu's fund advances it; "
        f"clearing moves {_y(claim['fund_fen'])} yuan from Suzhou's fund to Chengdu's.",
        f"6. **Training voucher** of {_y(voucher['value_fen'])} yuan from Chengdu, redeemed at a school in "
        "Suzhou; Suzhou pays the school, clearing moves the same amount from Chengdu to Suzhou.",
        f"7. **Where would she draw her pension?** Art. 6, clause {drawing.clause}: {drawing.reason_en} → "
        f"{NAMES[drawing.region]}; the Suzhou temporary account would be consolidated there.",
        "",
        "Her account (non-zero balances, derived from the entries):",
        "",
        *_balances(mother),
        "",
        "Her son's record:",
        "",
        *_balances(child),
        "",
        f"Checks: pension months {months['510100']} + {months['440300']} + {months['320500']} = "
        f"{sum(months.values())}, all counted once; ledger problems found: {len(out['problems'])}"  # type: ignore[arg-type]
        " (every unit sums to zero and each balance matches its records).",
    ]
    return "\n".join(lines)
