"""Lesson 03 widgets: the Bloch-sphere explorer and the circuit builder respond and explain."""

from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import widgets

from .test_widgets import controls, htmls


pytestmark = pytest.mark.usefixtures("live_widgets")


def buttons(widget):
    found, stack = {}, [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, ipywidgets.Button):
            found[w.description] = w
        stack.extend(getattr(w, "children", ()))
    return found


def live_text(widget) -> str:
    """The aria-live part of the widget's output (what a screen reader announces)."""
    text = htmls(widget)
    start = text.index("<div aria-live='polite'>")
    return text[start:text.index("</div>", start)]


def by_description(widget, prefix):
    return next(c for c in controls(widget) if c.description.startswith(prefix))


# --------------------------------------------------------------------------- Bloch explorer

def test_bloch_explorer_shows_state_probabilities_and_moves_the_arrow():
    app = widgets.bloch_explorer(theta_deg=60, phi_deg=45)
    theta, phi = by_description(app, "θ"), by_description(app, "φ")
    assert (theta.min, theta.max, phi.min, phi.max) == (0, 180, 0, 359)
    first = live_text(app)
    assert "0.866|0⟩ + (0.354+0.354i)|1⟩" in first and "P(0) = 0.750" in first and "P(1) = 0.250" in first
    theta.value = 90
    after = live_text(app)
    assert after != first and "P(0) = 0.500" in after
    chart = app.children[-1].chart
    assert chart.params.theta_deg == pytest.approx(90.0)
    phi.value = 180
    assert "P(0) = 0.500" in live_text(app) and "x = -0.71" not in live_text(app)
    assert chart.params.phi_deg == pytest.approx(180.0)
    assert "x = -1.00" in live_text(app)


def test_bloch_explorer_presets_and_measurement_collapse():
    app = widgets.bloch_explorer(seed=3)
    theta = by_description(app, "θ")
    press = buttons(app)
    press["|1⟩"].click()
    assert theta.value == 180 and "the state is <b>|1⟩</b>" in live_text(app)
    press["|+⟩"].click()
    assert theta.value == 90 and "P(1) = 0.500" in live_text(app)
    press["Measure once"].click()
    text = live_text(app)
    assert "You measured" in text and "collapsed" in text
    outcome = "0" if theta.value == 0 else "1"
    assert theta.value in (0, 180) and f"You measured {outcome}" in text
    # measuring again gives the same outcome every time
    for _ in range(5):
        press["Measure once"].click()
        assert f"You measured {outcome}" in live_text(app)
    theta.value = 45  # the next change clears the message
    assert "You measured" not in live_text(app)


# --------------------------------------------------------------------------- circuit builder

def test_circuit_builder_starts_with_a_bell_pair_and_seeded_shots():
    app = widgets.circuit_builder()
    text = live_text(app)
    assert "H on q0, then CNOT q0→q1" in text and "0.707|00⟩ + 0.707|11⟩" in text
    shots = by_description(app, "Shots")
    assert (shots.min, shots.max, shots.value) == (1, 2000, 100)
    again = widgets.circuit_builder()
    assert live_text(again) == text, "the same seed gives the same shots"
    shots.value = 160
    assert live_text(app) != text and "shots out of 160" in live_text(app)
    chart = app.children[-1].chart
    assert chart.params.shots == 160
    assert chart.params.count_1 == 0 and chart.params.count_2 == 0
    assert chart.params.count_0 + chart.params.count_3 == 160
    seed = by_description(app, "Random seed")
    before = live_text(app)
    seed.value = 12345
    assert live_text(app) != before


def test_circuit_builder_drop_down_changes_the_live_text():
    app = widgets.circuit_builder()
    gate = by_description(app, "Gate")
    before = live_text(app)
    gate.value = "RY"
    assert live_text(app) != before and "Next gate:</b> RY(90°) on q0" in live_text(app)


def test_circuit_builder_add_undo_clear():
    app = widgets.circuit_builder(n_qubits=1, circuit=[])
    gate, press = by_description(app, "Gate"), buttons(app)
    assert "(no gates)" in live_text(app)
    gate.value = "H"
    press["Add gate"].click()
    press["Add gate"].click()
    text = live_text(app)
    assert "H on q0, then H on q0" in text and "State:</b> |0⟩" in text   # interference: H·H = I
    press["Undo last"].click()
    assert "State:</b> 0.707|0⟩ + 0.707|1⟩" in live_text(app)
    press["Clear"].click()
    assert "(no gates)" in live_text(app)
    press["Undo last"].click()
    assert "already empty" in htmls(app)


def test_circuit_builder_explains_impossible_gates():
    app = widgets.circuit_builder(n_qubits=1, circuit=[("H", 0)])
    gate, press = by_description(app, "Gate"), buttons(app)
    gate.value = "CNOT01"
    assert "switch to 2 qubits" in live_text(app)
    press["Add gate"].click()
    assert "role='alert'" in htmls(app) and "CNOT needs two qubits" in htmls(app)
    assert "H on q0</p>" in live_text(app), "the refused gate was not added"
    qubits = next(c for c in controls(app) if isinstance(c, ipywidgets.ToggleButtons))
    qubits.value = 2
    press["Add gate"].click()
    assert "CNOT q0→q1" in live_text(app) and "0.707|00⟩ + 0.707|11⟩" in live_text(app)
    chart = app.children[-1].chart
    assert chart.params.n_outcomes == 4
    qubits.value = 1
    assert "was cleared" in htmls(app) and "(no gates)" in live_text(app)
    assert chart.params.n_outcomes == 2


def test_circuit_builder_rotation_uses_the_angle():
    app = widgets.circuit_builder(n_qubits=1, circuit=[])
    by_description(app, "Gate").value = "RY"
    by_description(app, "Angle").value = 180
    buttons(app)["Add gate"].click()
    assert "RY(180°) on q0" in live_text(app) and "State:</b> |1⟩" in live_text(app)


def test_every_control_is_labelled_and_grading_shows_placeholders(monkeypatch):
    for factory in (widgets.bloch_explorer, widgets.circuit_builder):
        for control in controls(factory()):
            assert control.description, f"{type(control).__name__} has no label"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for factory in (widgets.bloch_explorer, widgets.circuit_builder):
        widget = factory()
        assert isinstance(widget, ipywidgets.HTML) and "JupyterLab" in widget.value
