"""Qubits and gates: a small state-vector simulator, written to be read.

A state of ``n`` qubits is a NumPy array of ``2**n`` complex **amplitudes**, one per
measurement outcome, in the order ``|0…0⟩, |0…1⟩, …, |1…1⟩``. Outcomes are written with
qubit 0 first (leftmost): in the two-qubit outcome ``"01"`` qubit 0 reads 0 and qubit 1
reads 1. (Qiskit prints the same bits in the opposite order.)

The rules the whole simulator follows:

* the **Born rule**: the probability of an outcome is the squared magnitude of its
  amplitude, ``|amplitude|**2``; the probabilities of all outcomes add up to 1;
* a **gate** is a small unitary matrix (2×2 for one qubit) applied to the qubits it acts
  on; it changes amplitudes, never the total probability;
* a **measurement** gives one outcome, drawn at random with those probabilities, and
  leaves the state in that outcome (it "collapses").

Angles are in radians (``math.pi / 2`` is a quarter turn). Sampling takes a ``seed``
so that the same call gives the same shots every time (NumPy's ``default_rng``).

The end of the module reads the course tables: temperatures (``to_kelvin``,
:func:`thermal_excitation`), quantum volume, IBM's processors by year and the IBM–Japan
milestones.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...units import finite_number, positive_number

__all__ = [
    "MAX_QUBITS", "GATES", "ROTATIONS", "zero_state", "basis_state", "state", "from_bloch", "n_qubits",
    "outcome_labels", "rx", "ry", "rz", "gate_matrix", "apply_gate", "apply_cnot", "apply_step",
    "run_circuit", "circuit_text", "probabilities", "probability_of", "amplitude_table", "ket",
    "sample_shots", "sample_counts", "measure", "measure_qubit", "bloch_vector", "bloch_angles",
    "same_state", "state_vector_size", "CircuitResult", "simulate",
    "PLANCK", "BOLTZMANN", "to_kelvin", "thermal_excitation", "fact", "temperatures",
    "qv_width", "doublings", "growth_per_year", "processors_by_year", "largest_by_year",
    "quantum_volume_history", "japan_milestones",
]

#: the simulator keeps all 2**n amplitudes; past this many qubits it refuses, with a reason
MAX_QUBITS = 20
_TOLERANCE = 1e-6

_SQRT_HALF = 1 / math.sqrt(2)

#: the fixed one-qubit gates, as 2×2 matrices acting on the amplitudes (α, β) of α|0⟩ + β|1⟩
GATES: dict[str, np.ndarray] = {
    "I": np.array([[1, 0], [0, 1]], dtype=complex),                        # do nothing
    "X": np.array([[0, 1], [1, 0]], dtype=complex),                        # NOT: swap |0⟩ and |1⟩
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),                     # flip, with a phase
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),                       # flip the sign of |1⟩
    "H": np.array([[1, 1], [1, -1]], dtype=complex) * _SQRT_HALF,          # Hadamard: |0⟩ → |+⟩
    "S": np.array([[1, 0], [0, 1j]], dtype=complex),                       # quarter turn about z
    "T": np.array([[1, 0], [0, np.exp(1j * math.pi / 4)]], dtype=complex),  # eighth turn about z
}

#: the one-qubit gates that take an angle θ (in radians): turns of the Bloch sphere
ROTATIONS = ("RX", "RY", "RZ")

#: the two-qubit gate: flip the target qubit where the control qubit reads 1
_TWO_QUBIT = ("CNOT",)


# --------------------------------------------------------------------------- checking input

def _whole(value, what: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"The {what} must be a whole number, not {value!r}.")
    value = int(value)
    if value < low or (high is not None and value > high):
        top = "" if high is None else f" and at most {high}"
        raise ValueError(f"The {what} must be at least {low}{top}; got {value}.")
    return value


def _check_qubit_count(n: int) -> int:
    n = _whole(n, "number of qubits", 1)
    if n > MAX_QUBITS:
        raise ValueError(f"{n} qubits need 2**{n} = {2 ** n:,} amplitudes. This simulator stops at "
                         f"{MAX_QUBITS} qubits: every extra qubit doubles the memory it needs.")
    return n


def _as_state(state) -> np.ndarray:
    """``state`` as a 1-D complex array whose length is a power of two and whose probabilities add to 1."""
    try:
        psi = np.asarray(state, dtype=complex)
    except (TypeError, ValueError):
        raise ValueError("A state is a list of amplitudes (numbers), such as [1, 0] for |0⟩.") from None
    if psi.ndim != 1 or psi.size < 2:
        raise ValueError("A state is a flat list of amplitudes, two for one qubit, four for two qubits, ...")
    n = int(round(math.log2(psi.size)))
    if 2 ** n != psi.size:
        raise ValueError(f"A state has 2, 4, 8, ... amplitudes (2**n for n qubits); this one has {psi.size}.")
    _check_qubit_count(n)
    if not np.all(np.isfinite(psi)):
        raise ValueError("An amplitude is NaN or infinite: check the calculation that made the state.")
    total = float(np.sum(np.abs(psi) ** 2))
    if abs(total - 1) > _TOLERANCE:
        raise ValueError(f"The probabilities of this state add up to {total:.4g}, not 1. Divide every "
                         f"amplitude by √{total:.4g} (= {math.sqrt(total):.4g}) to normalise it.")
    return psi


def n_qubits(state) -> int:
    """How many qubits a state describes: log2 of its number of amplitudes."""
    return int(round(math.log2(_as_state(state).size)))


def _check_qubit(qubit, n: int, what: str = "qubit") -> int:
    if isinstance(qubit, bool) or not isinstance(qubit, numbers.Integral):
        raise ValueError(f"The {what} is a number from 0 to {n - 1}, not {qubit!r}.")
    qubit = int(qubit)
    if not 0 <= qubit < n:
        raise ValueError(f"This state has {n} qubit{'s' if n > 1 else ''}, numbered 0 to {n - 1}: "
                         f"there is no qubit {qubit}.")
    return qubit


# --------------------------------------------------------------------------- making states

def zero_state(n: int = 1) -> np.ndarray:
    """``|0…0⟩`` on ``n`` qubits: amplitude 1 for the all-zero outcome, 0 for the others."""
    n = _check_qubit_count(n)
    psi = np.zeros(2 ** n, dtype=complex)
    psi[0] = 1
    return psi


def basis_state(bits: str) -> np.ndarray:
    """The state where every qubit has a definite value: ``basis_state("01")`` is ``|01⟩``."""
    if not isinstance(bits, str) or not bits or set(bits) - {"0", "1"}:
        raise ValueError("Write a basis state as a string of 0s and 1s, such as '0', '1' or '01'.")
    psi = np.zeros(2 ** _check_qubit_count(len(bits)), dtype=complex)
    psi[int(bits, 2)] = 1
    return psi


def state(amplitudes, normalise: bool = False) -> np.ndarray:
    """A state from a list of amplitudes: ``state([0.6, 0.8])`` is ``0.6|0⟩ + 0.8|1⟩``.

    The probabilities must add up to 1; with ``normalise=True`` the amplitudes are scaled
    so that they do (``state([1, 1], normalise=True)`` is ``|+⟩``).
    """
    try:
        psi = np.asarray(amplitudes, dtype=complex)
    except (TypeError, ValueError):
        raise ValueError("A state is a list of amplitudes (numbers), such as [0.6, 0.8].") from None
    if normalise and psi.ndim == 1 and psi.size and np.all(np.isfinite(psi)):
        norm = float(np.sqrt(np.sum(np.abs(psi) ** 2)))
        if norm == 0:
            raise ValueError("All amplitudes are 0: that is not a state (no outcome could happen).")
        psi = psi / norm
    return _as_state(psi).copy()


def from_bloch(theta: float, phi: float = 0.0) -> np.ndarray:
    """The one-qubit state at polar angle θ and azimuth φ (radians) on the Bloch sphere.

    ``cos(θ/2)|0⟩ + e^{iφ} sin(θ/2)|1⟩``: θ = 0 is |0⟩ (north pole), θ = π is |1⟩ (south
    pole), θ = π/2 is on the equator, where φ says which equal superposition it is.
    """
    theta, phi = finite_number(theta, "angle θ"), finite_number(phi, "angle φ")
    if not 0 <= theta <= math.pi + 1e-12:
        raise ValueError(f"θ runs from 0 (|0⟩) to π (|1⟩), in radians; got {theta:.4g}.")
    return np.array([math.cos(theta / 2), np.exp(1j * phi) * math.sin(theta / 2)], dtype=complex)


def outcome_labels(n: int) -> list[str]:
    """The outcomes of ``n`` qubits in state-vector order: ``["00", "01", "10", "11"]`` for 2."""
    n = _check_qubit_count(n)
    return [format(i, f"0{n}b") for i in range(2 ** n)]


# --------------------------------------------------------------------------- gates

def rx(theta: float) -> np.ndarray:
    """Turn by θ (radians) about the Bloch sphere's x axis: ``RX(π)`` acts like X (up to a phase)."""
    theta = finite_number(theta, "angle θ")
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -1j * s], [-1j * s, c]], dtype=complex)


