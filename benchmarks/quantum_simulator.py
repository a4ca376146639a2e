"""Time the lesson-03 state-vector simulator and widgets (printed, never asserted).

Budgets: ten qubits "well under a second" for a circuit of a few layers (the issue), and
every widget update under 20 ms at p95 (COURSE_DESIGN.md).
Run: .venv/bin/python benchmarks/quantum_simulator.py
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("CHIPCOURSE_CHARTS", "interactive")

import ipywidgets  # noqa: E402

from chipcourse import quantum, widgets  # noqa: E402


def ten_qubit_circuit(n: int = 10, layers: int = 5) -> list:
    """Layers of H, T and RY on every qubit, each followed by a ring of CNOTs."""
    circuit = []
    for layer in range(layers):
        circuit += [("H", q) for q in range(n)] + [("T", q) for q in range(n)]
        circuit += [("RY", q, 0.1 * (q + layer)) for q in range(n)]
        circuit += [("CNOT", q, (q + 1) % n) for q in range(n)]
    return circuit


def time_circuit(n: int, layers: int, repeats: int = 5) -> tuple[int, float]:
    circuit = ten_qubit_circuit(n, layers)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        quantum.sample_counts(quantum.run_circuit(circuit, n_qubits=n), 1000, seed=1)
        best = min(best, time.perf_counter() - start)
    return len(circuit), best


def widget_latency(factory, runs: int = 300, seed: int = 1) -> tuple[float, float]:
    rng = random.Random(seed)
    app = factory()
    changeable = widgets.descendants(app, (ipywidgets.IntSlider, ipywidgets.Dropdown, ipywidgets.BoundedIntText))
    times = []
    for _ in range(runs):
        control = rng.choice(changeable)
        if isinstance(control, ipywidgets.Dropdown):
            value = rng.choice([v for _, v in control.options])
        else:
            value = rng.randint(control.min, control.max)
        start = time.perf_counter()
        control.value = value
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


if __name__ == "__main__":
    print(f"{'circuit':<32} {'gates':>6} {'best of 5 (s)':>14}")
    for n, layers in [(10, 1), (10, 5), (14, 5), (18, 2)]:
        gates, seconds = time_circuit(n, layers)
        print(f"{n} qubits, {layers} layer(s) + 1000 shots {gates:>6} {seconds:14.4f}")
    print()
    print(f"{'widget':<20} {'p50 ms':>8} {'p95 ms':>8}  budget p95 < 20 ms")
    for name, factory in {"bloch_explorer": widgets.bloch_explorer, "circuit_builder": widgets.circuit_builder}.items():
        p50, p95 = widget_latency(factory)
        print(f"{name:<20} {p50:8.2f} {p95:8.2f}  {'met' if p95 < 20 else 'NOT MET'}")
