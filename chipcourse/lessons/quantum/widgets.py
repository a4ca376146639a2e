"""Widgets for lesson 03, Qubits, gates and cold fridges."""

from __future__ import annotations

import html
import math

import ipywidgets
import numpy as np

from ...charting import show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, set_param, slider
from . import charts, quantum
from .charts import SIMULATOR_SOURCE

#: the widget factories (bloch_report and circuit_step are the pure functions behind them)
__all__ = ["bloch_explorer", "circuit_builder"]

#: named states a learner can jump to: (θ, φ) in degrees
_PRESETS = {"|0⟩": (0, 0), "|1⟩": (180, 0), "|+⟩": (90, 0), "|−⟩": (90, 180), "|+i⟩": (90, 90),
            "|−i⟩": (90, 270)}


def _bar(p: float) -> str:
    width = max(0.0, min(1.0, p)) * 12
    return (f"<span style='display:inline-block;width:{width:.2f}em;height:0.8em;background:#0072B2;"
            f"vertical-align:middle'></span>")


def bloch_report(theta_deg: float, phi_deg: float) -> str:
    """The HTML a Bloch explorer shows for angles in degrees: state, probabilities, vector."""
    psi = quantum.from_bloch(math.radians(theta_deg), math.radians(phi_deg))
    p0, p1 = quantum.probabilities(psi)
    x, y, z = quantum.bloch_vector(psi)
    return (
        f"<p><b>θ = {theta_deg:g}°, φ = {phi_deg:g}°:</b> the state is "
        f"<b>{html.escape(quantum.ket(psi))}</b></p>"
        f"<p>Measurement probabilities (Born rule, |amplitude|²): "
        f"P(0) = {p0:.3f} {_bar(p0)} &nbsp; P(1) = {p1:.3f} {_bar(p1)}</p>"
        f"<p>Bloch vector: x = {x:.2f}, y = {y:.2f}, z = {z:.2f}. "
        f"φ changes the amplitudes' phase but not the probabilities.</p>")


def bloch_explorer(theta_deg: float = 60, phi_deg: float = 45, seed: int = 1) -> ipywidgets.Widget:
    """Two angles in; the qubit's state, its measurement probabilities and its Bloch vector out.

    "Measure once" draws an outcome (seeded) and moves the sliders to the collapsed state.
    """
    title = "Bloch-sphere explorer"
    if grading():
        return placeholder(title)
    theta = slider(ipywidgets.IntSlider, "θ, angle from |0⟩ (degrees)", value=int(theta_deg), min=0, max=180)
    phi = slider(ipywidgets.IntSlider, "φ, phase (degrees)", value=int(phi_deg), min=0, max=359)
    presets = []
    for label in _PRESETS:
        button = ipywidgets.Button(description=label, tooltip=f"Set the state to {label}",
                                   layout=ipywidgets.Layout(width="4.5em"))
        presets.append(button)
    measure = ipywidgets.Button(description="Measure once", tooltip="Measure the qubit (one shot)",
                                button_style="info")
    result = ipywidgets.HTML()
    chart = as_widget(show(charts.bloch_projections(theta.value, phi.value), source=SIMULATOR_SOURCE))
    rng = np.random.default_rng(seed)
    last = {"message": ""}

    def update(_change=None):
        with report_errors(result):
            result.value = (f"<div aria-live='polite'>{bloch_report(theta.value, phi.value)}"
                            f"{last['message']}</div>")
            last["message"] = ""
            set_param(chart, "theta_deg", float(theta.value))
            set_param(chart, "phi_deg", float(phi.value))

    def go_to(t: int, p: int, message: str = ""):
        # move both sliders, then show one update (with the message, if any)
        for control in (theta, phi):
            control.unobserve(update, "value")
        theta.value, phi.value = t, p
        for control in (theta, phi):
            control.observe(update, "value")
        last["message"] = message
        update()

    def preset(button):
        go_to(*_PRESETS[button.description])

    def measure_once(_button):
        with report_errors(result):
            psi = quantum.from_bloch(math.radians(theta.value), math.radians(phi.value))
            outcome, _after = quantum.measure(psi, seed=rng)
            go_to(0 if outcome == "0" else 180, 0,
                  f"<p><b>You measured {outcome}.</b> The state collapsed to |{outcome}⟩, so the "
                  f"sliders moved there: measure again and you will read {outcome} every time.</p>")

    for button in presets:
        button.on_click(preset)
    measure.on_click(measure_once)
    for control in (theta, phi):
        control.observe(update, "value")
    update()
    return panel(title, "Move θ and φ to choose a qubit state, or press a named state. The arrow "
                        "shows where it sits on the Bloch sphere, from the side and from above.",
                 [theta, phi, ipywidgets.HBox([ipywidgets.Label("Named states:"), *presets]), measure],
                 [result, chart])