def ry(theta: float) -> np.ndarray:
    """Turn by θ about the y axis: real amplitudes, ``RY(θ)|0⟩ = cos(θ/2)|0⟩ + sin(θ/2)|1⟩``."""
    theta = finite_number(theta, "angle θ")
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -s], [s, c]], dtype=complex)


def rz(theta: float) -> np.ndarray:
    """Turn by θ about the z axis: changes the phase between |0⟩ and |1⟩, never the probabilities."""
    theta = finite_number(theta, "angle θ")
    return np.array([[np.exp(-0.5j * theta), 0], [0, np.exp(0.5j * theta)]], dtype=complex)


_ROTATION_MAKERS = {"RX": rx, "RY": ry, "RZ": rz}


def _gate_name(name) -> str:
    if not isinstance(name, str):
        raise ValueError(f"A gate is named by text such as 'H' or 'CNOT', not {name!r}.")
    key = name.strip().upper()
    if key not in GATES and key not in _ROTATION_MAKERS and key not in _TWO_QUBIT:
        known = ", ".join([*GATES, *ROTATIONS, *_TWO_QUBIT])
        raise ValueError(f"There is no gate called {name!r}. The gates are: {known}.")
    return key


def gate_matrix(name: str, theta: float | None = None) -> np.ndarray:
    """The 2×2 matrix of a one-qubit gate; rotations (RX, RY, RZ) need the angle θ in radians."""
    key = _gate_name(name)
    if key in _TWO_QUBIT:
        raise ValueError("CNOT acts on two qubits, so it has no 2×2 matrix: use apply_cnot(state, control, target).")
    if key in _ROTATION_MAKERS:
        if theta is None:
            raise ValueError(f"{key} turns the qubit by an angle: give it, e.g. ({key!r}, 0, math.pi / 2).")
        return _ROTATION_MAKERS[key](theta)
    if theta is not None:
        raise ValueError(f"{key} takes no angle; only {', '.join(ROTATIONS)} do.")
    return GATES[key].copy()


