"""The code passes ruff's error checks (unused imports, undefined names, syntax)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff_finds_nothing(root):
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--output-format", "concise", "chipcourse", "tests",
                             "benchmarks", "nbgrader_config.py"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
