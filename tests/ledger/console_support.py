"""`changzhu ARGS` as the console script runs it, for the operator CLI's tests."""

from __future__ import annotations

import sys

import pytest

from changzhu.cli import main


def run_console(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, lang: str | None = None
) -> tuple[int, str]:
    """Exit code and everything printed by `changzhu ARGS` run through main._run (an error is one line, exit 1),
    with CHANGZHU_LANG set to `lang` when given."""
    if lang is not None:
        monkeypatch.setenv("CHANGZHU_LANG", lang)
    monkeypatch.setattr(sys, "argv", ["changzhu", *args])
    try:
        main._run()
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    said = capsys.readouterr()
    return code, said.out + said.err