_GATE_CHOICES = [
    ("H: Hadamard (superposition)", "H"), ("X: NOT (flip)", "X"), ("Y: flip with a phase", "Y"),
    ("Z: phase flip", "Z"), ("S: quarter-turn phase", "S"), ("T: eighth-turn phase", "T"),
    ("RX: turn about x by the angle", "RX"), ("RY: turn about y by the angle", "RY"),
    ("RZ: turn about z by the angle", "RZ"),
    ("CNOT: control q0, target q1", "CNOT01"), ("CNOT: control q1, target q0", "CNOT10"),
]


def circuit_step(gate: str, qubit: int, angle_deg: float, n_qubits: int) -> tuple:
    """The circuit step a builder's controls describe, checked against the number of qubits."""
    if gate.startswith("CNOT"):
        if n_qubits < 2:
            raise ValueError("CNOT needs two qubits: switch to 2 qubits first.")
        return ("CNOT", int(gate[4]), int(gate[5]))
    if qubit >= n_qubits:
        raise ValueError(f"There is no qubit {qubit} in a {n_qubits}-qubit circuit.")
    if gate in quantum.ROTATIONS:
        return (gate, qubit, math.radians(angle_deg))
    return (gate, qubit)


_PAD = " style='padding:0.1em 0.8em;text-align:right'"


def _circuit_html(result: quantum.CircuitResult, next_step: str) -> str:
    rows = "".join(
        f"<tr><td{_PAD}>|{label}⟩</td><td{_PAD}>{html.escape(_amp(a))}</td>"
        f"<td{_PAD}>{p:.3f}</td><td{_PAD}>{result.counts[label]}</td></tr>"
        for (label, p), a in zip(result.probabilities.items(), result.state))
    return (
        f"<p><b>Next gate:</b> {html.escape(next_step)} (press “Add gate” to append it).</p>"
        f"<p><b>Circuit:</b> {html.escape(quantum.circuit_text(result.circuit))}</p>"
        f"<p><b>State:</b> {html.escape(quantum.ket(result.state))}</p>"
        f"<table style='border-collapse:collapse'><thead><tr><th{_PAD}>outcome</th><th{_PAD}>amplitude</th>"
        f"<th{_PAD}>probability</th><th{_PAD}>shots out of {result.shots}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>")


def _amp(a: complex) -> str:
    re_, im = round(a.real, 3) + 0.0, round(a.imag, 3) + 0.0
    return f"{re_:.3f}" if im == 0 else f"{re_:.3f} {'+' if im >= 0 else '−'} {abs(im):.3f}i"


