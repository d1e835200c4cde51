"""The worked example of docs/ledger.md on both databases: numbers by the rules, ledger consistent, and the
document quoting exactly what the code produces."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from changzhu.casework.example_doc import render
from changzhu.casework.worked_example import run
from changzhu.ledger.transfers import complete_transfer
from changzhu.store.audit import verify

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"


def test_worked_example(engine: Engine) -> None:
    out = run(engine)
    p1 = out["pension_cd_sz"]
    assert isinstance(p1, dict)
    # individual account: 30 months × 1,200 × 11% + 60 × 2,000 × 8%; pooled: 12% × 156,000 yuan of bases
    assert p1["individual_fen"] == (30 * 1_200 * 11 + 60 * 2_000 * 8)
    assert p1["pooled_fen"] == 156_000 * 12 and p1["months"] == 90
    assert "temporary account" in str(out["pension_sz_su_refused"])
    mother = out["balances_mother"].to_dicts()  # type: ignore[union-attr]
    bal = {(r["kind"], r["region"]): r["balance"] for r in mother}
    assert bal[("pension_months", "440300")] == 240 and bal[("pension_months_temp", "320500")] == 38
    assert bal[("pension_individual", "440300")] == 1_356_000 + (96 * 5_000 + 54 * 8_000) * 8
    assert bal[("medical_months", "320500")] == 90 + 150 + 38
    assert out["problems"] == []
    claim = out["claim"]
    assert isinstance(claim, dict) and (claim["fund_fen"], claim["self_fen"]) == (487_500, 512_500)
    assert verify(engine).ok
    replay = complete_transfer(engine, "ex-t-pension-cd-sz", actor="t")
    assert replay["replayed"] and replay["pooled_fen"] == p1["pooled_fen"]
    text = render(out)
    assert text in DOC.read_text(encoding="utf-8"), "docs/ledger.md is out of date: paste `changzhu ledger example`"
