"""Misconceptions: Lesson 01, What's in a nanometer?"""

from . import Misconception

ENTRIES = [
    Misconception(
        "node-name-is-gate-length", "nodes",
        "You read the node name as the gate length",
        "Since the late 1990s a node name has not been the length of any part of the "
        "transistor: look up gate_length_nm (or a pitch) in the table instead of "
        "reading the number in the name.",
    ),
    Misconception(
        "node-name-is-a-pitch", "nodes",
        "You read the node name as a pitch",
        "No pitch on a modern chip is as small as its node name: the contacted gate pitch "
        "and the metal pitch are several times larger. Take the pitch from the table.",
    ),
    Misconception(
        "same-name-same-density", "nodes",
        "The same node name means the same density at every company",
        "Each company names its own nodes: two processes both called \"10 nm\" can differ "
        "in density by a factor of two. Compare the measured densities, not the names.",
    ),
    Misconception(
        "smaller-number-denser", "nodes",
        "A smaller node number always means a denser chip",
        "Names are chosen by each company, so a node with a larger number can be denser "
        "than another company's node with a smaller one. Compare density_mtr_mm2.",
    ),
    Misconception(
        "claimed-density-is-chip-density", "nodes",
        "A node's claimed density is the density of real chips made on it",
        "A claimed density counts the densest logic cells; a real chip also holds memory, "
        "wiring and analogue parts, so its average (transistors ÷ die area) is lower.",
    ),
]
