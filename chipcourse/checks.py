"""Checks, as a notebook calls them: ``checks.check_number(...)``, ``checks.check(id, answer)``.

The checkers themselves are the checks core, :mod:`chipcourse.checking`, shared by every
lesson and exercise. :func:`check` checks the answer to a lesson's "Check yourself"
question by its id; the question and its answer live in the lesson's answer key
(``chipcourse/lessons/<topic>/answer_key.py``), never in the lesson.
"""

from __future__ import annotations

from typing import Any

from . import lessons
from .checking import (RIGHT_FORM, CheckFailed, Unanswered, check_choice, check_is_number, check_is_table,
                       check_is_text, check_items, check_number, check_table, check_text, could_not_check, fail)

__all__ = ["check", "CheckFailed", "Unanswered", "check_number", "check_choice", "check_text", "check_items",
           "check_table", "check_is_number", "check_is_text", "check_is_table", "RIGHT_FORM"]


def check(question_id: str, answer: Any) -> str:
    """Check the answer to a lesson's "Check yourself" question ``question_id``.

    Raises nothing but :class:`CheckFailed`, and raises it afresh from here: no traceback
    of a failed check shows a frame of the lesson's answer key, whose code holds the answers.
    """
    question = lessons.question(question_id) if isinstance(question_id, str) else None
    if question is None:
        fail(f"There is no question called {question_id!r}. Was the check cell edited? Restore it "
             f"with Edit > Undo, or download the lesson again. (Each lesson's questions are defined "
             f"in its package, chipcourse/lessons/<topic>/.)")
    try:
        return question.check(answer)
    except CheckFailed as exc:
        failure = exc
    except Exception as exc:  # a learner sees one sentence, never the answer key's code
        failure = could_not_check(answer, "your answer", exc)
    failure.__cause__ = failure.__context__ = None
    failure.__suppress_context__ = True
    raise failure.with_traceback(None)
