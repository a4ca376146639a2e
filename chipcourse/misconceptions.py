"""The course's misconception catalogue.

Each entry names a mistake learners are known to make, says in one or two sentences
what is wrong with it, and is what :mod:`chipcourse.checking` quotes when a wrong answer
matches it. The teacher guide and the class report read this same table, so the
wording a learner sees, the wording a teacher reads and the counts in the report agree.

The entries are data: the mistakes any numeric answer can show are in
``chipcourse/misconceptions.toml``, and each lesson's own in its
``chipcourse/lessons/<topic>/lesson.toml`` (read through :mod:`chipcourse.syllabus`).
Keys are stable (they appear in graded feedback and in class reports): add entries,
do not rename them.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import syllabus

__all__ = ["Misconception", "MisconceptionError", "catalogue", "get", "by_topic", "named_in", "topics"]

_GENERAL = Path(__file__).resolve().parent / "misconceptions.toml"


class MisconceptionError(KeyError):
    """A misconception key that no catalogue file defines."""

    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0])


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


def _entries(topic: str, declared: dict) -> list[Misconception]:
    return [Misconception(key, topic, entry["title"], entry["explanation"])
            for key, entry in declared.items()]


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, Misconception]:
    """Every misconception by key, in course order: the general ones, then lesson by lesson."""
    with open(_GENERAL, "rb") as handle:
        entries = _entries("general", tomllib.load(handle).get("misconceptions", {}))
    for lesson in syllabus.lessons():
        entries += _entries(lesson.topic, lesson.misconceptions)
    found: dict[str, Misconception] = {}
    titles: dict[str, str] = {}
    for m in entries:
        if m.key in found:
            raise syllabus.SyllabusError(
                f"The misconception {m.key!r} is defined twice (topics {found[m.key].topic!r} and "
                f"{m.topic!r}): keys must be unique across the course.")
        if m.title in titles:
            raise syllabus.SyllabusError(
                f"The misconceptions {titles[m.title]!r} and {m.key!r} have the same title: titles "
                f"must be unique, because feedback is read back by its title.")
        found[m.key], titles[m.title] = m, m.key
    return found


def get(key: str) -> Misconception:
    """The catalogue entry ``key``; the error names the file to add it to."""
    try:
        return catalogue()[key]
    except KeyError:
        raise MisconceptionError(
            f"No misconception is called {key!r}. Add it under [misconceptions.{key}] in the "
            f"lesson's chipcourse/lessons/<topic>/lesson.toml (or in "
            f"chipcourse/misconceptions.toml for a mistake any lesson can show).") from None


def topics() -> list[str]:
    """The topics in catalogue order: ``"general"``, then each lesson's."""
    return ["general", *(lesson.topic for lesson in syllabus.lessons())]


def by_topic(topic: str) -> list[Misconception]:
    """The entries of one topic (``"nodes"``, ``"litho"``, ...), in catalogue order."""
    return [m for m in catalogue().values() if m.topic == topic]


def named_in(text: str) -> list[str]:
    """Keys of the misconceptions whose feedback opens somewhere in ``text`` (a checker's
    message, a graded cell's output), in catalogue order."""
    text = text or ""
    return [m.key for m in catalogue().values() if m.heading() in text]
