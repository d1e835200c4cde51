"""Starting the API imports no SciPy subpackage: every `changzhu serve` (the office and its browser tests start one
per module) and every process that imports changzhu.api would pay for scipy.stats, scipy.optimize, scipy.special
and scipy.sparse (≈1.4 s of CPU, docs/operations.md "Test suite time") though only a scenario run, a drawn
population or a budget allocation uses them; those import them when they run. numba imports SciPy's top package
only (its configuration), which is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from changzhu.api.app import create_app
print(json.dumps(sorted(m for m in sys.modules if m.startswith("scipy."))))
"""
HEAVY = ("scipy.stats", "scipy.optimize", "scipy.special", "scipy.sparse")


def test_the_api_starts_without_scipy_subpackages() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=True)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert [m for m in loaded if m.startswith(HEAVY)] == []