def _check_unitary(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=complex)
    if matrix.shape != (2, 2):
        raise ValueError(f"A one-qubit gate is a 2×2 matrix; this one has shape {matrix.shape}.")
    if not np.allclose(matrix.conj().T @ matrix, np.eye(2), atol=1e-9):
        raise ValueError("That matrix is not unitary, so it would change the total probability: "
                         "it is not a gate.")
    return matrix


def apply_gate(state, gate, qubit: int = 0, theta: float | None = None) -> np.ndarray:
    """Apply a one-qubit gate (a name such as ``"H"`` or a 2×2 unitary matrix) to ``qubit``.

    The state vector is viewed as an array with one axis of length 2 per qubit; the gate
    multiplies the axis of ``qubit`` and leaves the others alone. Returns a new state.
    """
    psi = _as_state(state)
    n = int(round(math.log2(psi.size)))
    qubit = _check_qubit(qubit, n)
    matrix = gate_matrix(gate, theta) if isinstance(gate, str) else _check_unitary(gate)
    tensor = psi.reshape([2] * n)                                   # axis k is qubit k
    tensor = np.tensordot(matrix, tensor, axes=([1], [qubit]))      # the gate acts on that axis
    return np.moveaxis(tensor, 0, qubit).reshape(-1)                # put the axis back in place


