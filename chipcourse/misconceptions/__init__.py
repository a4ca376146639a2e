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

__all__ = ["Misconception", "CATALOGUE", "get", "by_topic", "named_in", "TOPICS"]


@dataclass(frozen=True)
class Misconception:
    """A known mistake: its key, topic, a short title and what is wrong with it."""

    key: str
    topic: str
    title: str
    explanation: str

    def feedback(self) -> str:
        """The sentence a learner sees when an answer matches this mistake (no key: the
        key is for teachers; :func:`named_in` finds it again from the title)."""
        return f"{self.heading()} {self.explanation}"

    def heading(self) -> str:
        """The opening of :meth:`feedback`, unique to this entry."""
        return f"Common mistake: {self.title}."


#: topic modules of this package, in course order; each defines ENTRIES
TOPICS = ["general", "start", "nodes", "litho", "quantum", "alliance", "policy"]


def _entries() -> list[Misconception]:
    import importlib

    found = []
    for topic in TOPICS:
        found.extend(importlib.import_module(f"{__name__}.{topic}").ENTRIES)
    return found


_ENTRIES = _entries()

#: Every misconception, by key.
CATALOGUE: dict[str, Misconception] = {m.key: m for m in _ENTRIES}
assert len(CATALOGUE) == len(_ENTRIES), "misconception keys must be unique"
assert len({m.title for m in _ENTRIES}) == len(_ENTRIES), "titles must be unique: feedback is read back by title"


def get(key: str) -> Misconception:
    """The catalogue entry ``key``; a ``KeyError`` names the known keys."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(f"No misconception {key!r}; known: {sorted(CATALOGUE)}") from None


def by_topic(topic: str) -> list[Misconception]:
    """The entries of one topic (``"nodes"``, ``"litho"``, ...), in catalogue order."""
    return [m for m in _ENTRIES if m.topic == topic]


def named_in(text: str) -> list[str]:
    """Keys of the misconceptions whose feedback opens somewhere in ``text`` (a checker's
    message, a graded cell's output), in catalogue order."""
    text = text or ""
    return [m.key for m in _ENTRIES if m.heading() in text]
