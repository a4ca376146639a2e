"""Lesson 05's widgets: labelled, responsive, fast, and never a traceback."""

from __future__ import annotations


import ipywidgets
import pytest

from chipcourse import data, fab, policy, widgets

from .test_widgets import controls, htmls

pytestmark = pytest.mark.usefixtures("live_widgets")


def find(app, kind, starts):
    return next(c for c in controls(app) if isinstance(c, kind) and c.description.startswith(starts))


def live_text(app):
    return next(w.value for w in widgets.descendants(app, ipywidgets.HTML) if "aria-live" in w.value)


def test_fab_simulator_is_labelled_with_sourced_ranges():
    app = widgets.fab_simulator()
    for control in controls(app):
        assert control.description, f"{type(control).__name__} has no label"
    params = data.load("yield_params")
    area = find(app, ipywidgets.FloatSlider, "Die area")
    assert area.min == 10 and area.max == fab.param(params, "reticle_limit_area")
    d0 = find(app, ipywidgets.FloatSlider, "Defect density")
    assert d0.min == 0.01 and d0.max == 1.0 and d0.step == 0.01
    price = find(app, ipywidgets.IntSlider, "Wafer price")
    prices = data.load("wafer_cost")["wafer_price_usd"]
    assert price.min <= prices.min() and price.max >= prices.max()
    # the first drop-down is the model (the browser test changes the first one)
    selects = [c for c in controls(app) if isinstance(c, ipywidgets.Dropdown)]
    assert selects[0].description == "Yield model" and set(selects[0].options) == set(fab.MODELS)


def test_fab_simulator_follows_its_controls():
    app = widgets.fab_simulator()
    area = find(app, ipywidgets.FloatSlider, "Die area")
    d0 = find(app, ipywidgets.FloatSlider, "Defect density")
    price = find(app, ipywidgets.IntSlider, "Wafer price")
    area.value, d0.value, price.value = 400.0, 0.2, 20000
    expected = fab.simulate(400.0, 0.2, 20000, "Poisson")
    assert expected.sentence() in live_text(app).replace("&#x27;", "'")
    picture = app.children[-1].value
    assert picture.startswith("<svg") and "<title>" in picture and f"{expected.yield_fraction:.1%}" in picture
    find(app, ipywidgets.Dropdown, "Yield model").value = "Murphy"
    assert fab.simulate(400.0, 0.2, 20000, "Murphy").sentence() in live_text(app)


def test_presets_set_the_price_and_a_moved_slider_is_custom():
    app = widgets.fab_simulator()
    preset = find(app, ipywidgets.Dropdown, "Sourced wafer price")
    price = find(app, ipywidgets.IntSlider, "Wafer price")
    presets = fab.wafer_presets(data.load("wafer_cost"))
    label = max(presets, key=presets.get)
    preset.value = label
    assert price.value == round(presets[label]) and f"${presets[label]:,.0f}" in live_text(app)
    price.value = 4321 - 21
    assert preset.value.startswith("Custom")


def test_subsidy_comparator_normalises_and_moves_the_chart():
    app = widgets.subsidy_comparator()
    pick = find(app, ipywidgets.SelectMultiple, "Countries")
    kinds = find(app, ipywidgets.SelectMultiple, "Kinds of support")
    how = find(app, ipywidgets.Dropdown, "Compare as")
    assert set(how.options) == {(label, key) for key, (label, _u) in policy.NORMALISATIONS.items()}
    before = live_text(app)
    how.value = "usd_per_person"
    after = live_text(app)
    assert after != before and "USD per person" in after
    chart = app.children[-1].chart
    assert chart.params.how == "usd_per_person"
    pick.value = ("Japan", "European Union")
    kinds.value = ("budget package",)
    assert chart.params.countries == ["Japan", "European Union"] and chart.params.kinds == ["budget package"]
    assert "Left out" not in live_text(app), "both have a population"
    how.value = "pct_gdp"
    assert "Left out, no sourced GDP for the reference year: European Union" in live_text(app)
    pick.value = ()
    assert "role='alert'" in htmls(app) and "Choose at least one country" in htmls(app)


def test_headline_checker_shows_the_computed_verdict():
    app = widgets.headline_checker()
    choice = find(app, ipywidgets.Dropdown, "Claim")
    claims = data.load("headline_claims")
    tables = {name: data.load(name) for name in set(claims["evidence_table"])}
    for label, claim_id in choice.options:
        choice.value = claim_id
        verdict = policy.judge_claim(claims[claims["claim_id"] == claim_id].iloc[0], tables)
        text = live_text(app)
        assert verdict.verdict.capitalize() in text and "aria-live='polite'" in text


def test_placeholders_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for factory in (widgets.fab_simulator, widgets.subsidy_comparator, widgets.headline_checker):
        widget = factory()
        assert isinstance(widget, ipywidgets.HTML) and "JupyterLab" in widget.value
