"""The changzhu command run as a user runs it (`python -m changzhu.cli.main`), in English whatever the machine.

The command writes its error line in the language of CHANGZHU_LANG, else of the locale (LC_ALL, LC_MESSAGES, LANG:
zh* is Chinese; docs/policies.md). The tests read its messages in English, so every run here sets
CHANGZHU_LANG=en: a developer's zh_CN.UTF-8 locale does not change what the tests see
(tests/foundation/test_cli_language.py). A test of the Chinese line asks for it (`lang="zh"`); a test of the
language choice itself sets the environment it needs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

LANG_ENV = "CHANGZHU_LANG"


def cli_env(base: Mapping[str, str] | None = None, lang: str = "en", **extra: str) -> dict[str, str]:
    """The environment of a run: `base` (this process's environment if None), `extra`, and CHANGZHU_LANG=`lang`
    (en unless a test asks for zh)."""
    return {**(os.environ if base is None else base), **extra, LANG_ENV: lang}


def run_changzhu(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    lang: str = "en",
) -> subprocess.CompletedProcess[str]:
    """`changzhu ARGS` in a child process, its output captured as text; `env` the whole environment (this process's
    if None), CHANGZHU_LANG=`lang` always added (en unless a test of the Chinese line asks for zh)."""
    return subprocess.run(
        [sys.executable, "-m", "changzhu.cli.main", *args],
        capture_output=True,
        text=True,
        env=cli_env(env, lang),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
