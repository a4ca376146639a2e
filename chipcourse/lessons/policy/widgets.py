"""Widgets for lesson 05, Industrial policy by the numbers."""

from __future__ import annotations

import html
import math

import ipywidgets

from ... import data
from ...charting import show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, set_param, slider
from . import charts, fab, policy

_CUSTOM = "Custom: set the price with the slider"
_MARKS = {"holds": "✓", "partly holds": "≈", "does not hold": "✗"}
_COMPARATOR_INTRO = ("Pick countries and kinds of support (Ctrl- or Cmd-click for several) and how to compare them. "
                     "Each measure counts once; hover over a bar for its exchange rate and source.")


def fab_simulator(seed: int = 0) -> ipywidgets.Widget:
    """Die area, defect density, wafer price and yield model in; dies, yield, cost per good die out."""
    title = "Fab economics simulator"
    if grading():
        return placeholder(title)
    params, prices = data.load("yield_params"), data.load("wafer_cost")
    chips = data.load("chips")
    m1 = chips[chips["chip"] == "Apple M1"].dropna(subset=["die_area_mm2"]).iloc[0]
    wafer_mm = fab.param(params, "wafer_diameter")
    presets = fab.wafer_presets(prices)
    start = next(label for label, price in presets.items() if "5nm" in label and "2020" in label)
    top = 5000 * math.ceil(max(presets.values()) / 5000)
    area = slider(ipywidgets.FloatSlider, "Die area (mm²)", value=float(m1["die_area_mm2"]), min=10,
                  max=fab.param(params, "reticle_limit_area"), step=0.1, readout_format=".1f")
    d0 = slider(ipywidgets.FloatSlider, "Defect density (defects/cm²)",
                value=fab.param(params, "defect_density_TSMC_N5"), min=0.01, max=1.0, step=0.01,
                readout_format=".2f")
    cost = slider(ipywidgets.IntSlider, "Wafer price (USD)", value=int(round(presets[start])), min=1000, max=top,
                  step=1)
    model = ipywidgets.Dropdown(options=list(fab.MODELS), value=fab.MODELS[0], description="Yield model",
                                style=STYLE)
    preset = ipywidgets.Dropdown(options=[_CUSTOM, *presets], value=start, description="Sourced wafer price",
                                 style=STYLE, layout=ipywidgets.Layout(width="46em"))
    result, picture = ipywidgets.HTML(), ipywidgets.HTML()

    def update(_change=None):
        with report_errors(result):
            run = fab.simulate(area.value, d0.value, cost.value, model.value, wafer_mm)
            dies = fab.wafer_map(area.value, d0.value, model.value, seed=seed, wafer_diameter_mm=wafer_mm)
            bad = int((~dies["good"]).sum())
            result.value = (
                f"<div aria-live='polite'><p>{html.escape(run.sentence())}</p>"
                f"<p><small>Dies per wafer: {run.dies_per_wafer:,} · yield: {run.yield_text()} · "
                f"good dies: {run.good_dies:,.0f} · cost per good die: "
                f"{'n/a' if run.cost_per_good_die_usd is None else f'${run.cost_per_good_die_usd:,.2f}'}"
                f"</small></p></div>")
            picture.value = charts.wafer_svg(
                dies, wafer_mm, summary=f"Wafer map: {len(dies):,} dies drawn, {len(dies) - bad:,} good (filled "
                                        f"squares) and {bad:,} with a killer defect (crossed squares), "
                                        f"drawn at random at a yield of {run.yield_fraction:.1%}.")

    def choose_price(_change=None):
        if preset.value in presets:
            cost.value = int(round(presets[preset.value]))

    def slide_price(_change=None):
        if preset.value in presets and int(round(presets[preset.value])) != cost.value:
            preset.value = _CUSTOM
        update()

    for control in (area, d0, model):
        control.observe(update, "value")
    cost.observe(slide_price, "value")
    preset.observe(choose_price, "value")
    update()
    return panel(title, "Move the sliders or pick a sourced wafer price. The picture draws each die on the wafer: "
                        "filled squares work, crossed squares have a killer defect.",
                 [area, d0, cost, model, preset], [result, picture])


def subsidy_comparator() -> ipywidgets.Widget:
    """Choose countries, kinds of support and a normalisation; compare the measures fairly."""
    title = "Subsidy comparator"
    if grading():
        return placeholder(title)
    subsidies, population_gdp = data.load("subsidies"), data.load("population_gdp")
    year = policy.common_reference_year(population_gdp)
    countries = list(dict.fromkeys(subsidies.dropna(subset=["amount_usd_bn"])["country"]))
    kinds = list(dict.fromkeys(subsidies["kind"]))
    pick = ipywidgets.SelectMultiple(options=countries, value=("Japan", "United States"), rows=len(countries),
                                     description="Countries", style=STYLE)
    pick_kinds = ipywidgets.SelectMultiple(options=kinds, value=("grant", "award (final)"), rows=len(kinds),
                                           description="Kinds of support", style=STYLE)
    how = ipywidgets.Dropdown(options=[(label, key) for key, (label, _unit) in policy.NORMALISATIONS.items()],
                              value="usd_bn", description="Compare as", style=STYLE,
                              layout=ipywidgets.Layout(width="32em"))
    result = ipywidgets.HTML()
    table = policy.comparison_table(subsidies, population_gdp, year)
    chart = as_widget(show(charts.subsidy_chart(table, pick.value, pick_kinds.value, how.value)))

    def update(_change=None):
        with report_errors(result):
            rows, missing, no_usd = policy.compare(subsidies, population_gdp, pick.value, pick_kinds.value,
                                                   how.value, year)
            sentence = policy.describe_comparison(rows, missing, how.value, no_usd)
            if how.value != "usd_bn":
                sentence += f" Population and GDP of {year} for every country."
            result.value = f"<p aria-live='polite'>{html.escape(sentence)}</p>"
            set_param(chart, "countries", list(pick.value))
            set_param(chart, "kinds", list(pick_kinds.value))
            set_param(chart, "how", how.value)

    controls = [pick, pick_kinds, how]
    for control in controls:
        control.observe(update, "value")
    update()
    return panel(title, _COMPARATOR_INTRO, controls, [result, chart])


def headline_checker() -> ipywidgets.Widget:
    """Pick a claim from the seed articles; see the verdict the data gives and why."""
    title = "Check the headline"
    if grading():
        return placeholder(title)
    claims = data.load("headline_claims")
    tables = {name: data.load(name) for name in dict.fromkeys(claims["evidence_table"])}
    choice = ipywidgets.Dropdown(options=[(row.claim, row.claim_id) for row in claims.itertuples()],
                                 value=claims["claim_id"].iloc[0], description="Claim", style=STYLE,
                                 layout=ipywidgets.Layout(width="46em"))
    result = ipywidgets.HTML()

    def update(_change=None):
        with report_errors(result):
            row = claims[claims["claim_id"] == choice.value].iloc[0]
            verdict = policy.judge_claim(row, tables)
            result.value = (
                f"<div aria-live='polite'><p><b>{_MARKS[verdict.verdict]} {html.escape(verdict.verdict.capitalize())}"
                f"</b>: {html.escape(verdict.why)}</p><p><small>Claim from {html.escape(row['publication'])} "
                f"(seed file {html.escape(row['seed_file'])}); checked against the table "
                f"{html.escape(row['evidence_table'])}.</small></p></div>")

    choice.observe(update, "value")
    update()
    return panel(title, "Choose a claim. The verdict is computed from the course's tables, not typed in.",
                 [choice], [result])
