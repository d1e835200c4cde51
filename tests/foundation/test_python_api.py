"""docs/python-api.md runs as written, and every name a package lists in __all__ exists."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "python-api.md"
PACKAGES = [
    "domain", "parameters", "geography", "data",
    "rules", "store", "registry", "ledger", "casework", "planning", "fiscal", "simulation",
    "report", "jobs", "api", "web", "tables", "validation",
]  # fmt: skip


def test_the_python_api_page_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHANGZHU_POLICY_DIR", raising=False)
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))
    for key in ("CHANGZHU_ID_HASH_KEY", "CHANGZHU_ID_ENC_KEY"):  # the page sets them: restored afterwards
        monkeypatch.setenv(key, "")
    failures, tried = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert tried > 20
    assert failures == 0


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_name_exists(package: str) -> None:
    module = importlib.import_module(f"changzhu.{package}")
    assert module.__all__, package
    for name in module.__all__:
        assert getattr(module, name) is not None, f"changzhu.{package}.{name}"


def test_the_architecture_diagram_is_the_layers_contract() -> None:
    """docs/architecture.md draws the layers exactly as import-linter enforces them (pyproject.toml)."""
    import tomllib

    root = DOC.parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")["layers"]
    text = (root / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = text.split("Packages on one line are independent of each other:\n\n```\n", 1)[1].split("\n```", 1)[0]
    assert drawn.splitlines() == layers
