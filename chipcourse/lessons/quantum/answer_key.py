"""Answer key for notebooks/03-quantum-basics.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question
from . import quantum

#: the made-up state of the Born-rule question: 0.6|0⟩ + 0.8|1⟩ (an exercise input, not data)
BORN_AMPLITUDES = [0.6, 0.8]


def _born_rule(answer):
    psi = quantum.state(BORN_AMPLITUDES)
    return checking.check_number(
        answer, quantum.probability_of(psi, "1"), rel_tol=0.01, what="the probability of reading 1",
        misconceptions={"amplitude-is-probability": float(psi[1].real)},
        success="Square the amplitude's magnitude: that is the Born rule.",
    )


def _one_shot(answer):
    return checking.check_choice(
        answer, "0 or 1", ["0 or 1", "both 0 and 1", "0.5"], what="what one measurement shows",
        misconceptions={"both 0 and 1": "qubit-reads-both"},
        success="One shot, one bit. Only many shots of fresh copies show the 50/50 odds.",
    )


def _measure_again(answer):
    outcome, after = quantum.measure(quantum.run_circuit([("H", 0)]), seed=0)
    return checking.check_number(
        answer, quantum.probability_of(after, outcome), rel_tol=0.001,
        what="the probability of reading 1 again", misconceptions={"measuring-leaves-state": 0.5},
        success="The first measurement collapsed the state to |1⟩; it stays there.",
    )


def _bell_probabilities(answer):
    bell = quantum.run_circuit([("H", 0), ("CNOT", 0, 1)])
    return checking.check_items(
        answer, [float(p) for p in quantum.probabilities(bell)], rel_tol=0.001,
        what="the list of probabilities for |00⟩, |01⟩, |10⟩, |11⟩",
        misconceptions={"amplitude-is-probability": list(bell)},
        success="Only 00 and 11 can happen: the two qubits always agree.",
    )


def _amplitude_ratio(answer):
    return checking.check_number(
        answer, quantum.state_vector_size(20) / quantum.state_vector_size(10), rel_tol=0.001,
        what="how many times more amplitudes 20 qubits need than 10",
        misconceptions={"amplitudes-grow-linearly": 2.0},
        success="Ten more qubits, ten more doublings: 2 to the power 10.",
    )


def _fridge_vs_space(answer):
    facts = data.load("quantum_facts")
    space_k = quantum.to_kelvin(quantum.fact(facts, "cmb_temperature"), "K")
    fridge_k = quantum.to_kelvin(quantum.fact(facts, "ibm_fridge_low"), "mK")
    return checking.check_number(
        answer, space_k / fridge_k, rel_tol=0.01, what="how many times colder the fridge is than space",
        misconceptions={"unit-factor-1000": quantum.fact(facts, "cmb_temperature") / quantum.fact(facts, "ibm_fridge_low")},
        success="Inside the fridge it is far colder than anywhere in outer space.",
    )


_QV_PAIR = {"Honeywell H0": ("Honeywell", "H0"), "IBM Q System One": ("IBM", "IBM Q System One")}


def _higher_qv(answer):
    history = quantum.quantum_volume_history(data.load("quantum_processors"))
    rows = {}
    for option, (vendor, prefix) in _QV_PAIR.items():
        hit = history[(history["vendor"] == vendor) & history["processor"].str.startswith(prefix)]
        rows[option] = hit.iloc[0]
    best = max(rows, key=lambda k: rows[k]["quantum_volume"])
    most_qubits = max(rows, key=lambda k: rows[k]["qubits"])
    traps = {} if most_qubits == best else {most_qubits: "more-qubits-better"}
    return checking.check_choice(
        answer, best, list(_QV_PAIR), what="the machine with the higher quantum volume", misconceptions=traps,
        success="Fewer qubits, higher quantum volume: quality counts.",
    )


QUESTIONS = [
    Question("quantum_born_rule", "The state 0.6|0⟩ + 0.8|1⟩: what is the probability of reading 1?",
             _born_rule, "p_one = quantum.probabilities(psi)[1]"),
    Question("quantum_one_shot", "You measure |+⟩ once. What do you read?", _one_shot,
             'one_shot = "0 or 1"'),
    Question("quantum_measure_again",
             "You measured |+⟩ and read 1. Measuring again at once, what is the probability of reading 1?",
             _measure_again, "p_again = quantum.probability_of(after, outcome)"),
    Question("quantum_bell_probabilities", "The probabilities of |00⟩, |01⟩, |10⟩ and |11⟩ for a Bell pair?",
             _bell_probabilities, "bell_probabilities = list(quantum.probabilities(bell))"),
    Question("quantum_amplitude_ratio", "How many times more amplitudes do 20 qubits need than 10?",
             _amplitude_ratio,
             "amplitude_ratio = quantum.state_vector_size(20) / quantum.state_vector_size(10)"),
    Question("quantum_fridge_vs_space", "How many times colder than outer space is IBM's fridge?",
             _fridge_vs_space,
             'space_k = quantum.fact(facts, "cmb_temperature")\n'
             'fridge_k = quantum.fact(facts, "ibm_fridge_low") / 1000\n'
             "colder_factor = space_k / fridge_k"),
    Question("quantum_higher_qv", "Which had the higher quantum volume: Honeywell H0 or IBM Q System One?",
             _higher_qv, 'higher_qv = "Honeywell H0"'),
]
