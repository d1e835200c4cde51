"""`changzhu <command> --help` imports no heavy module (polars, numpy, scipy, plotly, SQLAlchemy, ...), nor pydantic:
typer would build a pydantic adapter for the group's unset options (changzhu.cli.typer_params)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from changzhu.cli.main import COMMANDS

HEAVY = (
    "polars",
    "numpy",
    "scipy",
    "plotly",
    "sqlalchemy",
    "pyarrow",
    "fastapi",
    "highspy",
    "dask",
    "distributed",
    "pydantic",
)
PROBE = """
import sys
from changzhu.cli.main import app
try:
    app([sys.argv[1], "--help"], standalone_mode=False)
except SystemExit:
    pass
print("heavy:" + ",".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))))
"""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_imports_nothing_heavy(command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, command, ",".join(HEAVY)], capture_output=True, text=True, check=True
    )
    assert "Usage" in done.stdout
    imported = done.stdout.rsplit("heavy:", 1)[1].strip()
    assert imported == "", f"{command} --help imported {imported}"
