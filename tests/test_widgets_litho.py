"""Lesson 02's widgets: labelled, responsive, fast, and never a traceback."""

from __future__ import annotations


import ipywidgets
import pytest

from chipcourse import data, litho, nodes, widgets

from .test_widgets import controls, htmls


pytestmark = pytest.mark.usefixtures("live_widgets")


def find(app, kind, starts):
    return next(c for c in controls(app) if isinstance(c, kind) and c.description.startswith(starts))


def test_every_control_is_labelled_with_a_sane_range():
    for app in (widgets.rayleigh_calculator(), widgets.patterning_explorer()):
        for control in controls(app):
            assert control.description, f"{type(control).__name__} has no label"
        for s in (c for c in controls(app) if isinstance(c, (ipywidgets.FloatSlider, ipywidgets.IntSlider))):
            assert 0 < s.min < s.max
    calc = widgets.rayleigh_calculator()
    lim = litho.limits()
    k1 = find(calc, ipywidgets.FloatSlider, "Process factor k1")
    assert k1.min == lim.k1_min and k1.value == lim.k1_min
    assert find(calc, ipywidgets.FloatSlider, "Numerical aperture").max == lim.na_max


def test_rayleigh_calculator_answers_the_n5_question():
    app = widgets.rayleigh_calculator()
    text = htmls(app)
    assert "aria-live='polite'" in text and "35.7 nm" in text and "71.5 nm" in text
    assert "TSMC N5" in text and "No:" in text and "3 exposures" in text
    tech = find(app, ipywidgets.Dropdown, "Technology")
    tech.value = "EUV"
    na = find(app, ipywidgets.FloatSlider, "Numerical aperture")
    assert na.value == pytest.approx(0.33) and na.max == litho.limits().na_max_dry
    assert "Yes:" in htmls(app)
    find(app, ipywidgets.FloatSlider, "Process factor k1").value = 0.5
    assert "No:" in htmls(app) and "2 exposures" in htmls(app)


def test_rayleigh_calculator_depth_of_focus_follows_na_and_k2():
    app = widgets.rayleigh_calculator()
    na = find(app, ipywidgets.FloatSlider, "Numerical aperture")
    k2 = find(app, ipywidgets.FloatSlider, "Depth-of-focus factor")
    na.value, k2.value = 1.0, 1.0
    assert f"{litho.depth_of_focus(193, 1.0, 1.0):.0f} nm" in htmls(app)


def test_rayleigh_calculator_keeps_dry_tools_below_na_one_and_says_when_na_is_unsourced():
    app = widgets.rayleigh_calculator()
    na = find(app, ipywidgets.FloatSlider, "Numerical aperture")
    na.value = 1.44
    find(app, ipywidgets.Dropdown, "Technology").value = "KrF"
    assert na.value <= 1.0 and "no sourced NA for KrF" in htmls(app)
    assert "λ = 248 nm" in htmls(app) and "role='alert'" not in htmls(app)


def test_rayleigh_calculator_compares_with_any_node_pitch():
    app = widgets.rayleigh_calculator()
    target = find(app, ipywidgets.Dropdown, "Compare with")
    summary = nodes.summary(data.load("nodes"))
    assert len(target.options) == summary["mmp_nm"].notna().sum() + summary["cpp_nm"].notna().sum()
    target.value = next(o for o in target.options if o.startswith("Intel 22nm: minimum metal pitch"))
    assert "Yes:" in htmls(app) and "Intel 22nm" in htmls(app)


def test_patterning_explorer_counts_exposures_and_moves_the_chart():
    app = widgets.patterning_explorer()
    pitch = find(app, ipywidgets.IntSlider, "Target pitch")
    assert pitch.value == round(nodes.find(nodes.summary(data.load("nodes")), "TSMC", "N5")["mmp_nm"])
    assert "3 exposures" in htmls(app)
    chart = app.children[-1].chart
    assert chart.params.exposures == 3 and chart.params.pitch_nm == pytest.approx(pitch.value)
    pitch.value = 80
    assert "one exposure is enough" in htmls(app) and chart.params.exposures == 1
    find(app, ipywidgets.Dropdown, "Technology").value = "EUV"
    pitch.value = 10
    assert "3 exposures" in htmls(app) and chart.params.exposures == 3
    assert set(find(app, ipywidgets.Dropdown, "Technology").options) == {"ArF dry", "ArF immersion", "EUV",
                                                                           "High-NA EUV"}


def test_bad_value_becomes_a_sentence_not_a_traceback():
    app = widgets.patterning_explorer()
    find(app, ipywidgets.FloatSlider, "Process factor k1")  # present
    target = ipywidgets.HTML()
    with widgets.report_errors(target):
        litho.rayleigh_half_pitch(193, 1.35, 0.2)
    assert "role='alert'" in target.value and "limit for a single exposure" in target.value


def test_placeholders_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for factory in (widgets.rayleigh_calculator, widgets.patterning_explorer):
        widget = factory()
        assert isinstance(widget, ipywidgets.HTML) and "JupyterLab" in widget.value
