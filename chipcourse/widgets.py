"""Interactive widgets for the lessons: each one call in a notebook, each a thin view.

The pattern every module follows:

1. a **pure function** in a topic module does the work and is unit-tested
   (e.g. :func:`chipcourse.scale.compare_length`);
2. a **factory** here builds labelled controls with sane ranges, calls the function on
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

from . import charts, data, scale
from .units import UnitError

__all__ = ["grading", "placeholder", "panel", "report_errors", "set_param", "as_widget", "scale_explorer"]

_STYLE = {"description_width": "initial"}
_LAYOUT = ipywidgets.Layout(width="32em")


def grading() -> bool:
    """True while nbgrader executes the notebook (autograde, validate)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def placeholder(title: str) -> ipywidgets.HTML:
    """What a widget cell shows while being graded: its name, and where to use it."""
    return ipywidgets.HTML(f"<p><em>{html.escape(title)}: an interactive widget. "
                           f"Open this notebook in JupyterLab to use it.</em></p>")


def panel(title: str, intro: str, controls: list, outputs: list) -> ipywidgets.VBox:
    """A titled box: a short instruction, the controls, then the outputs."""
    head = ipywidgets.HTML(f"<h4 style='margin:0.2em 0'>{html.escape(title)}</h4>"
                           f"<p style='margin:0.2em 0'>{html.escape(intro)}</p>")
    box = ipywidgets.VBox([head, *controls, *outputs])
    box.add_class("chipcourse-widget")
    return box


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


def _slider(kind: Callable, description: str, **kwargs):
    return kind(description=description, style=_STYLE, layout=_LAYOUT,
                continuous_update=True, **kwargs)


# --------------------------------------------------------------------------- 00 start here

def scale_explorer(start_nm: float = 13.5) -> ipywidgets.Widget:
    """Slide a length from 0.1 nm to 1 mm and see which real objects it falls between."""
    title = "Powers of ten: from atoms to hairs"
    if grading():
        return placeholder(title)
    table = data.load("length_scales")
    length = _slider(ipywidgets.FloatLogSlider, "Length (nm)", value=start_nm, base=10,
                     min=-1, max=6, step=0.01, readout_format=".3g")
    result = ipywidgets.HTML()
    chart = as_widget(charts.show(
        charts.length_scales(table, marker_nm=start_nm),
        description="Objects from the length_scales table placed on a logarithmic "
                    "length axis in nanometres, with a red line at the chosen length.",
        source=data.citation("length_scales"),
    ))

    def update(_change=None):
        with report_errors(result):
            comparison = scale.compare_length(length.value, table)
            result.value = f"<p aria-live='polite'>{html.escape(comparison.sentence())}</p>"
            set_param(chart, "marker_nm", float(length.value))

    length.observe(update, "value")
    update()
    return panel(title, "Drag the slider: every step to the right is ten times longer.",
                 [length], [result, chart])
