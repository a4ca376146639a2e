"""Widgets for lesson 06, Who holds the chokepoints?."""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...charting import show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, slider
from . import charts, chokepoints


def chokepoints_explorer(value: float = 2.0) -> ipywidgets.Widget:
    """Convert a value between two SI prefixes and see the powers of ten."""
    title = "From one prefix to another"
    if grading():
        return placeholder(title)
    table = data.load("chokepoints")
    amount = slider(ipywidgets.FloatSlider, "Value", value=value, min=0.0, max=1000.0, step=0.5)
    choices = list(table["prefix"])
    source = ipywidgets.Dropdown(options=choices, value="micro", description="From", style=STYLE)
    target = ipywidgets.Dropdown(options=choices, value="nano", description="To", style=STYLE)
    result = ipywidgets.HTML()
    chart = as_widget(show(charts.chokepoints_chart(table)))

    def update(_change=None):
        with report_errors(result):
            converted = chokepoints.convert(table, amount.value, source.value, target.value)
            result.value = (f"<p aria-live='polite'>{amount.value:g} {html.escape(source.value)} units "
                            f"are {converted:.6g} {html.escape(target.value)} units.</p>")

    for control in (amount, source, target):
        control.observe(update, "value")
    update()
    return panel(title, "Pick a value and two prefixes: the sentence converts between them.",
                 [amount, source, target], [result, chart])
