"""Misconceptions: Lesson 03, Qubits, gates and cold fridges."""

from . import Misconception

ENTRIES = [
    Misconception(
        "qubit-reads-both", "quantum",
        "A qubit is 0 and 1 at once, and you can read both",
        "Measuring one qubit gives one bit: 0 or 1, never both. A superposition sets the odds "
        "of each outcome (the Born rule); to see both values you need many shots, each of a "
        "freshly prepared qubit.",
    ),
    Misconception(
        "more-qubits-better", "quantum",
        "More qubits always means a better quantum computer",
        "Quality counts as much as quantity: noisy qubits spoil a circuit before it ends, so a "
        "machine with fewer, better qubits can run larger circuits correctly. Quantum volume "
        "measures both; compare quantum_volume, not only qubits.",
    ),
    Misconception(
        "measuring-leaves-state", "quantum",
        "Measuring does not change the state",
        "A measurement collapses the state onto the outcome you read: the superposition is "
        "gone, and measuring again at once gives the same outcome with probability 1.",
    ),
    Misconception(
        "amplitude-is-probability", "quantum",
        "Amplitudes and probabilities are the same thing",
        "The probability of an outcome is the square of its amplitude's magnitude, "
        "|amplitude|²: an amplitude of 0.8 means a probability of 0.64. Amplitudes can be "
        "negative or complex; probabilities cannot.",
    ),
    Misconception(
        "probabilities-add", "quantum",
        "Probabilities add along the paths, so nothing can cancel",
        "In a quantum circuit the amplitudes add first and are squared afterwards. Two paths "
        "with opposite signs cancel (destructive interference), so an outcome can become "
        "impossible: H followed by H always gives 0.",
    ),
    Misconception(
        "amplitudes-grow-linearly", "quantum",
        "Each extra qubit adds a fixed amount of state",
        "Each extra qubit doubles the number of amplitudes: n qubits need 2 to the power n of "
        "them. Going from n to 2n qubits squares the count; it does not double it.",
    ),
]
