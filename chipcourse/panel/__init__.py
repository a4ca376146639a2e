"""The widget machinery every lesson shares: :class:`Panel` and its controls.

Each lesson's widgets are in ``chipcourse/lessons/<topic>/widgets.py``, reached in a
notebook as ``widgets.<name>()`` (:mod:`chipcourse.widgets`). The pattern each follows:

1. a **pure function** in the lesson's model does the work and is unit-tested
   (e.g. :func:`chipcourse.lessons.start.scale.compare_length`);
2. a **factory** builds labelled controls with sane ranges, calls the function on
   every change and shows the result (HTML for words, :func:`chipcourse.charts.show`
   for a chart), and returns one widget, so the notebook cell is one line:
   ``widgets.scale_explorer()``;
3. bad input shows a sentence in the widget (:func:`report_errors`), never a traceback.

While nbgrader grades a notebook (``NBGRADER_EXECUTION`` is set) a factory returns a
one-line placeholder instead: grading does not need the widget, and a widget cell must
not slow grading down or fill its output.
"""

from __future__ import annotations

import contextlib
import html
import os
from typing import Callable

import ipywidgets

from ..units import UnitError
from .static import descendants, head_html, static_copy

__all__ = ["grading", "placeholder", "panel", "Panel", "report_errors", "set_param", "show_rows", "as_widget",
           "slider", "descendants", "STYLE"]

STYLE = {"description_width": "initial"}
_LAYOUT = ipywidgets.Layout(width="32em")


def grading() -> bool:
    """True while nbgrader executes the notebook (autograde, validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def placeholder(title: str) -> ipywidgets.HTML:
    """What a widget cell shows while being graded: its name, and where to use it."""
    return ipywidgets.HTML(f"<p><em>{html.escape(title)}: an interactive widget. "
                           f"Open this notebook in JupyterLab to use it.</em></p>")


class Panel(ipywidgets.VBox):
    """A course widget: live in JupyterLab, and a static copy where no kernel runs.

    Its display bundle carries ``text/html`` beside the widget view. JupyterLab shows the
    live widget; a page exported without widget state (nbconvert, the static edition, a
    notebook viewer) shows the title, the settings and the current output instead.
    """

    def __init__(self, title: str, intro: str, controls: list, outputs: list):
        from .a11y import ControlNames

        head = ipywidgets.VBox([ipywidgets.HTML(head_html(title, intro)), ControlNames()])
        super().__init__([head, *controls, *outputs])
        self.add_class("chipcourse-widget")
        self.title, self.intro = title, intro
        self.controls, self.outputs = list(controls), list(outputs)

    def static_html(self) -> str:
        """The widget as plain HTML: title, intro, each setting and its value, then the output."""
        return static_copy(self)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/html"] = self.static_html()
        return bundle


def panel(title: str, intro: str, controls: list, outputs: list) -> Panel:
    """A titled box: a short instruction, the controls, then the outputs (see :class:`Panel`)."""
    return Panel(title, intro, controls, outputs)


@contextlib.contextmanager
def report_errors(target: ipywidgets.HTML):
    """Run a widget update; a bad input becomes a sentence in ``target``, not a traceback."""
    try:
        yield
    except (ValueError, UnitError, ZeroDivisionError) as exc:
        target.value = (f"<p role='alert' style='color:#b00020'>⚠ {html.escape(str(exc))}</p>")


def as_widget(view) -> ipywidgets.Widget:
    """A chart from :func:`charts.show` as a widget (a static SVG figure goes in an HTML box)."""
    if isinstance(view, ipywidgets.Widget):
        return view
    return ipywidgets.HTML(view._repr_html_())


def set_param(view, name: str, value) -> None:
    """Move a Vega parameter of a chart made by :func:`charts.show` (no redraw needed)."""
    chart = getattr(view, "chart", None)
    if chart is not None:
        setattr(chart.params, name, value)


def show_rows(view, spec: dict | None, frame) -> None:
    """Redraw a chart made by :func:`charts.show` with ``frame``'s rows (see
    :func:`charts.with_rows`); ``spec`` is the chart as first compiled. Fast enough for
    every slider step, unlike building a new chart."""
    chart = getattr(view, "chart", None)
    if chart is not None and spec is not None:
        from ..charting import with_rows

        chart.spec = with_rows(spec, frame)


def slider(kind: Callable, description: str, **kwargs):
    return kind(description=description, style=STYLE, layout=_LAYOUT,
                continuous_update=True, **kwargs)