def apply_cnot(state, control: int, target: int) -> np.ndarray:
    """Controlled NOT: where ``control`` reads 1, swap the target's 0 and 1 amplitudes."""
    psi = _as_state(state)
    n = int(round(math.log2(psi.size)))
    if n < 2:
        raise ValueError("CNOT needs two qubits (a control and a target); this state has one.")
    control = _check_qubit(control, n, "control qubit")
    target = _check_qubit(target, n, "target qubit")
    if control == target:
        raise ValueError("CNOT needs two different qubits: the control and the target are the same.")
    tensor = psi.reshape([2] * n).copy()
    where_control_is_1 = [slice(None)] * n
    where_control_is_1[control] = 1
    part = tensor[tuple(where_control_is_1)]                        # the control axis is gone here,
    target_axis = target if target < control else target - 1        # so later axes shift down by one
    tensor[tuple(where_control_is_1)] = np.flip(part, axis=target_axis)
    return tensor.reshape(-1)


def _split_step(step) -> tuple[str, tuple]:
    if isinstance(step, str):
        raise ValueError(f"Write each gate with its qubit, e.g. ({step!r}, 0), not just {step!r}.")
    if not isinstance(step, (tuple, list)) or not step:
        raise ValueError(f"A circuit step is a tuple such as ('H', 0), ('RY', 0, 1.57) or "
                         f"('CNOT', 0, 1); got {step!r}.")
    return _gate_name(step[0]), tuple(step[1:])


def apply_step(state, step) -> np.ndarray:
    """Apply one circuit step: ``("H", 0)``, ``("RY", 0, theta)`` or ``("CNOT", control, target)``."""
    name, args = _split_step(step)
    if name in _TWO_QUBIT:
        if len(args) != 2:
            raise ValueError(f"Write CNOT with its control and target qubits, e.g. ('CNOT', 0, 1); got {step!r}.")
        return apply_cnot(state, *args)
    if name in _ROTATION_MAKERS:
        if len(args) != 2:
            raise ValueError(f"Write {name} with its qubit and angle in radians, e.g. ({name!r}, 0, math.pi / 2); "
                             f"got {step!r}.")
        return apply_gate(state, name, args[0], theta=args[1])
    if len(args) != 1:
        raise ValueError(f"Write {name} with the one qubit it acts on, e.g. ({name!r}, 0); got {step!r}.")
    return apply_gate(state, name, args[0])


def _circuit_qubits(circuit) -> int:
    used = [0]
    for step in circuit:
        name, args = _split_step(step)
        qubits = args if name in _TWO_QUBIT else args[:1]
        used += [q for q in qubits if isinstance(q, numbers.Integral) and not isinstance(q, bool)]
    return max(used) + 1


