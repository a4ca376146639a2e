"""Widgets are thin views: they build, respond to their controls, and never raise."""

from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import widgets


def controls(widget):
    """All value widgets inside a widget tree, text displays excepted."""
    return [w for w in widgets.descendants(widget, ipywidgets.ValueWidget)
            if not isinstance(w, (ipywidgets.HTML, ipywidgets.Label))]


def htmls(widget):
    """The text of every HTML widget inside a widget tree."""
    return "\n".join(w.value for w in widgets.descendants(widget, ipywidgets.HTML))


pytestmark = pytest.mark.usefixtures("live_widgets")


def test_scale_explorer_responds_to_its_slider():
    app = widgets.scale_explorer()
    slider = next(c for c in controls(app) if isinstance(c, ipywidgets.FloatLogSlider))
    assert slider.description == "Length (nm)" and slider.min == -1 and slider.max == 6
    before = htmls(app)
    slider.value = 8000.0
    after = htmls(app)
    assert after != before and "Human red blood cell" in after
    chart = app.children[-1].chart
    assert chart.params.marker_nm == pytest.approx(8000.0)


def test_every_control_is_labelled():
    for control in controls(widgets.scale_explorer()):
        assert control.description, f"{type(control).__name__} has no label"


def test_bad_value_becomes_a_sentence():
    target = ipywidgets.HTML()
    with widgets.report_errors(target):
        raise ValueError("A length must be positive.")
    assert "role='alert'" in target.value and "A length must be positive." in target.value


def test_placeholder_while_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    widget = widgets.scale_explorer()
    assert isinstance(widget, ipywidgets.HTML) and "JupyterLab" in widget.value


def test_node_explorer_responds_and_explains_empty_choice():
    app = widgets.node_explorer()
    pick = next(c for c in controls(app) if isinstance(c, ipywidgets.SelectMultiple))
    measure = next(c for c in controls(app) if isinstance(c, ipywidgets.Dropdown))
    assert pick.description == "Companies" and measure.description == "Measured length"
    before = htmls(app)
    measure.value = "mmp_nm"
    assert htmls(app) != before and "metal pitch" in htmls(app)
    pick.value = ()
    assert "Choose at least one company" in htmls(app)
    pick.value = ("TSMC",)
    spec = app.children[-1].chart.spec
    shown = {row["company"] for ds in spec["datasets"].values() for row in ds if "company" in row}
    assert shown == {"TSMC"}


def test_honest_name_calculator_labels_the_pitches():
    app = widgets.honest_name_calculator()
    sliders = [c for c in controls(app) if isinstance(c, (ipywidgets.IntSlider, ipywidgets.FloatLogSlider))]
    cpp = next(s for s in sliders if s.description.startswith("Contacted gate pitch"))
    mmp = next(s for s in sliders if s.description.startswith("Minimum metal pitch"))
    cpp.value, mmp.value = 57, 40
    assert "G57M40" in htmls(app)
    assert "would be called" in htmls(app)


def test_descendants_walks_in_screen_order_and_filters_by_kind():
    a, b, c = ipywidgets.IntSlider(description="a"), ipywidgets.HTML("b"), ipywidgets.IntSlider(description="c")
    tree = ipywidgets.VBox([a, ipywidgets.HBox([b, c])])
    assert widgets.descendants(tree, ipywidgets.IntSlider) == [a, c]
    assert widgets.descendants(tree)[0] is tree and len(widgets.descendants(tree)) == 5
