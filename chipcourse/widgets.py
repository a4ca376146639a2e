"""Widgets, as a notebook calls them: one line, ``widgets.node_explorer()``.

Each factory is in its lesson's ``chipcourse/lessons/<topic>/widgets.py`` and is found
here by name; what they share (:class:`Panel`, labelled sliders, errors shown as
sentences, the placeholder used while grading) is :mod:`chipcourse.panel`.
"""

from __future__ import annotations

from . import lessons
from .panel import (STYLE, Panel, as_widget, descendants, grading, panel, placeholder, report_errors,
                    set_param, show_rows, slider)

__all__ = ["factories", "Panel", "panel", "placeholder", "grading", "report_errors", "as_widget", "descendants",
           "set_param", "show_rows", "slider", "STYLE"]


def factories() -> dict:
    """Every lesson's widget factories, by name, in course order."""
    return lessons.widgets()


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    return lessons.widget(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *factories()})
