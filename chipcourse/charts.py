"""Charts, as a notebook calls them: ``charts.show(charts.density_by_company(table))``.

:func:`show`, the course theme and the rest of the machinery are in
:mod:`chipcourse.charting`; each builder (``density_by_company``, ``yield_curves``, ...)
is in its lesson's ``chipcourse/lessons/<topic>/charts.py`` and is found here by name.
"""

from __future__ import annotations

from . import lessons
from .charting import (MUTED_TEXT, NO_MATHS, OUTLINE, PALETTE, TEXT, ChartError, Figure, compiled, described,
                       mode, offline_bundle, prepare, show, svg, theme, with_rows)

__all__ = ["show", "theme", "mode", "prepare", "svg", "offline_bundle", "compiled", "with_rows", "described",
           "Figure", "ChartError", "PALETTE", "TEXT", "MUTED_TEXT", "OUTLINE", "NO_MATHS", "builders"]


def builders() -> dict:
    """Every lesson's chart builders, by name."""
    return lessons.charts()


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    return lessons.chart(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *builders()})
