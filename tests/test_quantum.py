"""chipcourse.quantum: the state-vector simulator, the course tables and the lesson's checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from chipcourse import lessons, charts, checks, data, misconceptions, quantum
from chipcourse.checks import CheckFailed

H = 1 / math.sqrt(2)
SINGLE = ["I", "X", "Y", "Z", "H", "S", "T"]


def random_state(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    psi = rng.normal(size=2 ** n) + 1j * rng.normal(size=2 ** n)
    return psi / np.linalg.norm(psi)


# --------------------------------------------------------------------------- states

def test_basis_states_and_labels():
    assert np.allclose(quantum.zero_state(2), [1, 0, 0, 0])
    assert np.allclose(quantum.basis_state("01"), [0, 1, 0, 0])
    assert np.allclose(quantum.basis_state("10"), [0, 0, 1, 0])
    assert quantum.outcome_labels(2) == ["00", "01", "10", "11"]
    assert quantum.n_qubits(quantum.zero_state(3)) == 3


@pytest.mark.parametrize("bad", ["", "012", "ab", 5, None])
def test_basis_state_refuses_non_bits(bad):
    with pytest.raises(ValueError, match="0s and 1s"):
        quantum.basis_state(bad)


def test_state_must_be_normalised_and_says_how_to_fix_it():
    with pytest.raises(ValueError, match=r"add up to 2, not 1.*√2"):
        quantum.state([1, 1])
    assert np.allclose(quantum.state([1, 1], normalise=True), [H, H])
    with pytest.raises(ValueError, match="2, 4, 8"):
        quantum.state([1, 0, 0])
    with pytest.raises(ValueError, match="All amplitudes are 0"):
        quantum.state([0, 0], normalise=True)
    with pytest.raises(ValueError, match="NaN"):
        quantum.state([math.nan, 1])
    with pytest.raises(ValueError, match="list of amplitudes"):
        quantum.state("0.6, 0.8")


def test_too_many_qubits_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="doubles the memory"):
        quantum.zero_state(quantum.MAX_QUBITS + 1)
    assert quantum.state_vector_size(10) == 1024
    assert quantum.state_vector_size(127) == 2 ** 127


def test_from_bloch_poles_and_equator():
    assert quantum.same_state(quantum.from_bloch(0), quantum.basis_state("0"))
    assert quantum.same_state(quantum.from_bloch(math.pi), quantum.basis_state("1"))
    plus = quantum.from_bloch(math.pi / 2, 0)
    assert np.allclose(plus, [H, H])
    assert np.allclose(quantum.from_bloch(math.pi / 2, math.pi / 2), [H, 1j * H])
    with pytest.raises(ValueError, match="θ runs from 0"):
        quantum.from_bloch(4.0)


# --------------------------------------------------------------------------- gates

@pytest.mark.parametrize("name", SINGLE)
def test_every_fixed_gate_is_unitary(name):
    m = quantum.gate_matrix(name)
    assert np.allclose(m.conj().T @ m, np.eye(2))


@pytest.mark.parametrize("name, theta", list(itertools.product(["RX", "RY", "RZ"], [0.0, 0.3, math.pi / 2, math.pi, 5.0])))
def test_rotations_are_unitary(name, theta):
    m = quantum.gate_matrix(name, theta)
    assert np.allclose(m.conj().T @ m, np.eye(2))


@pytest.mark.parametrize("gate", SINGLE + ["RX", "RY", "RZ", "CNOT"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_normalisation_is_kept_by_every_gate(gate, n):
    psi = random_state(n, seed=n)
    for qubit in range(n):
        if gate == "CNOT":
            if n < 2:
                continue
            step = ("CNOT", qubit, (qubit + 1) % n)
        elif gate in quantum.ROTATIONS:
            step = (gate, qubit, 1.234)
        else:
            step = (gate, qubit)
        out = quantum.apply_step(psi, step)
        assert quantum.probabilities(out).sum() == pytest.approx(1.0, abs=1e-12), step


def test_known_gate_results():
    zero, one = quantum.basis_state("0"), quantum.basis_state("1")
    assert np.allclose(quantum.apply_gate(zero, "X"), one)
    assert np.allclose(quantum.apply_gate(zero, "H"), [H, H])
    assert np.allclose(quantum.apply_gate(one, "H"), [H, -H])
    assert np.allclose(quantum.apply_gate(one, "Z"), [0, -1])
    assert np.allclose(quantum.apply_gate(one, "S"), [0, 1j])
    assert np.allclose(quantum.apply_gate(one, "T"), [0, np.exp(1j * math.pi / 4)])
    assert np.allclose(quantum.apply_gate(zero, "Y"), [0, 1j])
    # RX(π) is X, RY(π) is −iY... up to a global phase; RZ never changes probabilities
    assert quantum.same_state(quantum.apply_gate(zero, "RX", theta=math.pi), one)
    assert quantum.same_state(quantum.apply_gate(zero, "RY", theta=math.pi), one)
    assert np.allclose(quantum.apply_gate(zero, "RY", theta=math.pi / 3), [math.cos(math.pi / 6), math.sin(math.pi / 6)])
    plus = quantum.apply_gate(zero, "H")
    assert np.allclose(quantum.probabilities(quantum.apply_gate(plus, "RZ", theta=0.9)), [0.5, 0.5])
    # S·S = Z and T·T = S
    assert np.allclose(quantum.gate_matrix("S") @ quantum.gate_matrix("S"), quantum.gate_matrix("Z"))
    assert np.allclose(quantum.gate_matrix("T") @ quantum.gate_matrix("T"), quantum.gate_matrix("S"))


def test_interference_h_h_is_identity():
    assert np.allclose(quantum.gate_matrix("H") @ quantum.gate_matrix("H"), np.eye(2))
    for bits in ("0", "1"):
        start = quantum.basis_state(bits)
        back = quantum.run_circuit([("H", 0), ("H", 0)], initial=start)
        assert np.allclose(back, start)
    # with a phase flip in between, the |1⟩ paths add instead of cancelling
    assert quantum.probability_of(quantum.run_circuit([("H", 0), ("Z", 0), ("H", 0)]), "1") == pytest.approx(1)
    # a measurement in between destroys the interference
    _, middle = quantum.measure(quantum.run_circuit([("H", 0)]), seed=0)
    assert np.allclose(quantum.probabilities(quantum.apply_gate(middle, "H")), [0.5, 0.5])


def test_gate_acts_on_the_named_qubit_only():
    # qubit 0 is written first: X on qubit 1 of |00⟩ gives |01⟩
    assert np.allclose(quantum.run_circuit([("X", 1)], n_qubits=2), quantum.basis_state("01"))
    assert np.allclose(quantum.run_circuit([("X", 0)], n_qubits=2), quantum.basis_state("10"))
    # the same as the Kronecker product of the matrices
    psi = random_state(3, seed=7)
    for qubit in range(3):
        ops = [np.eye(2)] * 3
        ops[qubit] = quantum.gate_matrix("H")
        full = np.kron(np.kron(ops[0], ops[1]), ops[2])
        assert np.allclose(quantum.apply_gate(psi, "H", qubit), full @ psi)


def test_cnot_truth_table_and_direction():
    for control_bit, target_bit in itertools.product("01", repeat=2):
        start = quantum.basis_state(control_bit + target_bit)
        flipped = str(int(target_bit) ^ int(control_bit))
        assert np.allclose(quantum.apply_cnot(start, 0, 1), quantum.basis_state(control_bit + flipped))
    # control 1, target 0
    assert np.allclose(quantum.apply_cnot(quantum.basis_state("01"), 1, 0), quantum.basis_state("11"))
    # non-neighbouring qubits of three
    assert np.allclose(quantum.apply_cnot(quantum.basis_state("100"), 0, 2), quantum.basis_state("101"))
    assert np.allclose(quantum.apply_cnot(quantum.basis_state("001"), 2, 0), quantum.basis_state("101"))


def test_bell_state():
    bell = quantum.run_circuit([("H", 0), ("CNOT", 0, 1)])
    assert np.allclose(bell, [H, 0, 0, H])
    assert quantum.probabilities(bell) == pytest.approx([0.5, 0, 0, 0.5])
    assert quantum.ket(bell) == "0.707|00⟩ + 0.707|11⟩"
    counts = quantum.sample_counts(bell, 2000, seed=11)
    assert counts["01"] == counts["10"] == 0 and sum(counts.values()) == 2000
    assert abs(counts["00"] - 1000) < 150
    # measuring one qubit of the pair fixes the other
    for seed in range(6):
        bit, after = quantum.measure_qubit(bell, 0, seed=seed)
        assert np.allclose(after, quantum.basis_state(f"{bit}{bit}"))


def test_ten_qubits_layer_of_gates_is_correct():
    """A layer of H on ten qubits, a chain of CNOTs, and back: checked, not timed."""
    n = 10
    layer = [("H", q) for q in range(n)]
    uniform = quantum.run_circuit(layer, n_qubits=n)
    assert quantum.probabilities(uniform) == pytest.approx(np.full(2 ** n, 1 / 2 ** n))
    assert np.allclose(quantum.run_circuit(layer + layer, n_qubits=n), quantum.zero_state(n))
    ghz = quantum.run_circuit([("H", 0)] + [("CNOT", q, q + 1) for q in range(n - 1)], n_qubits=n)
    p = quantum.probabilities(ghz)
    assert p[0] == pytest.approx(0.5) and p[-1] == pytest.approx(0.5) and p[1:-1].sum() == pytest.approx(0)
    mixed = layer + [("T", q) for q in range(n)] + [("RY", q, 0.1 * q) for q in range(n)] + \
        [("CNOT", q, (q + 3) % n) for q in range(n)]
    assert quantum.probabilities(quantum.run_circuit(mixed, n_qubits=n)).sum() == pytest.approx(1.0)


def test_bad_steps_get_sentences():
    zero = quantum.zero_state(1)
    cases = [
        (lambda: quantum.apply_gate(zero, "Q"), "no gate called 'Q'"),
        (lambda: quantum.apply_gate(zero, "RX"), "turns the qubit by an angle"),
        (lambda: quantum.apply_gate(zero, "H", theta=1.0), "takes no angle"),
        (lambda: quantum.apply_gate(zero, "H", 1), "no qubit 1"),
        (lambda: quantum.apply_cnot(zero, 0, 1), "needs two qubits"),
        (lambda: quantum.apply_cnot(quantum.zero_state(2), 1, 1), "two different qubits"),
        (lambda: quantum.run_circuit("H"), "list of steps"),
        (lambda: quantum.run_circuit(["H"]), r"\('H', 0\)"),
        (lambda: quantum.run_circuit([("CNOT", 0)]), "control and target"),
        (lambda: quantum.run_circuit([("RY", 0)]), "qubit and angle"),
        (lambda: quantum.apply_gate(zero, [[1, 1], [1, 1]]), "not unitary"),
        (lambda: quantum.apply_gate(zero, "RX", theta=math.inf), "finite"),
        (lambda: quantum.gate_matrix("CNOT"), "two qubits"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()


def test_run_circuit_infers_qubits_and_accepts_an_initial_state():
    assert quantum.n_qubits(quantum.run_circuit([("X", 2)])) == 3
    assert quantum.n_qubits(quantum.run_circuit([])) == 1
    assert np.allclose(quantum.run_circuit([("X", 0)], initial=quantum.basis_state("1")), [1, 0])
    with pytest.raises(ValueError, match="has 1 qubits, not 2"):
        quantum.run_circuit([], n_qubits=2, initial=[1, 0])
    assert quantum.circuit_text([("H", 0), ("RY", 1, math.pi / 2), ("CNOT", 0, 1)]) == \
        "H on q0, then RY(90°) on q1, then CNOT q0→q1"
    assert quantum.circuit_text([]) == "(no gates)"


# --------------------------------------------------------------------------- reading a state

def test_born_rule_and_tables():
    psi = quantum.state([0.6, 0.8])
    assert quantum.probabilities(psi) == pytest.approx([0.36, 0.64])
    assert quantum.probability_of(psi, "1") == pytest.approx(0.64)
    table = quantum.amplitude_table(quantum.state([0.6, -0.8j]))
    assert list(table.columns) == ["outcome", "amplitude_real", "amplitude_imag", "probability"]
    assert table["outcome"].tolist() == ["|0⟩", "|1⟩"]
    assert table["amplitude_imag"].tolist() == [0.0, -0.8] and table["probability"].tolist() == pytest.approx([0.36, 0.64])
    with pytest.raises(ValueError, match="1 bit in quotes"):
        quantum.probability_of(psi, "01")


def test_ket_reads_like_a_textbook():
    assert quantum.ket(quantum.basis_state("1")) == "|1⟩"
    assert quantum.ket(quantum.run_circuit([("X", 0), ("H", 0)])) == "0.707|0⟩ − 0.707|1⟩"
    assert quantum.ket(quantum.run_circuit([("H", 0), ("S", 0)])) == "0.707|0⟩ + 0.707i|1⟩"
    assert quantum.ket(quantum.run_circuit([("Y", 0)])) == "i|1⟩"


def test_sampling_is_seeded_and_matches_the_probabilities():
    psi = quantum.state([0.6, 0.8])
    first = quantum.sample_counts(psi, 5000, seed=42)
    assert first == quantum.sample_counts(psi, 5000, seed=42)
    assert first != quantum.sample_counts(psi, 5000, seed=43)
    assert set(first) == {"0", "1"} and sum(first.values()) == 5000
    assert first["1"] / 5000 == pytest.approx(0.64, abs=0.03)
    shots = quantum.sample_shots(psi, 20, seed=42)
    assert len(shots) == 20 and set(shots) <= {"0", "1"}
    assert quantum.sample_shots(psi, 20, seed=np.random.default_rng(42)) == shots
    # a certain outcome is always read
    assert quantum.sample_counts(quantum.basis_state("10"), 50, seed=1) == {"00": 0, "01": 0, "10": 50, "11": 0}
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="number of shots"):
            quantum.sample_counts(psi, bad)
    with pytest.raises(ValueError, match="seed"):
        quantum.sample_counts(psi, 10, seed=-3)


def test_measurement_collapses_the_state():
    plus = quantum.run_circuit([("H", 0)])
    seen = set()
    for seed in range(10):
        outcome, after = quantum.measure(plus, seed=seed)
        seen.add(outcome)
        assert np.allclose(after, quantum.basis_state(outcome))
        assert quantum.probability_of(after, outcome) == 1
        assert quantum.measure(after, seed=seed + 100)[0] == outcome
    assert seen == {"0", "1"}


def test_bloch_vector_and_angles():
    cases = {"0": (0, 0, 1), "1": (0, 0, -1)}
    for bits, vector in cases.items():
        assert quantum.bloch_vector(quantum.basis_state(bits)) == pytest.approx(vector)
    assert quantum.bloch_vector(quantum.run_circuit([("H", 0)])) == pytest.approx((1, 0, 0))
    assert quantum.bloch_vector(quantum.run_circuit([("X", 0), ("H", 0)])) == pytest.approx((-1, 0, 0))
    assert quantum.bloch_vector(quantum.run_circuit([("H", 0), ("S", 0)])) == pytest.approx((0, 1, 0), abs=1e-12)
    for theta, phi in [(0.3, 0.0), (1.2, 2.0), (math.pi / 2, 5.5), (2.9, 1.0)]:
        psi = quantum.from_bloch(theta, phi)
        x, y, z = quantum.bloch_vector(psi)
        assert (x, y, z) == pytest.approx((math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi),
                                           math.cos(theta)))
        assert math.hypot(x, y, z) == pytest.approx(1)
        assert quantum.bloch_angles(psi) == pytest.approx((theta, phi))
        # a global phase does not move the point
        assert quantum.bloch_vector(psi * np.exp(0.7j)) == pytest.approx((x, y, z))
    with pytest.raises(ValueError, match="one qubit"):
        quantum.bloch_vector(quantum.zero_state(2))


def test_simulate_reports_a_circuit():
    result = quantum.simulate([("H", 0), ("CNOT", 0, 1)], 2, shots=100, seed=7)
    assert result.probabilities == pytest.approx({"00": 0.5, "01": 0, "10": 0, "11": 0.5})
    assert sum(result.counts.values()) == 100 and result.counts["01"] == 0
    assert result.counts == quantum.simulate([("H", 0), ("CNOT", 0, 1)], 2, shots=100, seed=7).counts
    assert "CNOT q0→q1" in result.sentence() and "100 shots" in result.sentence()


# --------------------------------------------------------------------------- temperatures and data

def test_to_kelvin_and_thermal_excitation():
    assert quantum.to_kelvin(15, "mK") == pytest.approx(0.015)
    assert quantum.to_kelvin(-270, "°C") == pytest.approx(3.15)
    assert quantum.to_kelvin(2.7, "K") == 2.7
    with pytest.raises(ValueError, match="below absolute zero"):
        quantum.to_kelvin(-300, "°C")
    with pytest.raises(ValueError, match="K, mK"):
        quantum.to_kelvin(1, "F")
    # h·f/k_B for 5 GHz is about 0.24 K: e^-x / (1 + e^-x)
    x = quantum.PLANCK * 5e9 / (quantum.BOLTZMANN * 0.05)
    assert quantum.thermal_excitation(5, 0.05) == pytest.approx(1 / (1 + math.exp(x)))
    assert quantum.thermal_excitation(5, 0) == 0
    assert quantum.thermal_excitation(5, 1000) == pytest.approx(0.5, abs=1e-3)
    assert quantum.thermal_excitation(5, 1e-4) == 0.0
    temps = [0.01, 0.05, 0.2, 1, 3]
    values = [quantum.thermal_excitation(5, t) for t in temps]
    assert values == sorted(values)
    for bad in [(0, 1), (-2, 1), (5, -1)]:
        with pytest.raises(ValueError):
            quantum.thermal_excitation(*bad)


@pytest.fixture(scope="module")
def processors():
    return data.load("quantum_processors")


@pytest.fixture(scope="module")
def facts():
    return data.load("quantum_facts")


def test_processor_table_covers_ibm_families_with_sources(processors):
    ibm = processors[processors["vendor"] == "IBM"]
    names = " ".join(ibm["processor"])
    for family in ["Falcon", "Hummingbird", "Eagle", "Osprey", "Condor", "Heron"]:
        assert family in names
    assert processors["source_url"].str.startswith("http").all()
    assert not processors["source"].str.contains("Grokipedia").any(), "weak AI-mirror rows were dropped"
    # every quantum volume is a power of two
    qv = processors["quantum_volume"].dropna().astype(int)
    assert all(v & (v - 1) == 0 for v in qv)


def test_facts_have_unique_keys_and_the_lesson_temperatures(facts):
    assert facts["key"].is_unique
    assert quantum.fact(facts, "cmb_temperature") == pytest.approx(2.7)
    assert quantum.fact(facts, "ibm_fridge_low") == pytest.approx(15)
    with pytest.raises(ValueError, match="no fact called"):
        quantum.fact(facts, "room_temperature")
    temps = quantum.temperatures(facts)
    assert set(temps["unit"]) <= {"K", "mK", "°C", "µK"}
    fridge = temps.set_index("key").loc["ibm_fridge_low", "kelvin"]
    space = temps.set_index("key").loc["cmb_temperature", "kelvin"]
    assert space / fridge > 100


def test_roadmap_helpers(processors):
    ibm = quantum.processors_by_year(processors, "IBM")
    assert ibm["year"].is_monotonic_increasing and (ibm["vendor"] == "IBM").all()
    largest = quantum.largest_by_year(processors)
    assert list(largest.columns) == ["year", "max_qubits"]
    condor_year = int(processors.loc[processors["processor"] == "Condor", "year"].item())
    condor = int(processors.loc[processors["processor"] == "Condor", "qubits"].item())
    assert largest.set_index("year").loc[condor_year, "max_qubits"] == condor
    history = quantum.quantum_volume_history(processors, "IBM")
    assert history["qv_year"].is_monotonic_increasing
    with pytest.raises(ValueError, match="No vendor called"):
        quantum.processors_by_year(processors, "IBN")


def test_quantum_volume_arithmetic(processors, facts):
    assert quantum.qv_width(64) == 6
    assert quantum.doublings(4, 256) == 6
    assert quantum.growth_per_year(4, 256, 6) == pytest.approx(2)
    with pytest.raises(ValueError):
        quantum.qv_width(0.5)
    with pytest.raises(ValueError):
        quantum.growth_per_year(4, 256, 0)
    # the table's first and best IBM quantum volumes agree with IBM's count of doublings
    history = quantum.quantum_volume_history(processors, "IBM")
    found = quantum.doublings(history["quantum_volume"].iloc[0], history["quantum_volume"].max())
    assert found == quantum.fact(facts, "qv_doublings_2017_2022")


def test_japan_milestones_come_from_the_timeline():
    timeline = pd.DataFrame({
        "date": pd.to_datetime(["2021-07-27", "2020-07-30", "2022-12-13"]),
        "date_precision": ["day"] * 3, "event": ["System One", "QII consortium", "Rapidus"],
        "countries": ["US;Japan", "Japan;US", "US;Japan"], "category": ["quantum", "quantum", "industry"],
        "source": ["a", "b", "c"], "note": ["", "", ""]})
    found = quantum.japan_milestones(timeline)
    assert found["event"].tolist() == ["QII consortium", "System One"]
    real = quantum.japan_milestones(data.load("timeline"))
    assert len(real) >= 1 and real["event"].str.contains("Tokyo|Japan|Kawasaki").any()


# --------------------------------------------------------------------------- charts

def test_charts_carry_description_and_source(processors, facts, monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    for chart in (charts.qubits_and_quantum_volume(processors), charts.cooling_needed(facts)):
        figure = charts.show(chart)
        assert figure.source.startswith("Source: ")
        assert figure.description and "<svg" in figure.svg
    spec = charts.qubits_and_quantum_volume(processors).to_dict()
    left, right = spec["hconcat"]
    assert left["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert right["encoding"]["y"]["field"] == "quantum_volume"


def test_simulator_charts_are_parameter_driven(monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_CHARTS", "svg")
    from chipcourse.lessons.quantum.charts import SIMULATOR_SOURCE

    bloch = charts.bloch_projections(30, 90)
    names = {p["name"]: p["value"] for p in bloch.to_dict()["params"]}
    assert names == {"theta_deg": 30.0, "phi_deg": 90.0}
    hist = charts.shot_histogram({"0": 3, "1": 7}, {"0": 0.25, "1": 0.75})
    params = {p["name"]: p["value"] for p in hist.to_dict()["params"]}
    assert params["n_outcomes"] == 2 and params["shots"] == 10 and params["count_1"] == 7
    assert "<svg" in charts.show(hist, source=SIMULATOR_SOURCE).svg
    with pytest.raises(ValueError, match="2 or 4 outcomes"):
        charts.shot_histogram({"000": 1, "001": 1, "010": 1, "011": 1, "100": 1}, {})


# --------------------------------------------------------------------------- misconceptions and checks

def test_misconceptions_are_registered():
    keys = {m.key for m in misconceptions.by_topic("quantum")}
    assert {"qubit-reads-both", "more-qubits-better", "measuring-leaves-state",
            "amplitude-is-probability"} <= keys


@pytest.mark.parametrize("qid, wrong, key", [
    ("quantum_born_rule", 0.8, "amplitude-is-probability"),
    ("quantum_one_shot", "both 0 and 1", "qubit-reads-both"),
    ("quantum_measure_again", 0.5, "measuring-leaves-state"),
    ("quantum_amplitude_ratio", 2, "amplitudes-grow-linearly"),
    ("quantum_fridge_vs_space", 0.18, "unit-factor-1000"),
    ("quantum_higher_qv", "IBM Q System One", "more-qubits-better"),
])
def test_lesson_checks_name_the_misconception(qid, wrong, key):
    with pytest.raises(CheckFailed) as info:
        checks.check(qid, wrong)
    assert info.value.misconception == key and misconceptions.named_in(str(info.value)) == [key]


def test_lesson_answer_key_passes():
    namespace = {"quantum": quantum, "data": data, "checks": checks}
    namespace["psi"] = quantum.state([0.6, 0.8])
    namespace["outcome"], namespace["after"] = quantum.measure(quantum.run_circuit([("H", 0)]), seed=0)
    namespace["bell"] = quantum.run_circuit([("H", 0), ("CNOT", 0, 1)])
    namespace["facts"] = data.load("quantum_facts")
    for q in lessons.questions("03-quantum-basics").values():
        exec(q.solution, namespace)
        name = q.solution.splitlines()[-1].split("=")[0].strip()
        assert q.check(namespace[name]).startswith("✓"), q.id


def test_lesson_checks_refuse_complex_and_bad_answers():
    # the Bell pair's amplitudes where its probabilities are asked: the mistake is named
    with pytest.raises(CheckFailed, match="Amplitudes and probabilities are the same thing"):
        checks.check("quantum_bell_probabilities", [H + 0j, 0j, 0j, H + 0j])
    with pytest.raises(CheckFailed, match="only numbers and text"):
        checks.check("quantum_bell_probabilities", [H * 1j, 0j, 0j, H + 0j])
    with pytest.raises(CheckFailed, match="not answered"):
        checks.check("quantum_born_rule", ...)
    with pytest.raises(CheckFailed, match="single number"):
        checks.check("quantum_born_rule", [0.36, 0.64])
