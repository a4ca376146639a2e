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

from . import charts, data, nodes, scale
from .units import UnitError

__all__ = ["grading", "placeholder", "panel", "report_errors", "set_param", "as_widget", "scale_explorer", "node_explorer",
           "honest_name_calculator"]

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
    chart = as_widget(charts.show(charts.length_scales(table, marker_nm=start_nm)))

    def update(_change=None):
        with report_errors(result):
            comparison = scale.compare_length(length.value, table)
            result.value = f"<p aria-live='polite'>{html.escape(comparison.sentence())}</p>"
            set_param(chart, "marker_nm", float(length.value))

    length.observe(update, "value")
    update()
    return panel(title, "Drag the slider: every step to the right is ten times longer.",
                 [length], [result, chart])


# --------------------------------------------------------------------------- 01 node names

_LENGTH_METRICS = {label.split(",")[0].split(" (")[0].capitalize(): key
                   for key, label in nodes.METRICS.items() if key != "density_mtr_mm2"}


def node_explorer(metric: str = "cpp_nm") -> ipywidgets.Widget:
    """Pick companies and a measured length: see how far each node's name is from it."""
    title = "Node explorer: the name against the measurement"
    if grading():
        return placeholder(title)
    summary = nodes.summary(data.load("nodes"))
    companies = list(dict.fromkeys(summary["company"]))
    pick = ipywidgets.SelectMultiple(options=companies, value=tuple(companies), rows=len(companies),
                                     description="Companies", style=_STYLE)
    measure = ipywidgets.Dropdown(options=list(_LENGTH_METRICS.items()), value=metric,
                                  description="Measured length", style=_STYLE)
    result = ipywidgets.HTML()
    chart = as_widget(charts.show(charts.label_vs_measure(summary, metric)))

    def update(_change=None):
        with report_errors(result):
            if not pick.value:
                raise ValueError("Choose at least one company (Ctrl- or Cmd-click to pick several).")
            table = nodes.name_vs_measure(summary, measure.value)
            table = table[table["company"].isin(pick.value)]
            result.value = f"<p aria-live='polite'>{html.escape(nodes.describe_gap(table, measure.value))}</p>"
            if getattr(chart, "chart", None) is not None:
                chart.chart.chart = charts.prepare(
                    charts.label_vs_measure(summary, measure.value, pick.value),
                    "Node names against the chosen measured length.")

    pick.observe(update, "value")
    measure.observe(update, "value")
    update()
    return panel(title, "Choose companies and a length. Points far above the dashed line are "
                        "nodes whose name is much smaller than what is measured.",
                 [pick, measure], [result, chart])


def honest_name_calculator(cpp_nm: float = 48, mmp_nm: float = 24,
                           density_mtr_mm2: float = 100) -> ipywidgets.Widget:
    """Pitches and a density in; the IRDS-style label and a density-based name out."""
    title = "Honest-name calculator"
    if grading():
        return placeholder(title)
    summary = nodes.summary(data.load("nodes"))
    reference = nodes.find(summary, "Intel", "22nm")
    cpp = _slider(ipywidgets.IntSlider, "Contacted gate pitch, CPP (nm)", value=cpp_nm, min=20, max=120)
    mmp = _slider(ipywidgets.IntSlider, "Minimum metal pitch, MMP (nm)", value=mmp_nm, min=10, max=100)
    density = _slider(ipywidgets.FloatLogSlider, "Transistor density (MTr/mm²)", value=density_mtr_mm2,
                      base=10, min=0, max=3, step=0.01, readout_format=".3g")
    result = ipywidgets.HTML()

    def update(_change=None):
        with report_errors(result):
            named = nodes.honest_name(cpp.value, mmp.value, summary)
            equivalent = nodes.density_equivalent_name(density.value, reference["label_nm"],
                                                       reference["density_mtr_mm2"])
            result.value = (
                f"<div aria-live='polite'><p><b>{html.escape(named.label)}</b>: "
                f"{html.escape(named.sentence())}</p>"
                f"<p>If names still shrank with density, counting from Intel 22nm "
                f"({reference['density_mtr_mm2']:g} MTr/mm²), a {density.value:.3g} MTr/mm² "
                f"process would be called <b>{equivalent:.2g} nm</b>.</p></div>")

    for control in (cpp, mmp, density):
        control.observe(update, "value")
    update()
    return panel(title, "Set two pitches and a density. The label says what is measured; the "
                        "second line shows what a density-based name would be.",
                 [cpp, mmp, density], [result])
