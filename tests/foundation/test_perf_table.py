"""README's performance table is the one tools/perf_table.py generates from benchmarks/results."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def perf(load_tool: Callable[[str], ModuleType]) -> ModuleType:
    return load_tool("perf_table")


def test_readme_table_matches_the_results(perf: ModuleType) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert perf.START in text and perf.END in text
    assert perf.rewrite(text) == text, "README.md's performance table is stale: run python tools/perf_table.py"


def test_table_follows_a_changed_result(perf: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    shutil.copytree(ROOT / "benchmarks" / "results", results)
    rules = json.loads((results / "rules.json").read_text(encoding="utf-8"))
    size = next(iter(rules["ratios"]))
    rules["ratios"][size]["rules_changzhu_over_openfisca_throughput"] = {"median": 12.345, "low": 11.0, "high": 13.5}
    rules["run"]["code"]["commit"] = "abcdef0123456789"
    (results / "rules.json").write_text(json.dumps(rules), encoding="utf-8")
    table = perf.table(results)
    assert "| 12.35× | 11.00–13.50 | ≥ 10× |" in table
    assert "abcdef01" in table
    readme = f"before\n{perf.START}\nold table\n{perf.END}\nafter\n"
    rewritten = perf.rewrite(readme, results)
    assert rewritten.startswith("before\n") and rewritten.endswith("\nafter\n") and "old table" not in rewritten
    with pytest.raises(SystemExit):
        perf.rewrite("no markers here", results)
