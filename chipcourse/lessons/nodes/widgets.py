"""Widgets for lesson 01, What's in a nanometer?"""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...charting import compiled, show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, show_rows, slider
from . import charts, nodes


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
                                     description="Companies", style=STYLE)
    measure = ipywidgets.Dropdown(options=list(_LENGTH_METRICS.items()), value=metric,
                                  description="Measured length", style=STYLE)
    result = ipywidgets.HTML()
    chart = as_widget(show(charts.label_vs_measure(summary, metric)))
    live = getattr(chart, "chart", None)   # None when charts are static SVG
    by_metric = {metric: live.spec} if live is not None else {}   # compiled once, redrawn with chosen rows

    def update(_change=None):
        with report_errors(result):
            if not pick.value:
                raise ValueError("Choose at least one company (Ctrl- or Cmd-click to pick several).")
            table = nodes.name_vs_measure(summary, measure.value)
            table = table[table["company"].isin(pick.value)]
            result.value = f"<p aria-live='polite'>{html.escape(nodes.describe_gap(table, measure.value))}</p>"
            if live is not None and measure.value not in by_metric:
                by_metric[measure.value] = compiled(charts.label_vs_measure(summary, measure.value))
            show_rows(chart, by_metric.get(measure.value), table)

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
    cpp = slider(ipywidgets.IntSlider, "Contacted gate pitch, CPP (nm)", value=cpp_nm, min=20, max=120)
    mmp = slider(ipywidgets.IntSlider, "Minimum metal pitch, MMP (nm)", value=mmp_nm, min=10, max=100)
    density = slider(ipywidgets.FloatLogSlider, "Transistor density (MTr/mm²)", value=density_mtr_mm2,
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
