"""make export LMS=canvas|moodle: nbgrader's gradebook as the CSV an LMS imports."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from chipcourse.classroom import Course, autograde, release
from chipcourse.classroom.lms import export, read_gradebook
from chipcourse.classroom.synthetic import make_cases

from .test_classroom import ASSIGNMENT, new_course

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = new_course(tmp_path_factory.mktemp("lms"))
    course = Course(root)
    release(course)
    made = make_cases(root, ASSIGNMENT, ["correct", "blank"], prefix="s")   # s00-correct, s01-blank
    assert sorted(made) == ["s00-correct", "s01-blank"]
    autograde(course, ASSIGNMENT, progress=False, jobs=1)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:   # on the roster, never submitted
        gb.update_or_create_student("s02-absent", first_name="Abe", last_name="Sent", email="abe@example.org")
    return course


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_file_has_points_possible_and_every_score(course, tmp_path):
    assignments, _, scores, _ = read_gradebook(course)
    done = export(course, "canvas", path=tmp_path / "canvas.csv")
    rows = _rows(done.path)
    header, points = rows[0], rows[1]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == [name for name, _ in assignments]
    column = header.index(ASSIGNMENT)
    assert points[0] == "Points Possible" and float(points[column]) == dict(assignments)[ASSIGNMENT] > 0
    by_login = {row[3]: row for row in rows[2:]}
    assert float(by_login["s00-correct"][column]) == scores["s00-correct", ASSIGNMENT] > 0
    assert float(by_login["s01-blank"][column]) == 0
    assert by_login["s02-absent"][column] == ""     # absent, not a silent 0
    assert any(p.startswith(f"s02-absent has no submission for {ASSIGNMENT}") for p in done.problems)
    assert by_login["s02-absent"][0] == "Sent, Abe"


def test_moodle_file_names_points_and_reports_written_answers_waiting(course, tmp_path):
    done = export(course, "moodle", path=tmp_path / "moodle.csv")
    rows = _rows(done.path)
    assert rows[0][:4] == ["First name", "Last name", "ID number", "Email address"]
    maximum = dict(read_gradebook(course)[0])[ASSIGNMENT]
    assert rows[0][4] == f"{ASSIGNMENT} (out of {maximum:g})"
    absent = next(r for r in rows if r[2] == "s02-absent")
    assert absent[3] == "abe@example.org" and absent[4] == ""
    # the warm-up has a written answer a teacher reads: its points are still waiting
    assert any(p.startswith(f"s00-correct/{ASSIGNMENT}:") and "not graded yet" in p for p in done.problems)


def test_students_missing_from_either_list_are_reported(course, tmp_path):
    roster = tmp_path / "canvas-roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                      "Points Possible,,,,\n"
                      '"Correct, Sam",101,u-101,s00-correct,Section A\n'
                      '"Stranger, Tim",102,u-102,t-stranger,Section A\n')
    done = export(course, "canvas", roster=roster, path=tmp_path / "canvas.csv")
    problems = " ".join(done.problems)
    assert "s01-blank is in the gradebook but not in the canvas roster" in problems
    assert "t-stranger is in the canvas roster but not in the gradebook" in problems
    row = next(r for r in _rows(done.path) if r[3] == "s00-correct")
    assert row[:5] == ["Correct, Sam", "101", "u-101", "s00-correct", "Section A"]


def test_make_export_command_reports_in_sentences(course, tmp_path):
    result = subprocess.run([sys.executable, "-m", "chipcourse.classroom", "--course", str(course.root),
                             "export", "--lms", "blackboard"], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "LMS 'blackboard' is not supported: use one of canvas, moodle" in result.stderr
    result = subprocess.run([sys.executable, "-m", "chipcourse.classroom", "--course", str(course.root),
                             "export", "--lms", "moodle", "--to", str(tmp_path / "m.csv")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "moodle grades written to" in result.stdout and "s02-absent has no submission" in result.stdout
