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


# Hypothesis (tests/test_fuzz.py): `ci` is quick and reproducible, `long` is `make fuzz`.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=25, derandomize=True, database=None, deadline=5000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=1000, database=None, deadline=10000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def monkeypatch_session():
    """Widgets as a learner gets them (not graded, interactive charts), for the whole session."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NBGRADER_EXECUTION", raising=False)
        mp.setenv("CHIPCOURSE_CHARTS", "interactive")
        yield mp
