"""Answer key for the lessons' "Check yourself" questions.

A lesson never holds its own answers: each check cell calls
``checks.check("<question id>", answer)`` and the question, its expected answer (often
computed from the data tables) and the feedback live here, one module per lesson.
The tests fill every lesson's answer cells with :attr:`Question.solution` and run it, so
the key and the lessons cannot drift apart.

In a lesson the answer cell has ``grade_id`` ``<question id>_answer`` and the check
cell has ``grade_id`` ``<question id>``.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Question", "question", "questions", "LESSON_MODULES"]

#: lesson notebook stem -> module of this package holding its questions
LESSON_MODULES = {
    "00-start-here": "start",
    "01-node-names": "nodes",
    "02-lithography-euv": "litho",
    "03-quantum-basics": "quantum",
    "04-alliance-history": "alliance",
    "05-industrial-policy": "policy",
}


@dataclass(frozen=True)
class Question:
    """One "Check yourself" question of a lesson.

    ``check`` takes the learner's answer and returns the success message or raises
    :class:`chipcourse.checks.CheckFailed`; ``solution`` is source code for the answer
    cell that answers it correctly (used by the tests and the teacher guide).
    """

    id: str
    prompt: str
    check: Callable[[Any], str]
    solution: str

    @property
    def answer_cell_id(self) -> str:
        return f"{self.id}_answer"


@functools.lru_cache(maxsize=None)
def questions(lesson: str | None = None) -> dict[str, Question]:
    """All questions of one lesson (by notebook stem), or of every lesson."""
    stems = [lesson] if lesson else list(LESSON_MODULES)
    found: dict[str, Question] = {}
    for stem in stems:
        module = importlib.import_module(f"{__name__}.{LESSON_MODULES[stem]}")
        for q in module.QUESTIONS:
            if q.id in found:
                raise ValueError(f"question id {q.id!r} is defined twice")
            found[q.id] = q
    return found


def question(question_id: str) -> Question:
    """The question ``question_id``; a clear error if there is none."""
    from ..checks import CheckFailed

    try:
        return questions()[question_id]
    except KeyError:
        raise CheckFailed(
            f"There is no question called {question_id!r}. Was the check cell edited? "
            f"Restore it with Edit > Undo, or download the lesson again."
        ) from None
