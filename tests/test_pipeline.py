"""The real nbgrader pipeline on every assignment in exercises/, with simulated students.

generate_assignment -> autograde (correct, blank, half wrong, tampering) -> generate_feedback,
run as the nbgrader command-line tools with the course's own nbgrader_config.py.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from chipcourse import notebooks
from chipcourse.classroom.synthetic import TAMPER, answer_name
from chipcourse.notebooks import graded_answer_cells, nbgrader_meta, with_wrong_answers

pytestmark = pytest.mark.pipeline

ASSIGNMENTS = [p.parent.name for p in notebooks.exercises()]
NBGRADER = [sys.executable, "-m", "nbgrader"]



def run(*args, cwd):
    result = subprocess.run([*NBGRADER, *args], cwd=cwd, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def region_lines(nb, begin: str, end: str) -> list[str]:
    """Non-trivial lines between ``begin`` and ``end`` markers, over all cells."""
    lines, inside = [], False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if begin in line:
                inside = True
            elif end in line:
                inside = False
            elif inside and len(line.strip()) > 12:
                lines.append(line.strip())
    return lines


def hidden_lines(nb) -> list[str]:
    return region_lines(nb, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def solution_lines(nb) -> list[str]:
    return region_lines(nb, "BEGIN SOLUTION", "END SOLUTION")


def public_lines(nb) -> set[str]:
    """Lines outside solution and hidden-test regions (these may appear anywhere)."""
    out, inside = set(), False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                inside = False
            elif not inside:
                out.add(line.strip())
    return out


def secret_lines(nb, kind) -> list[str]:
    public = "\n".join(public_lines(nb))
    lines = hidden_lines(nb) if kind == "hidden" else hidden_lines(nb) + solution_lines(nb)
    secret = [line for line in lines if line not in public]
    assert secret, "the hidden tests and solutions have lines of their own"
    return secret


def visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def course(request, tmp_path_factory):
    """A course folder with one assignment released, submitted by four students, graded."""
    assignment = request.param
    root = tmp_path_factory.mktemp(assignment)
    shutil.copytree(notebooks.ROOT / "exercises" / assignment, root / "exercises" / assignment)
    shutil.copy(notebooks.ROOT / "nbgrader_config.py", root)
    run("generate_assignment", assignment, "--force", cwd=root)

    name = f"{assignment}-exercises.ipynb"
    source = nbformat.read(root / "exercises" / assignment / name, as_version=4)
    release = nbformat.read(root / "release" / assignment / name, as_version=4)

    def submit(student, nb):
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / name)

    submit("correct", source)
    submit("blank", release)

    submit("halfwrong", with_wrong_answers(source))

    tamper = nbformat.from_dict(release)
    for cell in graded_answer_cells(tamper):
        cell.source = f"{answer_name(next(c for c in source.cells if nbgrader_meta(c).get('grade_id') == nbgrader_meta(cell)['grade_id']))} = _Yes()"
    first_code = next(i for i, c in enumerate(tamper.cells) if c.cell_type == "code")
    tamper.cells.insert(first_code + 1, nbformat.v4.new_code_cell(TAMPER))
    submit("tamper", tamper)

    run("autograde", assignment, "--create", cwd=root)
    run("generate_feedback", assignment, cwd=root)
    return {"root": root, "assignment": assignment, "name": name, "source": source}


def scores(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course['root'] / 'gradebook.db'}") as gb:
        out = {}
        for student in ("correct", "blank", "halfwrong", "tamper"):
            nb = gb.find_submission(course["assignment"], student).notebooks[0]
            out[student] = {g.name: (g.auto_score, g.max_score) for g in nb.grades
                            if g.cell.cell_type == "code"}
        return out


def autograded_ids(course):
    return [nbgrader_meta(c)["grade_id"] for c in notebooks.autograded_tests(course["source"])]


def release_text(course) -> str:
    nb = nbformat.read(course["root"] / "release" / course["assignment"] / course["name"], as_version=4)
    return "\n".join(c.source for c in nb.cells)


def test_release_has_no_solutions_or_hidden_tests(course):
    text = release_text(course)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    for line in secret_lines(course["source"], "all"):
        assert line not in text, f"leaked into the release: {line}"


def test_correct_gets_full_marks_blank_gets_zero(course):
    got = scores(course)
    for gid in autograded_ids(course):
        score, maximum = got["correct"][gid]
        assert score == maximum, f"correct answer to {gid} scored {score}/{maximum}"
        assert got["blank"][gid][0] == 0, f"blank {gid} scored {got['blank'][gid]}"


def test_wrong_answers_get_partial_credit(course):
    got = scores(course)["halfwrong"]
    total = sum(s for s, _ in got.values())
    maximum = sum(m for _, m in got.values())
    assert 0 < total < maximum


def test_tampering_gains_nothing(course):
    got = scores(course)["tamper"]
    assert got and all(score == 0 for score, _ in got.values()), got


def test_written_answers_wait_for_the_teacher(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course['root'] / 'gradebook.db'}") as gb:
        nb = gb.find_submission(course["assignment"], "correct").notebooks[0]
        manual = [g for g in nb.grades if g.cell.cell_type == "markdown"]
        assert manual and all(g.needs_manual_grade for g in manual)


def feedback(course, student) -> str:
    path = course["root"] / "feedback" / student / course["assignment"] / course["name"].replace(".ipynb", ".html")
    assert path.exists(), f"no feedback for {student}"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("student", ["correct", "blank", "halfwrong", "tamper"])
def test_feedback_hides_the_hidden_tests(course, student):
    text = visible_text(feedback(course, student))
    for line in secret_lines(course["source"], "hidden"):
        assert " ".join(line.split()) not in text, f"hidden test shown to {student}: {line}"


def test_feedback_carries_the_checkers_words(course):
    text = visible_text(feedback(course, "halfwrong"))
    assert "✗" in text and ("Not quite" in text or "You gave" in text or "should be" in text)
    assert "✓ Correct" in visible_text(feedback(course, "correct"))
