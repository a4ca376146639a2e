"""Every lesson and exercise source: clean when committed, runs headless, checks are honest."""

from __future__ import annotations

import os
from unittest import mock

import nbformat
import pytest
from nbclient import NotebookClient

from chipcourse import lessons, notebooks
from chipcourse.notebooks import nbgrader_meta

LESSONS = notebooks.lessons()
EXERCISES = notebooks.exercises()
ALL = LESSONS + EXERCISES
ids = [p.stem for p in ALL]


def test_the_course_has_notebooks():
    assert (notebooks.ROOT / "notebooks" / "00-start-here.ipynb") in LESSONS
    assert EXERCISES, "exercises/ has no nbgrader source notebooks"


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert notebooks.hygiene_problems(nb) == []


def execute(nb, path, env=None):
    with mock.patch.dict(os.environ, env or {}):  # the kernel inherits env; restored after
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    return nb


def errors_and_stderr(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append((i, cell, f"{out.ename}: {out.evalue}"))
            if out.output_type == "stream" and out.name == "stderr":
                found.append((i, cell, f"stderr: {out.text[:300]}"))
    return found


def is_check_cell(cell):
    return "raises-exception" in cell.get("metadata", {}).get("tags", [])


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_as_shipped(path):
    """Run All by a learner who answered nothing: only check cells raise, and kindly."""
    nb = execute(nbformat.read(path, as_version=4), path)
    problems = []
    checks_seen = 0
    for i, cell, what in errors_and_stderr(nb):
        if is_check_cell(cell) and what.startswith(("Unanswered:",)):
            checks_seen += 1
            assert "You have not answered yet" in what
        else:
            problems.append(f"cell {i}: {what}")
    assert not problems, "\n".join(problems)
    assert checks_seen == sum(is_check_cell(c) for c in nb.cells), "a check did not run"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_passes_with_the_answer_key(path):
    """Filled from chipcourse.answer_key, every check passes (charts drawn as SVG here)."""
    nb = notebooks.with_answer_key(nbformat.read(path, as_version=4))
    nb = execute(nb, path, env={"CHIPCOURSE_CHARTS": "svg"})
    assert [f"cell {i}: {what}" for i, _, what in errors_and_stderr(nb)] == []
    passed = [c for c in nb.cells if is_check_cell(c)
              and any("✓ Correct" in o.get("text", "") for o in c.outputs)]
    assert len(passed) == sum(is_check_cell(c) for c in nb.cells)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_anatomy_and_key(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ("**Objectives**", "**Time**", "**Prerequisites**", "## Key points",
                    "## Further reading"):
        assert heading in text, f"{path.name} lacks {heading}"
    assert "BEGIN SOLUTION" not in "".join(c.source for c in nb.cells), "lessons hold no solutions"
    grade_ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells}
    checks_here = [c for c in nb.cells if is_check_cell(c)]
    assert len(checks_here) >= 3, "a lesson has at least three Check yourself questions"
    key = lessons.questions(path.stem)
    for cell in checks_here:
        meta = nbgrader_meta(cell)
        assert meta.get("grade") and meta.get("points") and meta.get("locked"), meta
        assert meta["grade_id"] in key, f"{meta['grade_id']} has no answer key"
        assert f"{meta['grade_id']}_answer" in grade_ids, f"{meta['grade_id']} has no answer cell"
    assert set(key) == {nbgrader_meta(c)["grade_id"] for c in checks_here}


def test_first_code_cell_is_the_one_line_setup():
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert first.source.startswith("from chipcourse import "), path.name
        assert "\n" not in first.source.strip(), f"{path.name}: setup is one line"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_exercise_source_runs_clean(path):
    nb = execute(nbformat.read(path, as_version=4), path)
    assert [f"cell {i}: {what}" for i, _, what in errors_and_stderr(nb)] == []


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_exercise_structure(path):
    nb = nbformat.read(path, as_version=4)
    grades = [nbgrader_meta(c) for c in nb.cells if nbgrader_meta(c).get("grade")]
    auto = [m for m in grades if not m.get("solution")]
    manual = [m for m in grades if m.get("solution")]
    assert all(m.get("points", 0) > 0 for m in grades), "points on every graded cell"
    assert manual, "at least one manually graded written answer"
    ids_ = [m["grade_id"] for m in grades]
    assert len(ids_) == len(set(ids_)), "grade_ids are unique"
    assert all(not any(ch.isdigit() for ch in gid[:3]) or "_" in gid for gid in ids_)
    sources = [c.source for c in nb.cells if nbgrader_meta(c).get("grade")
               and not nbgrader_meta(c).get("solution")]
    assert all("BEGIN HIDDEN TESTS" in s for s in sources), "each autograded test has hidden tests"
    assert len(auto) >= (1 if path.parent.name.startswith("00") else 6)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_ends_with_the_learners_exercise_set_and_how_to_grade_it(path):
    """One step from the lesson to the student version (never to the instructor's source with its
    solutions), and the command that grades it; 00-start-here like every other lesson."""
    from chipcourse import teaching

    nb = nbformat.read(path, as_version=4)
    assignment = teaching.exercise_for(path).parent.name
    copy = f"assignments/{assignment}/{assignment}-exercises.ipynb"
    last = nb.cells[-1].source
    assert f"](../{copy})" in last, f"{path.name} should end with a link to ../{copy}"
    assert f"`make check NB={copy}`" in last
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "exercises/" not in markdown.replace("-exercises.ipynb", ""), \
        f"{path.name} points learners at exercises/, the instructor's sources with the solutions"
