"""Grading a class in parallel shards gives the gradebook serial grading gives."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest

from chipcourse import notebooks, shards


def test_split_deals_students_round_robin():
    assert shards.split(["a", "b", "c", "d", "e"], 2) == [["a", "c", "e"], ["b", "d"]]
    assert shards.split(["a"], 4) == [["a"]]
    assert shards.split(["a", "b"], 0) == [["a", "b"]]


@pytest.mark.pipeline
def test_sharded_grading_matches_serial_grading(tmp_path):
    from nbgrader.api import Gradebook

    assignment = notebooks.exercises()[0].parent.name
    course = tmp_path / "course"
    shutil.copytree(notebooks.ROOT / "exercises" / assignment, course / "exercises" / assignment)
    shutil.copy(notebooks.ROOT / "nbgrader_config.py", course)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", assignment, "--force"], cwd=course, check=True,
                   capture_output=True)
    name = f"{assignment}-exercises.ipynb"
    source = nbformat.read(course / "exercises" / assignment / name, as_version=4)
    for i, nb in enumerate([source, notebooks.with_wrong_answers(source), notebooks.with_wrong_answers(source, 1)]):
        (course / "submitted" / f"s{i}" / assignment).mkdir(parents=True)
        nbformat.write(nb, course / "submitted" / f"s{i}" / assignment / name)
    serial = shutil.copytree(course, tmp_path / "serial")
    subprocess.run([*nbgrader, "autograde", assignment, "--create"], cwd=serial, check=True, capture_output=True)

    result = shards.autograde(course, assignment, jobs=2)

    assert result == {"graded": ["s0", "s1", "s2"], "failed": {}}

    def grades(folder):
        with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gb:
            return {(s.student_id, g.name): (g.auto_score, g.needs_manual_grade)
                    for s in gb.assignment_submissions(assignment) for nb in s.notebooks for g in nb.grades}

    assert grades(course) == grades(serial) and len({score for score in grades(course).values()}) > 1
    for student in ("s0", "s1", "s2"):
        assert (course / "autograded" / student / assignment / name).exists()
    assert not list(course.glob(".shards-*")), "the shard folders are removed"
