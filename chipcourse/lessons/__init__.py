"""The lessons' own code, one package per lesson, found from the lesson's name.

Each lesson lives in ``chipcourse/lessons/<topic>/`` (docs/adding-a-lesson.md)::

    lesson.toml      which notebook and exercise set it is, and its misconceptions
    <model>.py       the lesson's pure functions, e.g. nodes.py (imported in notebooks as
                     ``from chipcourse import nodes``); a lesson may have several
    charts.py        chart builders (``charts.density_by_company(...)`` in a notebook)
    widgets.py       widget factories (``widgets.node_explorer()``)
    answer_key.py    ``QUESTIONS``: the "Check yourself" questions (``checks.check(...)``)

Nothing here is kept in a list by hand: a lesson is found through
:mod:`chipcourse.syllabus` (its ``lesson.toml``), and its charts, widgets, questions and
models are found in its modules by name. A name that no lesson defines gets a sentence
saying where to add it.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable

from .. import syllabus

__all__ = ["Question", "LessonCodeError", "NoSuchModel", "module", "questions", "question", "charts", "widgets",
           "models", "model", "public_functions", "RESERVED"]

#: modules of a lesson package with a fixed role; every other module is a model
RESERVED = ("charts", "widgets", "answer_key")


class LessonCodeError(AttributeError):
    """A chart or widget that no lesson defines, or one defined twice; the message says
    where. (An AttributeError, so ``getattr(widgets, name, None)`` still works.)"""


class NoSuchModel(ImportError):
    """``from chipcourse import <name>`` for a name no lesson has a model for."""


@dataclass(frozen=True)
class Question:
    """One "Check yourself" question of a lesson.

    ``check`` takes the learner's answer and returns the success message or raises
    :class:`chipcourse.checking.CheckFailed`; ``solution`` is source code for the answer
    cell that answers it correctly (used by the tests and the teacher guide).

    In a lesson the answer cell has ``grade_id`` ``<id>_answer`` and the check cell
    ``grade_id`` ``<id>``.
    """

    id: str
    prompt: str
    check: Callable[[Any], str]
    solution: str

    @property
    def answer_cell_id(self) -> str:
        return f"{self.id}_answer"


def module(lesson: syllabus.Lesson, name: str):
    """The module ``name`` (``"charts"``, ``"widgets"``, ``"answer_key"``, a model) of a
    lesson, or None if the lesson has no such file."""
    if not (lesson.folder / f"{name}.py").exists():
        return None
    return importlib.import_module(f"{lesson.package}.{name}")


def public_functions(mod) -> dict[str, Callable]:
    """The functions a module offers: those named in its ``__all__`` if it has one, else
    every function it defines itself (not imported, not starting with ``_``)."""
    if mod is None:
        return {}
    names = getattr(mod, "__all__", None)
    if names is not None:
        return {name: getattr(mod, name) for name in names}
    return {name: obj for name, obj in vars(mod).items()
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == mod.__name__}


@functools.lru_cache(maxsize=None)
def _by_name(kind: str) -> dict[str, tuple[Callable, str]]:
    found: dict[str, tuple[Callable, str]] = {}
    for lesson in syllabus.lessons():
        for name, function in public_functions(module(lesson, kind)).items():
            if name in found:
                raise LessonCodeError(
                    f"Two lessons define {kind} called {name!r}: chipcourse/lessons/"
                    f"{found[name][1]}/{kind}.py and chipcourse/lessons/{lesson.topic}/{kind}.py. "
                    f"Notebooks find {kind} by name, so each name must be unique.")
            found[name] = (function, lesson.topic)
    return found


def _lookup(kind: str, name: str, example: str) -> Callable:
    try:
        return _by_name(kind)[name][0]
    except KeyError:
        raise LessonCodeError(
            f"No lesson has {'a chart builder' if kind == 'charts' else 'a widget'} called "
            f"{name!r}. {example} are defined in chipcourse/lessons/<topic>/{kind}.py: check the "
            f"spelling, or add it to the lesson's {kind}.py.") from None


def charts() -> dict[str, Callable]:
    """Every lesson's chart builders, by name."""
    return {name: function for name, (function, _) in _by_name("charts").items()}


def widgets() -> dict[str, Callable]:
    """Every lesson's widget factories, by name."""
    return {name: function for name, (function, _) in _by_name("widgets").items()}


def chart(name: str) -> Callable:
    """The chart builder ``name`` from whichever lesson defines it."""
    return _lookup("charts", name, "Chart builders")


def widget(name: str) -> Callable:
    """The widget factory ``name`` from whichever lesson defines it."""
    return _lookup("widgets", name, "Widget factories")


@functools.lru_cache(maxsize=None)
def models() -> dict[str, syllabus.Lesson]:
    """The model modules of every lesson (name -> its lesson), e.g. ``{"nodes": <01>}``."""
    found: dict[str, syllabus.Lesson] = {}
    for lesson in syllabus.lessons():
        for path in sorted(lesson.folder.glob("*.py")):
            name = path.stem
            if name.startswith("_") or name in RESERVED:
                continue
            if name in found:
                raise LessonCodeError(
                    f"Two lessons have a model called {name!r}: chipcourse/lessons/{found[name].topic}/"
                    f"{name}.py and chipcourse/lessons/{lesson.topic}/{name}.py. Rename one.")
            found[name] = lesson
    return found


def model(name: str):
    """The model module ``name`` (``"nodes"`` is chipcourse/lessons/nodes/nodes.py)."""
    lesson = models().get(name)
    if lesson is None:
        raise NoSuchModel(
            f"chipcourse has no module called {name!r}. The shared ones are data, checks, charts, "
            f"widgets and units; a lesson's own model is a file in chipcourse/lessons/<topic>/ "
            f"(known: {', '.join(sorted(models()))}).")
    return importlib.import_module(f"{lesson.package}.{name}")


@functools.lru_cache(maxsize=None)
def questions(notebook: str | None = None) -> dict[str, Question]:
    """All questions of one lesson (by notebook stem), or of every lesson, by id."""
    chosen = [syllabus.lesson_for(notebook)] if notebook else list(syllabus.lessons())
    found: dict[str, Question] = {}
    for lesson in chosen:
        key = module(lesson, "answer_key")
        for q in getattr(key, "QUESTIONS", []):
            if q.id in found:
                raise LessonCodeError(f"The question id {q.id!r} is defined twice (the second time in "
                                      f"chipcourse/lessons/{lesson.topic}/answer_key.py).")
            found[q.id] = q
    return found


def question(question_id: str) -> Question | None:
    """The question ``question_id``, or None if no lesson has it."""
    return questions().get(question_id)
