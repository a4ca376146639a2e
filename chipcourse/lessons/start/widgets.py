"""Widgets for lesson 00, Start here."""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...charting import show
from ...panel import as_widget, grading, panel, placeholder, report_errors, set_param, slider
from . import charts, scale


def scale_explorer(start_nm: float = 13.5) -> ipywidgets.Widget:
    """Slide a length from 0.1 nm to 1 mm and see which real objects it falls between."""
    title = "Powers of ten: from atoms to hairs"
    if grading():
        return placeholder(title)
    table = data.load("length_scales")
    length = slider(ipywidgets.FloatLogSlider, "Length (nm)", value=start_nm, base=10,
                     min=-1, max=6, step=0.01, readout_format=".3g")
    result = ipywidgets.HTML()
    chart = as_widget(show(charts.length_scales(table, marker_nm=start_nm)))

    def update(_change=None):
        with report_errors(result):
            comparison = scale.compare_length(length.value, table)
            result.value = f"<p aria-live='polite'>{html.escape(comparison.sentence())}</p>"
            set_param(chart, "marker_nm", float(length.value))

    length.observe(update, "value")
    update()
    return panel(title, "Drag the slider: every step to the right is ten times longer.",
                 [length], [result, chart])
