"""Check that a learner's set-up is complete: versions, data tables, chart rendering."""

from __future__ import annotations

import platform
from importlib import metadata

__all__ = ["report", "problems"]

PACKAGES = ("jupyterlab", "ipywidgets", "pandas", "altair", "vl-convert-python", "anywidget",
            "nbgrader", "pint")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def problems() -> list[str]:
    """Sentences naming what is missing or broken; empty when all is well."""
    from . import data

    found = [f"{name} is not installed: run `make lab` again." for name in PACKAGES
             if _version(name) == "missing"]
    for table in data.tables():
        try:
            data.load(table)
        except data.DataError as exc:
            found.append(str(exc))
    return found


def report() -> None:
    """Print versions, how charts render here, and whether every data table loads."""
    from . import charts, data

    print(f"Python {platform.python_version()}; " +
          ", ".join(f"{p} {_version(p)}" for p in PACKAGES))
    print(f"Charts render as: {charts.mode()} (offline, no internet needed)")
    issues = problems()
    print(f"Data tables: {len(data.tables())} described, "
          f"{'all load' if not issues else f'{len(issues)} problem(s)'}")
    for issue in issues:
        print(f"  ✗ {issue}")
    if not issues:
        print("✓ Your set-up is complete.")