def run_circuit(circuit, n_qubits: int | None = None, initial=None) -> np.ndarray:
    """The state after applying ``circuit`` (a list of steps) to ``initial`` (default ``|0…0⟩``).

    ``run_circuit([("H", 0), ("CNOT", 0, 1)])`` makes a Bell pair. ``n_qubits`` defaults to
    the highest qubit the circuit uses, plus one (or the size of ``initial``).
    """
    if isinstance(circuit, (str, bytes)) or not isinstance(circuit, (list, tuple)):
        raise ValueError("A circuit is a list of steps, such as [('H', 0), ('CNOT', 0, 1)].")
    if initial is not None:
        psi = _as_state(initial)
        if n_qubits is not None and 2 ** _check_qubit_count(n_qubits) != psi.size:
            raise ValueError(f"The initial state has {int(math.log2(psi.size))} qubits, not {n_qubits}.")
    else:
        psi = zero_state(_circuit_qubits(circuit) if n_qubits is None else n_qubits)
    for step in circuit:
        psi = apply_step(psi, step)
    return psi


def circuit_text(circuit) -> str:
    """A circuit in words: ``"H on q0, then CNOT q0→q1"``; ``"(no gates)"`` when empty."""
    parts = []
    for step in circuit:
        name, args = _split_step(step)
        if name in _TWO_QUBIT:
            parts.append(f"CNOT q{args[0]}→q{args[1]}")
        elif name in _ROTATION_MAKERS:
            parts.append(f"{name}({math.degrees(finite_number(args[1], 'angle θ')):.0f}°) on q{args[0]}")
        else:
            parts.append(f"{name} on q{args[0]}")
    return ", then ".join(parts) if parts else "(no gates)"


# --------------------------------------------------------------------------- reading a state

def probabilities(state) -> np.ndarray:
    """The Born rule: the probability of each outcome is ``|amplitude|**2`` (they add up to 1)."""
    return np.abs(_as_state(state)) ** 2


def probability_of(state, outcome: str) -> float:
    """The probability of one outcome, written as bits: ``probability_of(bell, "11")``."""
    psi = _as_state(state)
    n = int(round(math.log2(psi.size)))
    if not isinstance(outcome, str) or len(outcome) != n or set(outcome) - {"0", "1"}:
        raise ValueError(f"Write the outcome as {n} bit{'s' if n > 1 else ''} in quotes, such as "
                         f"{'0' * n!r} or {'1' * n!r}.")
    return float(abs(psi[int(outcome, 2)]) ** 2)


def amplitude_table(state) -> pd.DataFrame:
    """One row per outcome: the amplitude (real and imaginary parts) and its probability."""
    psi = _as_state(state)
    n = int(round(math.log2(psi.size)))
    return pd.DataFrame({
        "outcome": [f"|{label}⟩" for label in outcome_labels(n)],
        "amplitude_real": np.round(psi.real, 12) + 0.0,
        "amplitude_imag": np.round(psi.imag, 12) + 0.0,
        "probability": np.round(np.abs(psi) ** 2, 12) + 0.0,
    })


def _format_amplitude(z: complex, digits: int) -> str:
    re_, im = round(z.real, digits) + 0.0, round(z.imag, digits) + 0.0
    if im == 0:
        return f"{re_:.{digits}g}"
    if re_ == 0:
        return {"1": "i", "-1": "-i"}.get(f"{im:.{digits}g}", f"{im:.{digits}g}i")
    return f"({re_:.{digits}g}{im:+.{digits}g}i)"


def ket(state, digits: int = 3) -> str:
    """The state in Dirac notation, e.g. ``"0.707|00⟩ + 0.707|11⟩"`` (zero amplitudes left out)."""
    psi = _as_state(state)
    labels = outcome_labels(int(round(math.log2(psi.size))))
    terms = []
    for a, label in zip(psi, labels):
        if abs(a) < 0.5 * 10 ** -digits:
            continue
        amplitude = {"1": "", "-1": "-"}.get(_format_amplitude(a, digits), _format_amplitude(a, digits))
        terms.append(f"{amplitude}|{label}⟩")
    return " + ".join(terms).replace("+ -", "− ")


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None:
        seed = _whole(seed, "seed", 0)
    return np.random.default_rng(seed)