def circuit_builder(n_qubits: int = 2, circuit=(("H", 0), ("CNOT", 0, 1)), shots: int = 100,
                    seed: int = 6) -> ipywidgets.Widget:
    """Build a one- or two-qubit circuit gate by gate; see its amplitudes and a seeded histogram of shots."""
    title = "Circuit builder"
    if grading():
        return placeholder(title)
    steps = list(circuit)
    qubits = ipywidgets.ToggleButtons(options=[("1 qubit", 1), ("2 qubits", 2)], value=int(n_qubits),
                                      description="Qubits", style=STYLE)
    shots_slider = slider(ipywidgets.IntSlider, "Shots (measured copies)", value=int(shots), min=1, max=2000)
    seed_box = ipywidgets.BoundedIntText(value=int(seed), min=0, max=99_999, description="Random seed",
                                         style=STYLE, layout=ipywidgets.Layout(width="14em"))
    gate = ipywidgets.Dropdown(options=_GATE_CHOICES, value="H", description="Gate", style=STYLE)
    target = ipywidgets.Dropdown(options=[("q0", 0), ("q1", 1)], value=0, description="On qubit", style=STYLE)
    angle = slider(ipywidgets.IntSlider, "Angle for RX, RY, RZ (degrees)", value=90, min=-360, max=360, step=15)
    add = ipywidgets.Button(description="Add gate", button_style="primary", icon="plus")
    undo = ipywidgets.Button(description="Undo last", icon="undo")
    clear = ipywidgets.Button(description="Clear", icon="trash")
    result = ipywidgets.HTML()
    status = ipywidgets.HTML()
    first = quantum.simulate(steps, int(n_qubits), int(shots), seed=int(seed))
    chart = as_widget(show(charts.shot_histogram(first.counts, first.probabilities),
                                  source=SIMULATOR_SOURCE))

    def next_step_text() -> str:
        try:
            return quantum.circuit_text([circuit_step(gate.value, target.value, angle.value, qubits.value)])
        except ValueError as exc:
            return f"{gate.label.split(':')[0]}: {exc}"

    def update(_change=None):
        with report_errors(result):
            run = quantum.simulate(steps, qubits.value, shots_slider.value, seed=seed_box.value)
            result.value = f"<div aria-live='polite'>{_circuit_html(run, next_step_text())}</div>"
            counts = list(run.counts.values()) + [0] * (4 - len(run.counts))
            probs = list(run.probabilities.values()) + [0.0] * (4 - len(run.probabilities))
            set_param(chart, "n_outcomes", len(run.counts))
            set_param(chart, "shots", run.shots)
            for i in range(4):
                set_param(chart, f"count_{i}", int(counts[i]))
                set_param(chart, f"prob_{i}", float(probs[i]))

    def add_gate(_button):
        status.value = ""
        with report_errors(status):
            step = circuit_step(gate.value, target.value, angle.value, qubits.value)
            quantum.run_circuit([*steps, step], n_qubits=qubits.value)  # refuse a step that cannot run
            steps.append(step)
        update()

    def undo_gate(_button):
        status.value = "" if steps else "<p>The circuit is already empty.</p>"
        if steps:
            steps.pop()
        update()

    def clear_circuit(_button):
        steps.clear()
        status.value = ""
        update()

    def change_qubits(change):
        target.options = [("q0", 0), ("q1", 1)][:qubits.value]
        status.value = ""
        if qubits.value == 1 and any(s[0] == "CNOT" or s[1] == 1 for s in steps):
            steps.clear()
            status.value = "<p>Switched to 1 qubit: the circuit used qubit 1, so it was cleared.</p>"
        update()

    add.on_click(add_gate)
    undo.on_click(undo_gate)
    clear.on_click(clear_circuit)
    qubits.observe(change_qubits, "value")
    for control in (shots_slider, seed_box, gate, target, angle):
        control.observe(update, "value")
    change_qubits(None)
    return panel(title, "Choose a gate and a qubit, then press “Add gate”. The table shows each "
                        "outcome's amplitude and probability; the chart shows how many of the shots "
                        "(fresh copies of the circuit, each measured once) gave it.",
                 [ipywidgets.HBox([qubits, seed_box]), shots_slider,
                  ipywidgets.HBox([gate, target]), angle, ipywidgets.HBox([add, undo, clear])],
                 [result, status, chart])
