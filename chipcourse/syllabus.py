"""The course's lessons, in order, as each lesson declares itself.

Every lesson has one home, ``chipcourse/lessons/<topic>/``, and in it a ``lesson.toml``
that says which notebook and exercise set it belongs to and lists its misconceptions::

    notebook = "01-node-names"        # notebooks/01-node-names.ipynb
    exercise = "01-node-names"        # exercises/01-node-names/01-node-names-exercises.ipynb

    [misconceptions.node-name-is-gate-length]
    title = "You read the node name as the gate length"
    explanation = "..."

This module only reads those files (it imports no lesson code), so the low layers
(:mod:`chipcourse.misconceptions`, :mod:`chipcourse.checking`) can know the lessons
without importing anything above them. :mod:`chipcourse.lessons` finds a lesson's code
(model, charts, widgets, answer key) from the same declarations.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Lesson", "SyllabusError", "LESSONS_DIR", "lessons", "lesson_for", "topic_for",
           "NOTEBOOK_NAME"]

#: where the lesson packages live
LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
#: a lesson notebook's name: two digits, a hyphen, lower-case words joined by hyphens
NOTEBOOK_NAME = re.compile(r"^\d\d-[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class SyllabusError(LookupError):
    """A lesson is missing or declared wrongly; the message says where to fix it."""


@dataclass(frozen=True)
class Lesson:
    """One lesson as its ``lesson.toml`` declares it."""

    topic: str          # the package name: chipcourse/lessons/<topic>/
    notebook: str       # the notebook's stem: notebooks/<notebook>.ipynb
    exercise: str       # the exercise set: exercises/<exercise>/<exercise>-exercises.ipynb
    folder: Path
    misconceptions: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def package(self) -> str:
        """The lesson's Python package, e.g. ``chipcourse.lessons.nodes``."""
        return f"chipcourse.lessons.{self.topic}"


def _read(folder: Path) -> Lesson:
    path = folder / "lesson.toml"
    where = f"chipcourse/lessons/{folder.name}/lesson.toml"
    if not (folder / "__init__.py").exists():  # the grader's verified imports need a regular package
        raise SyllabusError(f"chipcourse/lessons/{folder.name}/ has a lesson.toml but no __init__.py: "
                            f"add one (a docstring naming the lesson is enough).")
    try:
        with open(path, "rb") as handle:
            declared = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SyllabusError(f"{where} is not valid TOML: {exc}") from None
    missing = [key for key in ("notebook", "exercise") if not isinstance(declared.get(key), str)]
    if missing:
        raise SyllabusError(f"{where} must say {' and '.join(missing)} = \"NN-topic\" "
                            f"(the notebook's and the exercise set's names).")
    for key in ("notebook", "exercise"):
        if not NOTEBOOK_NAME.match(declared[key]):
            raise SyllabusError(f"{where}: {key} = {declared[key]!r} is not a lesson name such "
                                f"as \"06-chokepoints\" (two digits, a hyphen, lower-case words).")
    entries = declared.get("misconceptions", {})
    for key, entry in entries.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("title"), str)
                and isinstance(entry.get("explanation"), str)):
            raise SyllabusError(f"{where}: misconception {key!r} needs a title and an explanation.")
    return Lesson(folder.name, declared["notebook"], declared["exercise"], folder, entries)


@functools.lru_cache(maxsize=None)
def _lessons(folder: str) -> tuple[Lesson, ...]:
    found = [_read(p.parent) for p in sorted(Path(folder).glob("*/lesson.toml"))]
    found.sort(key=lambda lesson: lesson.notebook)
    for kind in ("notebook", "exercise"):
        seen: dict[str, str] = {}
        for lesson in found:
            name = getattr(lesson, kind)
            if name in seen:
                raise SyllabusError(f"Two lessons declare {kind} = {name!r}: "
                                    f"chipcourse/lessons/{seen[name]}/ and chipcourse/lessons/"
                                    f"{lesson.topic}/. Each {kind} belongs to one lesson.")
            seen[name] = lesson.topic
    return tuple(found)


def lessons() -> tuple[Lesson, ...]:
    """Every lesson, in course order (by notebook name)."""
    return _lessons(str(LESSONS_DIR))


def lesson_for(name: str) -> Lesson:
    """The lesson of a notebook stem (``"01-node-names"``), an exercise set or a topic."""
    for lesson in lessons():
        if name in (lesson.notebook, lesson.exercise, lesson.topic):
            return lesson
    known = ", ".join(lesson.notebook for lesson in lessons())
    raise SyllabusError(f"No lesson is called {name!r} (known: {known}). A lesson lives in "
                        f"chipcourse/lessons/<topic>/ with a lesson.toml naming its notebook; "
                        f"`make new-lesson NAME=NN-topic` makes one.")


def topic_for(notebook: str) -> str | None:
    """The topic (package name) of a lesson notebook's stem, or None if it has no lesson."""
    return next((lesson.topic for lesson in lessons() if lesson.notebook == notebook), None)
