"""Widgets for lesson 02, Printing with light."""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...charting import show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, set_param, slider
from . import charts, litho
from ..nodes import nodes


def _node_targets(summary) -> dict[str, tuple[str, float]]:
    """Drop-down entries: label -> (what is printed, pitch in nm), metal pitches first."""
    found = {}
    for metric, what in (("mmp_nm", "minimum metal pitch"), ("cpp_nm", "contacted gate pitch")):
        for _, row in litho.node_pitches(summary, metric).iterrows():
            found[f"{row['name']}: {what} ({row['pitch_nm']:g} nm)"] = (f"{row['name']}'s {what}",
                                                                       float(row["pitch_nm"]))
    return found


def rayleigh_calculator(technology: str = "ArF immersion", node: str = "TSMC N5") -> ipywidgets.Widget:
    """λ (by technology), NA, k1 and k2 in; half-pitch, depth of focus and a verdict on a real node's pitch out."""
    title = "Rayleigh calculator: can this tool print that node in one exposure?"
    if grading():
        return placeholder(title)
    gens = litho.generations(data.load("lithography"))
    lim = litho.limits()
    targets = _node_targets(nodes.summary(data.load("nodes")))
    first_target = next((k for k in targets if k.startswith(node + ":")), next(iter(targets)))
    start = litho.generation(gens, technology)

    tech = ipywidgets.Dropdown(options=list(gens["technology"]), value=technology,
                               description="Technology (sets the wavelength λ)", style=STYLE)
    na = slider(ipywidgets.FloatSlider, "Numerical aperture, NA", min=0.05, max=lim.na_max, step=0.01,
                value=float(start["na"]) if start["na"] == start["na"] else lim.na_max_dry,
                readout_format=".2f")
    k1 = slider(ipywidgets.FloatSlider, "Process factor k1", min=lim.k1_min, max=litho.K1_MAX, step=0.01,
                value=lim.k1_min, readout_format=".2f")
    k2 = slider(ipywidgets.FloatSlider, "Depth-of-focus factor k2", min=0.1, max=1.5, step=0.05, value=0.5,
                readout_format=".2f")
    target = ipywidgets.Dropdown(options=list(targets), value=first_target, description="Compare with",
                                 style=STYLE, layout=ipywidgets.Layout(width="40em"))
    result = ipywidgets.HTML()

    def choose_technology(_change=None):
        row = litho.generation(gens, tech.value)
        na.max = lim.na_max if row["immersion"] else lim.na_max_dry   # NA = n sin θ < n of the medium
        if row["na"] == row["na"]:  # a sourced NA: start there
            na.value = float(row["na"])
        update()

    def update(_change=None):
        with report_errors(result):
            row = litho.generation(gens, tech.value)
            wavelength = float(row["wavelength_nm"])
            immersion = bool(row["immersion"])
            what, pitch = targets[target.value]
            said = litho.verdict(wavelength, na.value, k1.value, pitch, what, immersion=immersion)
            dof = litho.depth_of_focus(wavelength, na.value, k2.value, immersion=immersion)
            medium = "water" if immersion else "air or vacuum"
            no_na = ("" if row["na"] == row["na"] else
                     f"<p><em>The table has no sourced NA for {html.escape(tech.value)}: the NA is yours to set.</em></p>")
            result.value = (
                f"<div aria-live='polite'><p><b>{html.escape(tech.value)}</b>: λ = {wavelength:g} nm, "
                f"NA = {na.value:.2f} (in {medium}, NA stays at or below {na.max:g}), k1 = {k1.value:.2f}</p>"
                f"<ul><li>smallest half-pitch in one exposure, k1·λ/NA: <b>{said.half_pitch_nm:.1f} nm</b></li>"
                f"<li>smallest pitch (line plus space), twice that: <b>{said.min_pitch_nm:.1f} nm</b></li>"
                f"<li>depth of focus, k2·λ/NA² with k2 = {k2.value:.2f}: <b>{dof:.0f} nm</b></li></ul>"
                f"<p>{html.escape(said.sentence())}</p>{no_na}</div>")

    tech.observe(choose_technology, "value")
    for control in (na, k1, k2, target):
        control.observe(update, "value")
    choose_technology()
    return panel(title, "Pick a technology, then move NA and k1. The verdict compares the smallest pitch "
                        "one exposure prints with a real node's pitch from the nodes table.",
                 [tech, na, k1, k2, target], [result])


def patterning_explorer(target_pitch_nm: float | None = None, technology: str = "ArF immersion") -> ipywidgets.Widget:
    """A target pitch in; the exposures pitch splitting needs and a picture of which mask prints which line."""
    title = "Multiple-patterning explorer: splitting a pitch over several exposures"
    if grading():
        return placeholder(title)
    gens = litho.generations(data.load("lithography"))
    gens = gens[gens["na"].notna() & (gens["wavelength_nm"] <= 200)]  # the tools that print today's pitches
    lim = litho.limits()
    if target_pitch_nm is None:
        target_pitch_nm = nodes.find(nodes.summary(data.load("nodes")), "TSMC", "N5")["mmp_nm"]
    pitch = slider(ipywidgets.IntSlider, "Target pitch (nm)", min=10, max=120, value=int(round(target_pitch_nm)))
    tech = ipywidgets.Dropdown(options=list(gens["technology"]), value=technology,
                               description="Technology", style=STYLE)
    k1 = slider(ipywidgets.FloatSlider, "Process factor k1", min=lim.k1_min, max=litho.K1_MAX, step=0.01,
                value=lim.k1_min, readout_format=".2f")
    result = ipywidgets.HTML()

    def plan():
        row = litho.generation(gens, tech.value)
        smallest = litho.min_pitch(row["wavelength_nm"], row["na"], k1.value, immersion=bool(row["immersion"]))
        return row, smallest, litho.exposures_needed(pitch.value, smallest)

    chart = as_widget(show(charts.pattern_split(pitch.value, plan()[2])))

    def update(_change=None):
        with report_errors(result):
            row, smallest, n = plan()
            if n == 1:
                steps = "one exposure is enough: one mask, one pass through the scanner for this layer."
            else:
                steps = (f"pitch splitting needs <b>{n} exposures</b>: {n} masks and {n} passes through the "
                         f"scanner for this layer, each mask printing lines {n * pitch.value:g} nm apart.")
            result.value = (
                f"<p aria-live='polite'>Target pitch {pitch.value} nm with {html.escape(tech.value)} "
                f"(λ = {row['wavelength_nm']:g} nm, NA = {row['na']:g}, k1 = {k1.value:.2f}): the smallest pitch "
                f"one exposure prints is {smallest:.1f} nm, so {steps}</p>")
            set_param(chart, "pitch_nm", float(pitch.value))
            set_param(chart, "exposures", int(n))

    for control in (pitch, tech, k1):
        control.observe(update, "value")
    update()
    return panel(title, "Move the target pitch and pick a technology. Each colour is one exposure with its own "
                        "mask; together they print the target.", [pitch, tech, k1], [result, chart])
