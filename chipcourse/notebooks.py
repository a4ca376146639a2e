"""Course tooling for the notebooks themselves: where they are, clean metadata, answer keys.

Used by the tests, by ``make normalize`` and by the grading targets, so that what
"a lesson", "an exercise" and "a clean notebook" mean is written down once.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import nbformat

from .lessons import questions

__all__ = [
    "ROOT", "lessons", "exercises", "CANONICAL_METADATA", "ALLOWED_CELL_METADATA",
    "hygiene_problems", "normalise", "nbgrader_meta", "with_answer_key",
    "answer_names", "graded_answer_cells", "is_autograded_test", "autograded_tests", "with_wrong_answers",
]

#: the course checkout (the folder holding notebooks/, exercises/ and data/)
ROOT = Path(__file__).resolve().parent.parent

CANONICAL_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
#: ``chipcourse``: a translated cell's link to the English it translates (chipcourse.translations)
ALLOWED_CELL_METADATA = {"nbgrader", "tags", "editable", "deletable", "chipcourse"}
#: where each language's lessons and exercise sources live
EDITION_FOLDERS = {"en": ("notebooks", "exercises"), "ja": ("notebooks/ja", "exercises-ja")}


def lessons(root: Path = ROOT, language: str = "en") -> list[Path]:
    """The lesson notebooks of one edition (English: ``notebooks/``), in course order."""
    return sorted((root / EDITION_FOLDERS[language][0]).glob("[0-9][0-9]-*.ipynb"))


def exercises(root: Path = ROOT, language: str = "en") -> list[Path]:
    """The nbgrader source notebooks of one edition:
    ``exercises/<NN-topic>/<NN-topic>-exercises.ipynb`` (English)."""
    return sorted(p for p in (root / EDITION_FOLDERS[language][1]).glob("[0-9][0-9]-*/[0-9][0-9]-*-exercises.ipynb"))


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata ({} when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def hygiene_problems(nb) -> list[str]:
    """What keeps a notebook from being committed: outputs, counts, stray metadata."""
    problems = []
    if dict(nb.metadata) != CANONICAL_METADATA:
        problems.append(f"notebook metadata is {dict(nb.metadata)!r}, not the canonical kernelspec only")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.get("outputs"):
                problems.append(f"cell {i} has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"cell {i} has an execution count")
        extra = set(cell.get("metadata", {})) - ALLOWED_CELL_METADATA
        if extra:
            problems.append(f"cell {i} has editor metadata {sorted(extra)}")
    return problems


def normalise(nb):
    """Strip outputs, counts and editor metadata; set the canonical notebook metadata."""
    nb.metadata = nbformat.from_dict(copy.deepcopy(CANONICAL_METADATA))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata = nbformat.from_dict(
            {k: v for k, v in cell.get("metadata", {}).items() if k in ALLOWED_CELL_METADATA})
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
    return nb


def with_answer_key(nb):
    """A copy of a lesson with every answer cell filled from the lessons' answer keys."""
    by_cell = {q.answer_cell_id: q for q in questions().values()}
    filled = copy.deepcopy(nb)
    for cell in filled.cells:
        q = by_cell.get(nbgrader_meta(cell).get("grade_id"))
        if q is not None:
            cell.source = q.solution
    return filled


def graded_answer_cells(nb) -> list:
    """The code cells an nbgrader exercise grades (``solution: true``)."""
    return [c for c in nb.cells if c.cell_type == "code" and nbgrader_meta(c).get("solution")]


def is_autograded_test(cell) -> bool:
    """Whether ``cell`` tests answers: a code cell with ``grade`` and without ``solution``."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def autograded_tests(nb) -> list:
    """The code cells of an nbgrader exercise that test answers (see :func:`is_autograded_test`)."""
    return [c for c in nb.cells if is_autograded_test(c)]


def answer_names(source: str) -> list[str]:
    """The name a solution cell answers with: the last name it assigns (``[]`` if none)."""
    tree = ast.parse(source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
    names = [t.id for node in tree.body if isinstance(node, ast.Assign)
             for t in node.targets if isinstance(t, ast.Name)]
    return names[-1:]


def with_wrong_answers(nb, every: int = 2, offset: int = 0, wrong: str = "12345"):
    """A simulated student: a copy of an exercise source (all answers right) with every
    ``every``-th graded answer, starting at ``offset``, set to ``wrong`` instead."""
    student = copy.deepcopy(nb)
    for i, cell in enumerate(graded_answer_cells(student)):
        if i % every == offset % every:
            cell.source = "\n".join(f"{name} = {wrong}" for name in answer_names(cell.source))
    return student
