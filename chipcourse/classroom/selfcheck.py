"""Self-grading: a learner's finished exercise notebook, graded exactly as a teacher would.

The notebook is put through nbgrader in a private, temporary course folder (the course's
own ``nbgrader_config.py``, the exercise source with its hidden tests), and only the
verdicts are printed: score per question and the checker's feedback, never test code.

The learner grades their own notebook on their own machine, where nothing of anyone else's
is at stake: it is confined with bubblewrap where that runs, and otherwise graded with the
audit hooks alone (a laptop without bubblewrap, macOS, a container) instead of refused.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .course import Course
from .. import confinement, teaching
from ..notebooks import nbgrader_meta
from .grade import GRADED, checker_words, grade_submission, read_notebook, release

__all__ = ["QuestionResult", "self_check", "identify_assignment", "question_results", "format_results",
           "verdict_words"]

LEARNER = "me"


@dataclass
class QuestionResult:
    """One graded cell of a self-checked notebook."""

    part: str
    grade_id: str
    score: float | None
    max_score: float
    feedback: str
    written: bool = False  # a written answer a teacher reads: its points are never autograded


def _answer_cell_problem(answer_cells) -> str | None:
    """Why the answer cells above a test did not give it an answer, in a sentence (None: they ran)."""
    for cell in answer_cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            name, value = output.get("ename", ""), " ".join(str(output.get("evalue", "")).split())
            if name == "NotImplementedError":
                return ("✗ Not answered yet: the answer cell still holds raise NotImplementedError(). "
                        "Replace that line with your answer, then run the cell.")
            if name in ("SyntaxError", "IndentationError", "TabError"):
                # "invalid syntax (1178789717.py, line 2)": the kernel's file name means nothing here
                value = re.sub(r"\s*\((?:[^()]*\.py|<[^>]*>), line (\d+)\)", r" on line \1", value)
                return (f"✗ The answer cell has a {name.replace('Error', ' error').lower()}"
                        f"{': ' + value if value else ''}, so it did not run. Fix it, run the cell, "
                        f"then run the test below it.")
            return (f"✗ The answer cell stopped with {name}{': ' + value[:200] if value else ''}, so "
                    f"it gave no answer. Fix it and run the cell again.")
    return None


def verdict_words(test_cell, answer_cells, passed: bool) -> str:
    """What ``make check`` says about one autograded test: the checker's words, told apart.

    A test that failed because its answer cell never ran says why (not answered yet, a
    syntax error, an error) rather than only that a name is not defined; one whose visible
    check passed but whose hidden tests did not says so, instead of printing "✓ Right
    kind of answer" beside the failure.
    """
    from ..checks import RIGHT_FORM

    printed = " ".join(" ".join(o.get("text", "").split()) for o in test_cell.get("outputs", [])
                       if o.get("output_type") == "stream" and o.get("name") == "stdout").strip()
    errors = [o for o in test_cell.get("outputs", []) if o.get("output_type") == "error"]
    if passed or not errors:
        return checker_words(test_cell) or ("✓ Passed." if passed else "")
    if errors[0].get("ename") == "NameError":
        problem = _answer_cell_problem(answer_cells)
        if problem:
            return problem
    failure = " ".join(str(errors[0].get("evalue", "")).split())
    if printed.startswith(RIGHT_FORM):
        return f"✗ The visible test passed (right kind of answer), but the hidden tests did not: {failure}"
    return checker_words(test_cell)


def identify_assignment(nb, filename: str, source_root: Path) -> str:
    """The exercise set a notebook belongs to: by file name, else by its graded cell ids."""
    assignments = sorted(p.name for p in source_root.iterdir() if p.is_dir())
    for name in assignments:
        if filename.startswith(name):
            return name
    ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells} - {None}
    best, overlap = None, 0
    for name in assignments:
        for source in (source_root / name).glob("*.ipynb"):
            source_nb, _ = read_notebook(source)
            if source_nb is None:
                continue
            theirs = {nbgrader_meta(c).get("grade_id") for c in source_nb.cells}
            if len(ids & theirs) > overlap:
                best, overlap = name, len(ids & theirs)
    if best is None:
        raise ValueError(f"{filename} does not look like one of the course's exercise sets "
                         f"({', '.join(assignments)}): check you picked the right notebook.")
    return best


def question_results(course: Course, assignment: str, student: str, notebook_name: str) -> list[QuestionResult]:
    """Score and feedback of every graded cell, in notebook order, from gradebook and notebook."""
    from nbgrader.api import Gradebook

    path = course.directory("autograded_directory") / student / assignment / f"{notebook_name}.ipynb"
    nb, _ = read_notebook(path)
    with Gradebook(course.db_url) as gb:
        grades = {g.name: g for g in gb.find_submission_notebook(notebook_name, assignment, student).grades}
        # "Part A" from the heading above each graded cell ("## Part A (2 points)")
        parts = {p.grade_id: p.heading.split(" (")[0] for p in teaching.exercise_parts(nb)
                 if p.heading.startswith("Part ")} if nb is not None else {}
        results = []
        answers_above = []   # the answer cells since the last graded cell
        for cell in nb.cells if nb is not None else []:
            meta = nbgrader_meta(cell)
            grade = grades.pop(meta.get("grade_id"), None) if meta.get("grade") else None
            if grade is None:
                if meta.get("solution"):
                    answers_above.append(cell)
                continue
            part = parts.get(grade.name, "")
            if cell.cell_type == "markdown":   # a written answer: a teacher scores it, never this command
                blank = not grade.needs_manual_grade and grade.manual_score is None
                text = ("written answer, not written yet: a teacher reads it (not scored here)" if blank
                        else "written answer: a teacher reads it (not scored here)")
                results.append(QuestionResult(part, grade.name, None, grade.max_score, text, written=True))
            else:
                passed = (grade.score or 0) >= grade.max_score
                results.append(QuestionResult(part, grade.name, grade.score, grade.max_score,
                                              verdict_words(cell, answers_above, passed)))
            answers_above = []
        for grade in grades.values():  # graded cells the notebook no longer has
            written = grade.cell.cell_type == "markdown"
            results.append(QuestionResult("", grade.name, None if written else grade.score, grade.max_score,
                                          "✗ This graded cell is missing from your notebook.", written=written))
    return results


def format_results(results: list[QuestionResult], notes: list[str]) -> str:
    lines = []
    width = max([len(r.grade_id) for r in results] + [8])
    for r in results:
        score = "  —  " if r.score is None else f"{r.score:g}/{r.max_score:g}"
        lines.append(f"{r.part:<8} {r.grade_id:<{width}} {score:>7}  {r.feedback}")
    auto = [r for r in results if not r.written]
    got, out_of = sum(r.score or 0 for r in auto), sum(r.max_score for r in auto)
    waiting = sum(r.max_score for r in results if r.written)
    lines.append(f"Score: {got:g} of {out_of:g} autograded points"
                 + (f" ({waiting:g} more points are for written answers a teacher reads)." if waiting else "."))
    lines += [f"Note: {n}" for n in notes]
    return "\n".join(lines)


def self_check(notebook: str | Path, course_root: str | Path | None = None, echo: bool = True):
    """Grade ``notebook`` with the course's tests (hidden ones too); print and return the results."""
    from .. import notebooks

    root = Path(course_root) if course_root else notebooks.ROOT
    path = Path(notebook).expanduser()
    if not path.exists():
        raise ValueError(f"There is no notebook at {path}: give the path of your exercise notebook, "
                         f"e.g. make check NB=release/01-node-names/01-node-names-exercises.ipynb")
    nb, why = read_notebook(path)
    if nb is None:
        raise ValueError(f"This cannot be graded: {why}.")
    source_root = Course(root).directory("source_directory")
    assignment = identify_assignment(nb, path.name, source_root)
    with tempfile.TemporaryDirectory(prefix="chipcourse-check-") as tmp:
        private = Course.copy_for_grading(root, Path(tmp), assignment)
        if confinement.refusal(confinement.CONFINED):
            with open(private.root / "nbgrader_config.py", "a", encoding="utf-8") as config:
                config.write(f"\nc.TrustedExecute.confinement = {confinement.AUDIT_HOOKS_ONLY!r}\n")
        release(private, [assignment])
        name = private.notebook_names(assignment)[0]
        folder = private.directory("submitted_directory") / LEARNER / assignment
        folder.mkdir(parents=True)
        shutil.copyfile(path, folder / f"{name}.ipynb")
        with private.inside():
            outcome = grade_submission(private, assignment, LEARNER)
        if outcome.status != GRADED:
            raise ValueError(f"This notebook could not be graded: {'; '.join(outcome.notes)}.")
        results = question_results(private, assignment, LEARNER, name)
    if echo:
        print(f"Checked {path} against {assignment} (every test, hidden ones included):")
        print(format_results(results, outcome.notes))
    return results
