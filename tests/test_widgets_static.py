"""Every course widget carries a static copy of itself for pages with no kernel (the static
edition, nbconvert, notebook viewers), and the helper that names its controls for screen readers."""

from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import charts, widgets
from chipcourse.panel.a11y import ControlNames
from chipcourse.panel.static import _static_output

FACTORIES = [widgets.scale_explorer, widgets.node_explorer, widgets.honest_name_calculator,
             widgets.rayleigh_calculator, widgets.patterning_explorer, widgets.bloch_explorer,
             widgets.circuit_builder, widgets.timeline_explorer, widgets.before_or_after_quiz,
             widgets.fab_simulator, widgets.subsidy_comparator, widgets.headline_checker]


@pytest.fixture(params=["svg", "interactive"])
def charts_mode(request, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setenv("CHIPCOURSE_CHARTS", request.param)
    return request.param


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_display_bundle_has_the_live_widget_and_a_static_copy(factory, charts_mode):
    app = factory()
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # JupyterLab shows the live widget
    static = bundle["text/html"]
    assert app.title in static and "open the lesson in JupyterLab" in static
    assert "<script" not in static
    for control in widgets.descendants(app, ipywidgets.ValueWidget):
        if getattr(control, "description", "") and not isinstance(control, ipywidgets.Button):
            assert control.description in static, f"the static copy lacks the setting {control.description!r}"
    live = [w.value for w in widgets.descendants(app, ipywidgets.HTML) if "aria-live" in w.value]
    assert live and all(text in static for text in live), "the static copy shows the widget's current output"
    if charts_mode == "svg" and any("chipcourse-chart" in w.value for w in widgets.descendants(app, ipywidgets.HTML)):
        assert "<svg role=\"img\"" in static  # the chart itself, as SVG


def test_static_copy_follows_the_settings(monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    app = widgets.honest_name_calculator(cpp_nm=48, mmp_nm=24)
    cpp = next(c for c in widgets.descendants(app, ipywidgets.IntSlider) if c.description.startswith("Contacted"))
    cpp.value = 60
    assert "Contacted gate pitch, CPP (nm): 60" in app.static_html()


def test_static_copy_keeps_dollar_amounts_out_of_mathjax(monkeypatch):
    """Text such as "$67 bn ... $65 bn" must not be typeset as a formula in the static edition;
    a formula written for HTMLMath still is."""
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    checker = widgets.headline_checker()
    widgets.descendants(checker, ipywidgets.Dropdown)[0].value = "japan-67bn"
    verdict = next(w.value for w in widgets.descendants(checker, ipywidgets.HTML) if "aria-live" in w.value)
    assert verdict.count("$") >= 2, verdict
    assert f"<div class='{charts.NO_MATHS}'>{verdict}</div>" in checker.static_html()
    formula = ipywidgets.HTMLMath(r"$E = h c / \lambda$")
    assert _static_output(formula) == formula.value


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_widget_names_its_controls(factory, charts_mode):
    assert len(widgets.descendants(factory(), ControlNames)) == 1


def test_a_grading_placeholder_stays_a_plain_line(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert isinstance(widgets.scale_explorer(), ipywidgets.HTML)