def sample_shots(state, shots: int, seed=None) -> list[str]:
    """Measure ``shots`` fresh copies of ``state``: a list of outcomes such as ``["00", "11", ...]``.

    ``seed`` (a whole number, or a NumPy ``Generator``) makes the draw repeatable; with
    ``None`` every call differs, as on real hardware.
    """
    psi = _as_state(state)
    shots = _whole(shots, "number of shots", 1, 10_000_000)
    p = np.abs(psi) ** 2
    drawn = _rng(seed).choice(psi.size, size=shots, p=p / p.sum())
    labels = outcome_labels(int(round(math.log2(psi.size))))
    return [labels[i] for i in drawn]


def sample_counts(state, shots: int, seed=None) -> dict[str, int]:
    """How often each outcome turns up in ``shots`` measurements (every outcome listed, 0s too)."""
    psi = _as_state(state)
    shots = _whole(shots, "number of shots", 1, 10_000_000)
    p = np.abs(psi) ** 2
    drawn = _rng(seed).choice(psi.size, size=shots, p=p / p.sum())
    counts = np.bincount(drawn, minlength=psi.size)
    return dict(zip(outcome_labels(int(round(math.log2(psi.size)))), (int(c) for c in counts)))


def measure(state, seed=None) -> tuple[str, np.ndarray]:
    """Measure every qubit once: the outcome read, and the state afterwards (that outcome).

    This is why measuring changes a state: whatever the amplitudes were, afterwards the
    outcome you read has amplitude 1, so measuring again gives it again.
    """
    psi = _as_state(state)
    outcome = sample_shots(psi, 1, seed)[0]
    return outcome, basis_state(outcome)


def measure_qubit(state, qubit: int, seed=None) -> tuple[int, np.ndarray]:
    """Measure one qubit: the bit read, and the state of all qubits afterwards.

    Amplitudes that disagree with the bit read are set to 0 and the rest are scaled up so
    the probabilities add to 1 again. In a Bell pair, this also fixes the other qubit.
    """
    psi = _as_state(state)
    n = int(round(math.log2(psi.size)))
    qubit = _check_qubit(qubit, n)
    tensor = psi.reshape([2] * n)
    p_one = float(np.sum(np.abs(np.take(tensor, 1, axis=qubit)) ** 2))
    bit = int(_rng(seed).random() < p_one)
    keep = np.zeros([2] * n, dtype=bool)
    index = [slice(None)] * n
    index[qubit] = bit
    keep[tuple(index)] = True
    after = np.where(keep.reshape(-1), psi, 0)
    return bit, after / np.sqrt(p_one if bit else 1 - p_one)


def bloch_vector(state) -> tuple[float, float, float]:
    """The point (x, y, z) on the Bloch sphere for a one-qubit state α|0⟩ + β|1⟩.

    ``x = 2 Re(α* β)``, ``y = 2 Im(α* β)``, ``z = |α|² − |β|²``: |0⟩ is (0, 0, 1), |1⟩ is
    (0, 0, −1), |+⟩ is (1, 0, 0). A global phase (the same factor on both) does not move it.
    """
    psi = _as_state(state)
    if psi.size != 2:
        raise ValueError("The Bloch sphere shows one qubit (two amplitudes); this state has "
                         f"{int(math.log2(psi.size))} qubits.")
    alpha, beta = psi
    cross = np.conj(alpha) * beta
    return (float(2 * cross.real) + 0.0, float(2 * cross.imag) + 0.0,
            float(abs(alpha) ** 2 - abs(beta) ** 2) + 0.0)


def bloch_angles(state) -> tuple[float, float]:
    """The polar angle θ and azimuth φ (radians, φ in [0, 2π)) of a one-qubit state."""
    x, y, z = bloch_vector(state)
    theta = math.acos(max(-1.0, min(1.0, z)))
    phi = math.atan2(y, x) % (2 * math.pi) if math.hypot(x, y) > 1e-12 else 0.0
    return theta, phi


