"""The tests that run the command read its messages in English on any machine: tests/cli_support.py sets
CHANGZHU_LANG=en, which wins over a developer's Chinese locale (LANG=zh_CN.UTF-8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_support import run_changzhu

ROOT = Path(__file__).resolve().parents[2]
CHINESE_LOCALE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}


def _chinese_machine() -> dict[str, str]:
    """This process's environment as on a developer's machine with a Chinese locale and no CHANGZHU_LANG."""
    return {**{k: v for k, v in os.environ.items() if k != "CHANGZHU_LANG"}, **CHINESE_LOCALE}


def test_the_locale_chooses_the_language_the_helper_fixes(tmp_path: Path) -> None:
    """Without the helper's CHANGZHU_LANG a Chinese locale gives the Chinese line; with it, the English one."""
    bare = subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", "fiscal", "--out", str(tmp_path), "--fund-yuan", "-5"],
        capture_output=True,
        text=True,
        env=_chinese_machine(),
        timeout=120,
        check=False,
    )
    assert bare.returncode == 1 and bare.stderr.startswith("错误："), bare.stderr
    fixed = run_changzhu("fiscal", "--out", str(tmp_path), "--fund-yuan", "-5", env=_chinese_machine())
    assert fixed.returncode == 1 and fixed.stderr.startswith("error: "), fixed.stderr
    assert 'the fiscal parameter "Size of the central transfer fund" must not be negative' in fixed.stderr


def test_a_cli_test_passes_on_a_machine_with_a_chinese_locale() -> None:
    """A test that expects the command's English message, run by pytest under LANG=zh_CN.UTF-8."""
    test = "tests/fiscal/test_fiscal_real_data.py::test_changzhu_fiscal_bad_fund_is_one_line"
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_chinese_machine(),
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert "1 passed" in ran.stdout
