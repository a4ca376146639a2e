"""The course's misconception catalogue.

Each entry names a mistake learners are known to make, says in one or two sentences
what is wrong with it, and is what :mod:`chipcourse.checks` quotes when a wrong answer
matches it. The teacher guide and the class report read this same table, so the
wording a learner sees, the wording a teacher reads and the counts in the report agree.

Keys are stable (they appear in graded feedback and in class reports): add entries,
do not rename them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Misconception", "CATALOGUE", "get", "by_topic"]


@dataclass(frozen=True)
class Misconception:
    """A known mistake: its key, topic, a short title and what is wrong with it."""

    key: str
    topic: str
    title: str
    explanation: str

    def feedback(self) -> str:
        """The sentence a learner sees when an answer matches this mistake."""
        return f"Common mistake: {self.title[0].lower()}{self.title[1:]}. {self.explanation} [misconception: {self.key}]"


_ENTRIES = [
    # ---- general: units and arithmetic (used by every module) ----
    Misconception(
        "unit-factor-1000", "general",
        "The answer is in the wrong unit (off by a factor of 1000)",
        "Your number is 1000 times too large or too small, the step between nm and µm "
        "or between µm and mm. Check which unit the question asks for.",
    ),
    Misconception(
        "percent-vs-fraction", "general",
        "A fraction and a percentage were mixed up (off by a factor of 100)",
        "0.25 and 25 % are the same share. Check whether the question wants a fraction "
        "(between 0 and 1) or a percentage.",
    ),
    Misconception(
        "ratio-inverted", "general",
        "The ratio was divided the wrong way round",
        "You seem to have computed B / A instead of A / B. Read again which quantity "
        "goes on top.",
    ),
    Misconception(
        "sign-flipped", "general",
        "The sign is flipped",
        "Your number has the right size but the wrong sign. Check the order of the "
        "subtraction (new minus old, for a change).",
    ),
    # ---- 00 start here ----
    Misconception(
        "nm-is-a-millionth", "start",
        "A nanometre is a millionth of a metre",
        "A nanometre is a billionth of a metre (10⁻⁹ m); a micrometre (µm) is a "
        "millionth. There are 1000 nm in one µm.",
    ),
    # ---- 01 node names ----
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

#: Every misconception, by key.
CATALOGUE: dict[str, Misconception] = {m.key: m for m in _ENTRIES}
assert len(CATALOGUE) == len(_ENTRIES), "misconception keys must be unique"


def get(key: str) -> Misconception:
    """The catalogue entry ``key``; a ``KeyError`` names the known keys."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"No misconception {key!r}; known: {sorted(CATALOGUE)}") from None


def by_topic(topic: str) -> list[Misconception]:
    """The entries of one topic (``"nodes"``, ``"litho"``, ...), in catalogue order."""
    return [m for m in _ENTRIES if m.topic == topic]