def same_state(a, b, tolerance: float = 1e-9) -> bool:
    """True when two states give the same probabilities for every measurement.

    That is, they are equal up to a global phase: ``|⟨a|b⟩| = 1``.
    """
    psi, chi = _as_state(a), _as_state(b)
    if psi.size != chi.size:
        return False
    return abs(abs(np.vdot(psi, chi)) - 1) < tolerance


def state_vector_size(n: int) -> int:
    """How many amplitudes a state of ``n`` qubits has: ``2**n`` (each qubit doubles it)."""
    return 2 ** _whole(n, "number of qubits", 0)


# --------------------------------------------------------------------------- one circuit, run and measured

@dataclass(frozen=True)
class CircuitResult:
    """A circuit's final state, its probabilities and a seeded histogram of measured shots."""

    circuit: tuple
    n_qubits: int
    state: np.ndarray
    probabilities: dict
    counts: dict
    shots: int

    def sentence(self) -> str:
        likely = [label for label, p in self.probabilities.items() if p > 1e-9]
        seen = ", ".join(f"{label}: {count}" for label, count in self.counts.items())
        return (f"Circuit: {circuit_text(self.circuit)}. State: {ket(self.state)}. "
                f"Possible outcomes: {', '.join(likely)}. {self.shots} shots gave {seen}.")


def simulate(circuit, n_qubits: int, shots: int = 100, seed=None) -> CircuitResult:
    """Run ``circuit`` on ``n_qubits`` qubits from ``|0…0⟩`` and measure ``shots`` copies."""
    n = _check_qubit_count(n_qubits)
    psi = run_circuit(list(circuit), n_qubits=n)
    labels = outcome_labels(n)
    probs = dict(zip(labels, (float(p) for p in np.abs(psi) ** 2)))
    return CircuitResult(tuple(circuit), n, psi, probs, sample_counts(psi, shots, seed), int(shots))


# --------------------------------------------------------------------------- temperatures

#: Planck constant in J·s and Boltzmann constant in J/K: exact, by the 2019 SI definitions
PLANCK = 6.626_070_15e-34
BOLTZMANN = 1.380_649e-23

_TO_KELVIN = {"K": lambda v: v, "mK": lambda v: v / 1000, "µK": lambda v: v / 1e6,
              "°C": lambda v: v + 273.15}


def to_kelvin(value: float, unit: str) -> float:
    """A temperature in kelvin: ``to_kelvin(15, "mK") == 0.015``; units K, mK, µK and °C."""
    value = finite_number(value, "temperature")
    if unit not in _TO_KELVIN:
        raise ValueError(f"Temperatures here are in K, mK, µK or °C; {unit!r} is none of these.")
    kelvin = _TO_KELVIN[unit](value)
    if kelvin < 0:
        raise ValueError(f"{value:g} {unit} is below absolute zero: no temperature is.")
    return kelvin


def thermal_excitation(frequency_ghz: float, temperature_k: float) -> float:
    """The chance that heat alone leaves a qubit in |1⟩ (Boltzmann, two levels).

    A qubit whose |1⟩ lies ``h·f`` above |0⟩, in equilibrium at temperature ``T``, is in |1⟩
    with probability ``1 / (1 + exp(h·f / (k_B·T)))``: near 0 when ``k_B·T`` is much less
    than ``h·f``, near 1/2 (a coin toss) when it is much more. Frequency in GHz, T in kelvin.
    """
    f = finite_number(frequency_ghz, "qubit frequency (GHz)")
    t = finite_number(temperature_k, "temperature (K)")
    if f <= 0:
        raise ValueError(f"A qubit frequency is positive (a few GHz); got {f:g} GHz.")
    if t < 0:
        raise ValueError(f"A temperature in kelvin cannot be negative; got {t:g} K.")
    if t == 0:
        return 0.0
    ratio = PLANCK * f * 1e9 / (BOLTZMANN * t)
    return 0.0 if ratio > 700 else 1 / (1 + math.exp(ratio))


