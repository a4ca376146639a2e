"""The feedback pages nbgrader writes for learners: what the course adds to them.

``nbgrader_config.py`` points nbgrader's ``generate_feedback`` (and so ``make feedback``)
at the course's copy of nbgrader's feedback template, ``chipcourse/templates/feedback``:
it loads nothing from the internet (nbgrader's own loads MathJax from a CDN) and wraps
the checker's sentences between words. :class:`MarkAwaitingTeacher`, run after nbgrader's
``GetGrades``, marks each written answer that no teacher has graded yet, so the page says
it awaits a teacher instead of showing "Score: 0.0 / 2.0".
"""

from __future__ import annotations

from pathlib import Path

import nbgrader
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["TEMPLATES", "template_basedirs", "MarkAwaitingTeacher"]

#: the folder holding the course's nbconvert templates (``feedback/`` among them)
TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_basedirs() -> list[str]:
    """Where nbconvert looks for the ``feedback`` template: the course's copy first, then
    nbgrader's own folder (which also holds the formgrader's ``formgrade`` template)."""
    formgrader = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    return [str(TEMPLATES), str(formgrader)]


class MarkAwaitingTeacher(NbGraderPreprocessor):
    """Mark graded cells still waiting for a teacher's score (``awaiting_teacher`` in their
    nbgrader metadata) and add up their points (``resources["nbgrader"]["awaiting_teacher"]``)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            waiting = {grade.name: float(grade.max_score) for grade in notebook.grades
                       if grade.needs_manual_grade and grade.manual_score is None}
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader") or {}
            if meta.get("grade") and meta.get("grade_id") in waiting:
                meta["awaiting_teacher"] = True
        info["awaiting_teacher"] = sum(waiting.values())
        return nb, resources
