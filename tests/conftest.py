"""Shared fixtures: where the course is, which notebooks exist, the venv's tools on PATH."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from chipcourse import notebooks

ROOT = notebooks.ROOT
VENV_BIN = Path(sys.executable).parent

# nbgrader shells out to `alembic` and `jupyter`: make the venv's executables findable.
os.environ["PATH"] = f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def lesson_ids(paths):
    return [p.stem for p in paths]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def live_widgets(monkeypatch):
    """Widgets as a learner in JupyterLab gets them: not being graded, interactive charts."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "interactive")