# --------------------------------------------------------------------------- the course tables

def fact(facts: pd.DataFrame, key: str) -> float:
    """The value of one row of the ``quantum_facts`` table, by its key (unit in the ``unit`` column)."""
    hit = facts[facts["key"] == key]
    if hit.empty:
        raise ValueError(f"There is no fact called {key!r}. The keys are: {', '.join(facts['key'])}.")
    return float(hit["value"].iloc[0])


def temperatures(facts: pd.DataFrame) -> pd.DataFrame:
    """The temperature rows of ``quantum_facts`` with each value converted to kelvin."""
    rows = facts[facts["unit"].isin(list(_TO_KELVIN))].copy()
    rows["kelvin"] = [to_kelvin(v, u) for v, u in zip(rows["value"], rows["unit"])]
    return rows[["key", "fact", "value", "unit", "kelvin", "source", "note"]].reset_index(drop=True)


def qv_width(quantum_volume: float) -> float:
    """The circuit size n behind a quantum volume: QV = 2**n, so n = log2(QV) (QV 64 → 6)."""
    qv = finite_number(quantum_volume, "quantum volume")
    if qv < 1:
        raise ValueError(f"A quantum volume is 1 or more (2**n); got {qv:g}.")
    return math.log2(qv)


def doublings(start: float, end: float) -> float:
    """How many times a quantity doubled going from ``start`` to ``end``: log2(end / start)."""
    start, end = finite_number(start, "starting value"), finite_number(end, "final value")
    if start <= 0 or end <= 0:
        raise ValueError("Doublings are counted between two positive values.")
    return math.log2(end / start)


def growth_per_year(start: float, end: float, years: float) -> float:
    """The average factor per year that turns ``start`` into ``end`` in ``years`` years."""
    years = positive_number(years, "number of years")
    return 2 ** (doublings(start, end) / years)


def processors_by_year(processors: pd.DataFrame, vendor: str | None = None) -> pd.DataFrame:
    """Processors that have a year and a qubit count, oldest first (one vendor, or all)."""
    rows = processors.dropna(subset=["year", "qubits"])
    if vendor is not None:
        if vendor not in set(processors["vendor"]):
            raise ValueError(f"No vendor called {vendor!r}. The vendors are: "
                             f"{', '.join(dict.fromkeys(processors['vendor']))}.")
        rows = rows[rows["vendor"] == vendor]
    rows = rows.sort_values(["year", "qubits"], kind="stable")
    return rows[["vendor", "processor", "year", "qubits", "source"]].reset_index(drop=True)


def largest_by_year(processors: pd.DataFrame, vendor: str = "IBM") -> pd.DataFrame:
    """For each year, the largest qubit count among ``vendor``'s processors that year."""
    rows = processors_by_year(processors, vendor)
    out = rows.groupby("year", as_index=False)["qubits"].max()
    return out.rename(columns={"qubits": "max_qubits"}).reset_index(drop=True)


def quantum_volume_history(processors: pd.DataFrame, vendor: str | None = None) -> pd.DataFrame:
    """Rows with a quantum volume and the year it was reported, oldest first."""
    rows = processors.dropna(subset=["quantum_volume", "qv_year"])
    if vendor is not None:
        rows = rows[rows["vendor"] == vendor]
    rows = rows.sort_values(["qv_year", "quantum_volume"], kind="stable")
    return rows[["vendor", "processor", "qubits", "quantum_volume", "qv_year", "source"]].reset_index(drop=True)


def japan_milestones(timeline: pd.DataFrame) -> pd.DataFrame:
    """The quantum events of the course timeline that involve Japan, oldest first."""
    rows = timeline[(timeline["category"] == "quantum") & timeline["countries"].str.contains("Japan", regex=False)]
    rows = rows.sort_values("date", kind="stable")
    return rows[["date", "date_precision", "event", "source", "note"]].reset_index(drop=True)
