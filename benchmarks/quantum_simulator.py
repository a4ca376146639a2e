"""The lesson-03 state-vector simulator: circuits of ten and more qubits, with seeded shots.

Budget (issue 3): ten qubits, a circuit of a few layers plus 1000 shots, well under a
second (the widgets' own latency is in ``widget_latency``).
Run: python -m benchmarks.quantum_simulator [--quick]
"""

from __future__ import annotations

import time

from chipcourse import quantum

from . import common
from .common import Budget, Section, Table

BUDGET_S = 1.0


def ten_qubit_circuit(n: int = 10, layers: int = 5) -> list:
    """Layers of H, T and RY on every qubit, each followed by a ring of CNOTs."""
    circuit = []
    for layer in range(layers):
        circuit += [("H", q) for q in range(n)] + [("T", q) for q in range(n)]
        circuit += [("RY", q, 0.1 * (q + layer)) for q in range(n)]
        circuit += [("CNOT", q, (q + 1) % n) for q in range(n)]
    return circuit


def time_circuit(n: int, layers: int, repeats: int = 5) -> tuple[int, float]:
    """Gates in the circuit, and the best of ``repeats`` times to run it and draw 1000 shots."""
    circuit = ten_qubit_circuit(n, layers)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        quantum.sample_counts(quantum.run_circuit(circuit, n_qubits=n), 1000, seed=1)
        best = min(best, time.perf_counter() - start)
    return len(circuit), best


def run(args) -> Section:
    sizes = [(10, 1), (10, 5)] if args.quick else [(10, 1), (10, 5), (14, 5), (18, 2)]
    rows, budget_time = [], None
    for n, layers in sizes:
        gates, seconds = time_circuit(n, layers, repeats=1 if args.quick else 5)
        rows.append([f"{n} qubits, {layers} layer(s) + 1000 shots", gates, round(seconds, 4)])
        if (n, layers) == (10, 5):
            budget_time = seconds
    section = Section("quantum_simulator", "Quantum simulator (lesson 03)", "")
    section.tables.append(Table(["circuit", "gates", "best of 5 s"], rows))
    section.budgets.append(Budget("10 qubits, 5 layers + 1000 shots", f"< {BUDGET_S:g} s (well under)",
                                  f"{budget_time:.3f} s", budget_time < BUDGET_S))
    return section


if __name__ == "__main__":
    common.main("quantum_simulator", run, __doc__)
