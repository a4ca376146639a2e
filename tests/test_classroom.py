"""Running a class: the make targets' commands on a synthetic class with every bad case.

One course folder gets the warm-up set released and a class of submissions, one per
way grading can go wrong (chipcourse.classroom.synthetic.CASES), bracketed by ordinary
students so we can see the batch carried on. ``python -m chipcourse.classroom`` (what
``make autograde`` runs) grades it in one command; each case must end as expected.

Time limits are shortened for the test (a 15 s cell limit instead of 60 s, a 2 GiB
memory cap instead of 4 GiB) by appending to the copied nbgrader_config.py.

Each course folder holds its own copy of the ``chipcourse`` package and its data, and the
commands run from it, so the hostile cases (which try to rewrite the package) aim at that
copy and never at the checkout, even if confinement failed.
"""

from __future__ import annotations

import ast
import compileall
import csv
import errno
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chipcourse import limits, notebooks, sandbox
from chipcourse.classroom import Course, summarise
from chipcourse.classroom.grade import FAILED, GRADED, NOT_GRADABLE, Outcome, read_notebook
from chipcourse.classroom.report import misconceptions_hit, needs_help
from chipcourse.misconceptions import named_in
from chipcourse.classroom.selfcheck import identify_assignment, self_check
from chipcourse.classroom.synthetic import (CASES, DEMO_PROBLEMS, EXPECTED, HOSTILE, hostile_markers, make_cases,
                                            misconceived_answers)

from .test_pipeline import secret_lines, visible_text

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "00-warmup"
NAME = f"{ASSIGNMENT}-exercises.ipynb"
CLI = [sys.executable, "-m", "chipcourse.classroom"]
FAST = "\nc.Execute.timeout = 15\nc.TrustedExecute.probe_timeout = 5\nc.TrustedExecute.memory_limit_mb = 2048\n"


def cli(*args, course: Path, timeout=1200):
    """The class command, run from the course folder on the course's own package copy."""
    env = {**os.environ, "PYTHONPATH": str(course)}
    return subprocess.run([*CLI, "--course", str(course), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=course, env=env)


def new_course(tmp: Path, config: str = "") -> Path:
    shutil.copytree(notebooks.ROOT / "exercises" / ASSIGNMENT, tmp / "exercises" / ASSIGNMENT)
    shutil.copy(notebooks.ROOT / "nbgrader_config.py", tmp / "nbgrader_config.py")
    with open(tmp / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(FAST + config)
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    shutil.copytree(notebooks.ROOT / "chipcourse", tmp / "chipcourse", ignore=skip)
    shutil.copytree(notebooks.ROOT / "data", tmp / "data", ignore=skip)
    compileall.compile_dir(tmp / "chipcourse", quiet=1)  # the grader then writes no bytecode
    return tmp


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = new_course(tmp_path_factory.mktemp("class"))
    released = cli("release", course=root)
    assert released.returncode == 0, released.stderr
    students = make_cases(root, ASSIGNMENT, roster=["zz-last-00-correct"])
    students.update(make_cases(root, ASSIGNMENT, ["correct"], prefix="zz-last-"))
    run = cli("autograde", course=root)
    with open(root / "reports" / "autograde-summary.csv", encoding="utf-8") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return {"root": root, "students": students, "run": run, "rows": rows}


def autograded(graded_class, student) -> nbformat.NotebookNode:
    return nbformat.read(graded_class["root"] / "autograded" / student / ASSIGNMENT / NAME, as_version=4)


# ------------------------------------------------------------------ one command, every case

def test_one_command_grades_the_whole_class(graded_class):
    run = graded_class["run"]
    assert run.returncode == 0, run.stderr[-3000:]
    assert set(graded_class["rows"]) == set(graded_class["students"]), "every submission has a row"
    assert "Autograding" in run.stderr and "100%" in run.stderr, "a progress bar was shown"
    assert f"Autograded {len(graded_class['students'])} submissions" in run.stdout
    assert "Mean score per assignment" in run.stdout and f"  {ASSIGNMENT}: " in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_ends_as_expected(graded_class, case):
    student = next(s for s, c in graded_class["students"].items() if c == case and not s.startswith("zz"))
    row = graded_class["rows"][student]
    score, autograded_points = float(row["autograded_score"]), float(row["autograded_max"])
    expected = EXPECTED[case]
    assert row["status"] != FAILED, f"{case}: {row['notes']}"
    if expected == "not gradable":
        assert row["status"] == NOT_GRADABLE and score == 0 and row["notes"], row
    else:
        assert row["status"] == GRADED, row
        if expected == "full":
            assert score == autograded_points > 0, row
        elif expected == "zero":
            assert score == 0, row
        else:
            assert 0 < score < autograded_points, row


def test_the_batch_carried_on_after_every_bad_case(graded_class):
    row = graded_class["rows"]["zz-last-00-correct"]
    assert row["status"] == GRADED
    assert float(row["autograded_score"]) == float(row["autograded_max"]) > 0


@pytest.mark.parametrize("case, words", [
    ("test-edited", "were edited"), ("test-emptied", "was edited"), ("test-unlocked", "were unlocked"),
    ("test-deleted", "was missing"), ("duplicate-id", "was copied"),
    ("metadata-stripped", "was missing"), ("always-equal", "passed in the learner's kernel but failed"),
    ("snooping", "blocked"), ("infinite-loop", "did not stop"),
    ("memory-hog", "memory"), ("kernel-killed", "kernel stopped"), ("renamed", "renamed"),
    ("not-json", "not valid JSON"), ("not-a-notebook", "not a Jupyter notebook"),
    ("missing", "no notebook was submitted"), ("long-lines", "more than the grading limit"),
])
def test_each_problem_is_explained(graded_class, case, words):
    student = next(s for s, c in graded_class["students"].items() if c == case)
    assert words in graded_class["rows"][student]["notes"], graded_class["rows"][student]
    assert words in graded_class["run"].stdout, "the closing summary names it too"


def test_snooping_finds_nothing_useful(graded_class):
    student = next(s for s, c in graded_class["students"].items() if c == "snooping")
    nb = autograded(graded_class, student)
    snoop = next(c for c in nb.cells if c.cell_type == "code" and "sqlite3" in c.source)
    printed = "".join(o.get("text", "") for o in snoop.outputs if o.get("name") == "stdout")
    assert printed.strip() == "[[], 'PermissionError', 'PermissionError', 'PermissionError', 'PermissionError']"
    warned = "".join(o.get("text", "") for o in snoop.outputs if o.get("name") == "stderr")
    assert warned.count(sandbox.NOTICE) >= 5, warned
    for target in ("exercises/", "submitted", "gradebook.db", "subprocess.Popen"):
        assert target in warned, target
    source = nbformat.read(graded_class["root"] / "exercises" / ASSIGNMENT / NAME, as_version=4)
    text = json.dumps(snoop.outputs)
    assert "SOLUTION" not in text and "HIDDEN" not in text and "grade_id" not in text
    assert not any(line in text for line in secret_lines(source, "hidden"))


def test_a_flood_of_output_is_cut_short(graded_class):
    student = next(s for s, c in graded_class["students"].items() if c == "flood")
    path = graded_class["root"] / "autograded" / student / ASSIGNMENT / NAME
    assert path.stat().st_size < 500_000


def test_long_lines_are_cut_by_size(graded_class):
    """300 lines of 100 kB pass nbgrader's line limit (30 MB); the byte budget stops them."""
    student = next(s for s, c in graded_class["students"].items() if c == "long-lines")
    path = graded_class["root"] / "autograded" / student / ASSIGNMENT / NAME
    assert path.stat().st_size < 2_000_000
    nb = autograded(graded_class, student)
    cut = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if limits.NOTICE in o.get("text", "")]
    assert len(cut) == 1 and "1000 kB" in cut[0]["text"]


def test_a_huge_answer_is_refused_not_walked(graded_class):
    """A 50-million-item answer is recorded as too large (its test scores 0), the others count."""
    student = next(s for s, c in graded_class["students"].items() if c == "huge-answer")
    row = graded_class["rows"][student]
    correct = graded_class["rows"]["00-correct"]
    assert 0 < float(row["autograded_score"]) < float(correct["autograded_score"])
    nb = autograded(graded_class, student)
    assert "cannot be graded" in json.dumps([c.outputs for c in notebooks.autograded_tests(nb)])


def hostile_attempts(graded_class, case) -> str:
    """What the attempts of a hostile case got, as the case printed it."""
    student = next(s for s, c in graded_class["students"].items() if c == case)
    nb = autograded(graded_class, student)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if o.get("name") == "stdout" and o.get("text", "").startswith(f"{case}:"))
    assert printed, f"{case} did not run"
    return printed.split(":", 1)[1].strip()


#: attempts that may succeed, because they write only where the sandbox's private space is
PRIVATE = {"leaves-files": {6, 7}, "changes-environment": {4}}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_attempts_ran_and_were_refused(graded_class, case):
    printed = hostile_attempts(graded_class, case)
    if case == "leaves-process":
        assert printed == "started True"  # it started its thread and its process
        return
    attempts = ast.literal_eval(printed)
    refused = [a for i, a in enumerate(attempts) if i not in PRIVATE.get(case, set())]
    assert refused and "ok" not in refused, attempts
    assert all(a in errno.errorcode.values() or a in ("PermissionError", "OperationalError") for a in refused), attempts


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:  # the process ended meanwhile
        return ""


def test_hostile_cases_leave_nothing_behind(graded_class):
    root = graded_class["root"]
    left = [p for p in root.rglob("*") if p.name in ("numpy.py", "left-behind.txt", "left-by-a-process.txt",
                                                         "checks_new.py", "decoy.ipynb")]
    assert not left, left
    planted = [p for p in [*hostile_markers(), "/tmp/chipcourse-hostile-left-behind.txt"] if Path(p).exists()]
    for path in planted:  # never leave them for the next run (or another user of the machine)
        Path(path).unlink()
    assert not planted, planted
    alive = [p for p in Path("/proc").glob("[0-9]*/comm") if _read(p) == "hostile-daemon"]
    assert not alive, "a graded submission's process outlived its grading"
    with sqlite3.connect(root / "gradebook.db") as con:
        assert not con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        assert not con.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]


def test_a_hung_notebook_is_stopped_in_bounded_time(graded_class):
    student = next(s for s, c in graded_class["students"].items() if c == "infinite-loop")
    assert float(graded_class["rows"][student]["seconds"]) < 120
    nb = autograded(graded_class, student)
    assert any(o.get("ename") == "KernelStopped" for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_hidden_setup_cells_do_not_replace_the_learners_cells(graded_class):
    submitted, _ = read_notebook(graded_class["root"] / "submitted" / "00-correct" / ASSIGNMENT / NAME)
    nb = autograded(graded_class, "00-correct")
    assert [c.cell_type for c in nb.cells] == [c.cell_type for c in submitted.cells]
    answers = [c.source for c in submitted.cells if c.cell_type == "code" and "checks." not in c.source]
    assert answers == [c.source for c in nb.cells if c.cell_type == "code" and "checks." not in c.source]
    assert not any("chipcourse.sandbox" in c.source or "_chipcourse_grading" in c.source for c in nb.cells)
    assert nb.cells[0].source.startswith("# ")


# ------------------------------------------------------------------ after grading

def test_feedback_for_every_graded_student_without_hidden_tests(graded_class):
    root = graded_class["root"]
    run = cli("feedback", course=root)
    assert run.returncode == 0, run.stderr[-2000:]
    source = nbformat.read(root / "exercises" / ASSIGNMENT / NAME, as_version=4)
    secrets = secret_lines(source, "hidden")
    graded = [s for s, row in graded_class["rows"].items() if row["status"] == GRADED]
    for student in graded:
        page = root / "feedback" / student / ASSIGNMENT / NAME.replace(".ipynb", ".html")
        assert page.exists(), f"no feedback for {student}"
        text = visible_text(page.read_text(encoding="utf-8"))
        assert not any(" ".join(line.split()) in text for line in secrets), student


def test_grades_csv_lists_every_student(graded_class):
    root = graded_class["root"]
    run = cli("grades", course=root)
    assert run.returncode == 0, run.stderr[-2000:]
    with open(root / "reports" / "grades.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    students = {row["student_id"] for row in rows if row["assignment"] == ASSIGNMENT}
    assert students == set(graded_class["students"])
    zero = next(s for s, c in graded_class["students"].items() if c == "not-json")
    assert float(next(r for r in rows if r["student_id"] == zero)["raw_score"]) == 0


def test_class_report_is_offline_and_answers_the_four_questions(graded_class):
    root = graded_class["root"]
    run = cli("report", course=root)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (root / "reports" / "class-report.html").read_text(encoding="utf-8")
    for heading in ("How the class scored", "Which questions were hardest",
                    "Misconceptions the class hit most", "Students who need help"):
        assert heading in page
    assert page.count("<svg") >= 3 and page.count("<figure role='img' aria-label=") >= 3
    assert not re.search(r"""(src|href)=["']https?://""", page), "nothing is fetched"
    assert "<script" not in page
    assert "nm-is-a-millionth" in page, "the misconceived answer's mistake is counted"
    text = visible_text(page)
    ungradable = [s for s, c in graded_class["students"].items() if EXPECTED.get(c) == "not gradable"]
    assert f"Could not be graded: {len(ungradable)} submissions that were not a readable notebook" in text
    help_section = text[text.index("Students who need help"):]
    for case in ("blank", "not-json", "always-equal"):
        student = next(s for s, c in graded_class["students"].items() if c == case)
        assert student in help_section, f"{student} should be flagged for help"
    assert "zz-last-00-correct" not in help_section


def test_autograde_again_is_idempotent(graded_class):
    root = graded_class["root"]
    run = cli("autograde", "--student", "00-correct", course=root)
    assert run.returncode == 0 and "1 graded" in run.stdout, run.stdout + run.stderr[-2000:]


def test_two_workers_grade_exactly_as_one(tmp_path):
    """Grading with both cores gives the same gradebook as grading one at a time."""
    from nbgrader.api import Gradebook

    from chipcourse.classroom.synthetic import make_class

    scores = {}
    for jobs in (1, 2):
        root = new_course(tmp_path / f"jobs{jobs}")
        assert cli("release", course=root).returncode == 0
        made = make_class(root, ASSIGNMENT, size=6, seed=3)
        run = cli("autograde", "--jobs", str(jobs), course=root)
        assert run.returncode == 0 and "6 graded" in run.stdout, run.stdout + run.stderr[-2000:]
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            scores[jobs] = {(s, g.name): (g.auto_score, g.needs_manual_grade)
                            for s in made for g in gb.find_submission(ASSIGNMENT, s).notebooks[0].grades}
    assert scores[1] == scores[2] and len(scores[1]) == 6 * 5


# ------------------------------------------------------------------ self-check

def test_self_check_prints_verdicts_not_tests(graded_class, tmp_path):
    mine = tmp_path / "my-warmup.ipynb"
    shutil.copy(graded_class["root"] / "submitted" / "02-half-wrong" / ASSIGNMENT / NAME, mine)
    run = subprocess.run([*CLI, "check", str(mine)], capture_output=True, text=True, timeout=600,
                         cwd=notebooks.ROOT)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    out = run.stdout
    assert "Part A" in out and "nm_per_mm" in out and "0/1" in out and "✗" in out
    assert re.search(r"Score: 3 of 6 autograded points", out), out
    assert "written answers a teacher reads" in out
    source = nbformat.read(notebooks.ROOT / "exercises" / ASSIGNMENT / NAME, as_version=4)
    assert not any(line in out for line in secret_lines(source, "hidden"))


@pytest.mark.parametrize("content, words", [(None, "There is no notebook"),
                                            ("{oops", "not valid JSON"),
                                            ('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                                             "does not look like one of the course's exercise sets")])
def test_self_check_explains_what_it_cannot_grade(tmp_path, content, words):
    path = tmp_path / "homework.ipynb"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    run = subprocess.run([*CLI, "check", str(path)], capture_output=True, text=True, timeout=300,
                         cwd=notebooks.ROOT)
    assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_make_targets_call_the_classroom_commands():
    for target, command in [("release", "release"), ("autograde", "autograde"), ("feedback", "feedback"),
                            ("grades", "grades"), ("report", "report"), ("check NB=x.ipynb", "check")]:
        dry = subprocess.run(["make", "-n", "-C", str(notebooks.ROOT), *target.split()],
                             capture_output=True, text=True, timeout=60)
        assert f"-m chipcourse.classroom {command}" in dry.stdout, (target, dry.stdout)


# ------------------------------------------------------------------ pure parts

def test_sandbox_policy():
    policy = sandbox.policy_for("/course", "/course/autograded/ana/a1", ["/elsewhere/gradebook.db"])
    readable = ["/course/chipcourse/data.py", "/course/data/nodes.csv", "/course/.venv/lib/x.py",
                "/course/autograded/ana/a1/notes.txt", "/usr/lib/python3.11/os.py", "/tmp/x", 3]
    hidden = ["/course/exercises/a1/a1.ipynb", "/course/gradebook.db", "/course/submitted/bo/a1/x.ipynb",
              "/course/autograded/bo/a1/x.ipynb", "/course/autograded/ana/a1/../../bo/a1/x.ipynb",
              "/course", "/elsewhere/gradebook.db", b"/course/release/a1/a1.ipynb"]
    assert all(sandbox.is_readable(p, policy) for p in readable)
    assert not any(sandbox.is_readable(p, policy) for p in hidden)


def test_sandbox_reads_the_running_environment_wherever_it_is(tmp_path, monkeypatch):
    """make test-lowest grades with .venv-lowest: its packages stay readable, its neighbours do not."""
    course = tmp_path / "course"
    (course / ".venv-lowest" / "lib").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(course / ".venv-lowest"))
    policy = sandbox.policy_for(str(course), str(course / "autograded" / "ana"))
    assert sandbox.is_readable(str(course / ".venv-lowest" / "lib" / "x.py"), policy)
    assert not sandbox.is_readable(str(course / ".venv-other" / "lib" / "x.py"), policy)
    assert not sandbox.is_readable(str(course / "gradebook.db"), policy)


def test_sandbox_in_a_real_process(tmp_path):
    course = tmp_path / "course"
    (course / "secret").mkdir(parents=True)
    (course / "secret" / "key.txt").write_text("42")
    (course / "mine").mkdir()
    code = f"""
import subprocess, sys
from chipcourse import sandbox, data
sandbox.install({str(course)!r}, {str(course / 'mine')!r}, memory_mb=1024)
results = []
for attempt in (lambda: open({str(course / 'secret' / 'key.txt')!r}).read(),
                lambda: subprocess.run(['true']),
                lambda: bytearray(2 * 1024**3),
                lambda: __import__('resource').setrlimit(__import__('resource').RLIMIT_AS, (-1, -1))):
    try:
        attempt()
        results.append('allowed')
    except (PermissionError, MemoryError) as exc:
        results.append(type(exc).__name__)
results.append(len(data.load('nodes')) > 0)
open({str(course / 'mine' / 'out.txt')!r}, 'w').write('ok')
print(results)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['PermissionError', 'PermissionError', 'MemoryError', 'PermissionError', True]"


def test_read_notebook_sentences(tmp_path):
    bad = tmp_path / "x.ipynb"
    bad.write_bytes(b"\xff\xfe\x00")
    assert "not a text file" in read_notebook(bad)[1]
    bad.write_text("[1, 2]")
    assert "not a Jupyter notebook" in read_notebook(bad)[1]
    nb, why = read_notebook(notebooks.ROOT / "exercises" / ASSIGNMENT / NAME)
    assert nb is not None and why is None


def test_summary_counts_and_means():
    auto = {"autograded_max": 6}
    outcomes = [Outcome("a1", "ana", GRADED, 6, 8, 2, autograded_score=6, **auto),
                Outcome("a1", "bo", GRADED, 3, 8, 2, notes=["x"], autograded_score=3, **auto),
                # a blank written answer that nbgrader scored 0 by itself is not an autograded point
                Outcome("a1", "cy", NOT_GRADABLE, 0, 8, 0, notes=["not valid JSON"], **auto),
                # nor is a written answer a teacher has already graded
                Outcome("a1", "ed", GRADED, 8, 8, 0, autograded_score=6, **auto),
                Outcome("a1", "di", FAILED, notes=["grading failed: boom"])]
    text = summarise(outcomes, wall_seconds=12.4, jobs=2)
    assert "5 submissions in 12 s (2 at a time)" in text
    assert "3 graded, 1 not gradable (scored 0), 1 failed" in text
    assert "FAILED   di/a1: grading failed: boom" in text and "scored 0 cy/a1: not valid JSON" in text
    # mean over the four submissions that have a score: (6 + 3 + 0 + 6) / 4 of the 6 test points
    assert "a1: 3.8 of 6.0 autograded points over 4 submissions (62% of the autograded points)" in text
    # without a wall time, the submissions' own times are added up
    assert "1 submission in 3 s:" in summarise([Outcome("a1", "ana", GRADED, seconds=3.2)])


def test_misconceptions_and_help_tables():
    import pandas as pd

    from chipcourse.misconceptions import get

    millionth = get("nm-is-a-millionth").feedback()
    feedback = pd.DataFrame([
        {"assignment": "a", "student": "s1", "grade_id": "q1", "feedback": "✗ Not quite. " + millionth},
        {"assignment": "a", "student": "s2", "grade_id": "q1", "feedback": millionth},
        {"assignment": "a", "student": "s2", "grade_id": "q3", "feedback": "✗ Common mistake: something uncatalogued."},
        {"assignment": "a", "student": "s2", "grade_id": "q2", "feedback": "✓ Correct."}])
    hits = misconceptions_hit(feedback)
    assert hits["key"].tolist() == ["nm-is-a-millionth"] and hits.iloc[0]["students"] == 2
    grades = pd.DataFrame([
        {"assignment": "a", "student": "s1", "grade_id": "q1", "kind": "autograded", "score": 0.0, "max_score": 2.0},
        {"assignment": "a", "student": "s1", "grade_id": "q2", "kind": "autograded", "score": 1.0, "max_score": 2.0},
        {"assignment": "a", "student": "s2", "grade_id": "q1", "kind": "autograded", "score": 2.0, "max_score": 2.0},
        {"assignment": "a", "student": "s2", "grade_id": "q2", "kind": "autograded", "score": 2.0, "max_score": 2.0}])
    table = needs_help(grades)
    assert table["student"].tolist() == ["s1"] and "missed q1, q2" in table.iloc[0]["why"]


def test_identify_assignment_by_name_and_by_cells(tmp_path):
    source_root = notebooks.ROOT / "exercises"
    nb = nbformat.read(source_root / ASSIGNMENT / NAME, as_version=4)
    assert identify_assignment(nb, NAME, source_root) == ASSIGNMENT
    assert identify_assignment(nb, "homework (1).ipynb", source_root) == ASSIGNMENT
    with pytest.raises(ValueError, match="exercise sets"):
        identify_assignment(nbformat.v4.new_notebook(), "x.ipynb", source_root)


def test_course_requires_a_config(tmp_path):
    with pytest.raises(FileNotFoundError, match="nbgrader_config.py"):
        Course(tmp_path)


def test_demo_class_writes_ordinary_and_problem_submissions(tmp_path):
    root = new_course(tmp_path)
    run = cli("demo", "--size", "4", course=root)
    assert run.returncode == 0, run.stderr
    students = sorted(p.name for p in (root / "submitted").iterdir())
    assert students[:5] == [f"problem-{i:02d}-{case}" for i, case in enumerate(DEMO_PROBLEMS)]
    assert students[5:] == ["student000", "student001", "student002", "student003"]
    assert (root / "release" / ASSIGNMENT / NAME).exists(), "the demo releases the assignment first"
    assert "4 synthetic submissions and 5 problem submissions" in run.stdout
    broken = root / "submitted" / "problem-03-not-json" / ASSIGNMENT / NAME
    assert read_notebook(broken)[0] is None


def test_only_the_tamperer_is_flagged_for_a_kernel_and_replay_disagreement(graded_class):
    flagged = {graded_class["students"][s] for s, row in graded_class["rows"].items()
               if "passed in the learner's kernel" in row["notes"]}
    assert flagged == {"always-equal"}


@pytest.fixture(scope="module")
def released_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("released")
    shutil.copytree(notebooks.ROOT / "exercises", root / "exercises")
    shutil.copy(notebooks.ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    released = cli("release", course=root)
    assert released.returncode == 0, released.stderr
    return root


@pytest.mark.parametrize("assignment", sorted(p.name for p in (notebooks.ROOT / "exercises").iterdir() if p.is_dir()))
def test_every_mistake_a_hidden_test_anticipates_is_named_in_feedback(released_course, assignment, tmp_path):
    """The misconceived student answers each question with the wrong value its hidden test
    lists under misconceptions=; self-check must score it wrong and name the mistake."""
    name = f"{assignment}-exercises.ipynb"
    source = nbformat.read(released_course / "exercises" / assignment / name, as_version=4)
    anticipated = misconceived_answers(source)
    assert anticipated, f"{assignment}: no hidden test names a misconception"
    nbformat.write(CASES["misconceived"](source, nbformat.read(released_course / "release" / assignment / name,
                                                                 as_version=4)), tmp_path / name)
    results = self_check(tmp_path / name, notebooks.ROOT, echo=False)
    named = [r for r in results if named_in(r.feedback)]
    assert len(named) == len(anticipated), [(r.grade_id, r.feedback[:80]) for r in results]
    assert all(r.score < r.max_score for r in named)


# ------------------------------------------------------------------ self-check: what it says

@pytest.fixture(scope="module")
def warmup_release(tmp_path_factory):
    root = new_course(tmp_path_factory.mktemp("warmup"))
    released = cli("release", course=root)
    assert released.returncode == 0, released.stderr
    return nbformat.read(root / "release" / ASSIGNMENT / NAME, as_version=4)


def test_self_check_totals_and_verdicts_say_what_happened(warmup_release, tmp_path, capsys):
    """`make check` on a warm-up with one answer of each kind: the written answer left blank is not
    counted among the 6 autograded points, a wrong value whose visible test passed says the hidden
    tests failed (no "✓ Right kind of answer" beside a ✗), a syntax error and an unanswered cell are
    named as such (not only "x is not defined")."""
    nb = nbformat.v4.new_notebook(**{k: v for k, v in warmup_release.items() if k != "cells"})
    nb.cells = [nbformat.from_dict(c) for c in warmup_release.cells]
    answers = {"nm_per_mm_answer": "nm_per_mm = 2000",                     # wrong value, right kind
               "euv_wavelength_um_answer": "euv_um = 13.5 /",               # a syntax error
               "hair_to_blood_cell_ratio_answer": "hair_per_cell = 10.0"}   # Part C stays as released
    for cell in nb.cells:
        grade_id = notebooks.nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    mine = tmp_path / NAME
    nbformat.write(nb, mine)
    results = {r.grade_id: r for r in self_check(mine, notebooks.ROOT, echo=False)}
    from chipcourse.classroom.selfcheck import format_results

    text = format_results(list(results.values()), [])
    assert "Score: 0 of 6 autograded points (2 more points are for written answers a teacher reads)." in text, text
    assert results["why_sources_matter"].score is None
    assert "not written yet" in results["why_sources_matter"].feedback
    a = results["nm_per_mm"].feedback
    assert a.startswith("✗ The visible test passed") and "hidden tests did not" in a and "Right kind" not in a, a
    assert "You gave 2000" in a, a
    b = results["euv_wavelength_um"].feedback
    assert "syntax error" in b and "not defined" not in b, b
    c = results["objects_below_1um"].feedback
    assert c.startswith("✗ Not answered yet") and "NotImplementedError" in c, c


# ------------------------------------------------------------------ feedback pages and grades.csv

@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """The warm-up released and graded for three students (right, blank, half wrong), one more
    student who handed nothing in, and a set in the gradebook that was never released."""
    from nbgrader.api import Gradebook

    root = new_course(tmp_path_factory.mktemp("small-class"))
    assert cli("release", course=root).returncode == 0
    students = make_cases(root, ASSIGNMENT, ["correct", "blank", "half-wrong"])
    run = cli("autograde", course=root)
    assert run.returncode == 0, run.stderr[-2000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_student("dee-absent")
        gb.update_or_create_assignment("99-not-released")
    for command in ("feedback", "grades"):
        done = cli(command, course=root)
        assert done.returncode == 0, done.stderr[-2000:]
    pages = {case: root / "feedback" / student / ASSIGNMENT / NAME.replace(".ipynb", ".html")
             for student, case in students.items()}
    return {"root": root, "students": students, "pages": pages}


def _cell_heading(page: str, grade_id: str) -> str:
    """The heading nbgrader writes above the graded cell ``grade_id`` (its score line)."""
    start = page.index(f'<a name="{grade_id}"></a>')
    return visible_text(page[start:page.index("</div>", start)])


def test_feedback_marks_a_written_answer_that_awaits_a_teacher(small_class):
    page = small_class["pages"]["correct"].read_text(encoding="utf-8")
    heading = _cell_heading(page, "why_sources_matter")
    assert "Awaiting a teacher" in heading and "Score: 0.0 / 2.0" not in heading, heading
    toc = visible_text(page[page.index('<div id="toc">'):page.index("</ol>")])
    assert "Written response (Awaiting a teacher: not graded yet, worth 2.0 points)" in toc, toc
    assert "2.0 of these points await a teacher" in visible_text(page)
    # a written answer left blank was scored 0 by nbgrader: that is a score, not a wait
    blank = small_class["pages"]["blank"].read_text(encoding="utf-8")
    assert "Score: 0.0 / 2.0" in _cell_heading(blank, "why_sources_matter")
    assert "Awaiting a teacher" not in blank and "await a teacher" not in blank


def test_feedback_pages_load_nothing_from_the_internet(small_class):
    for case, path in small_class["pages"].items():
        page = path.read_text(encoding="utf-8")
        remote = re.findall(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//[^"' >]+""", page)
        assert remote == [], f"{case}: {remote}"
        assert not re.search(r"<script[^>]*mathjax|MathJax\.Hub", page, re.IGNORECASE), case


def test_grades_csv_tells_not_submitted_and_not_released_from_a_zero(small_class):
    with open(small_class["root"] / "reports" / "grades.csv", encoding="utf-8") as handle:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(handle)}
    by_case = {case: student for student, case in small_class["students"].items()}
    blank = rows[by_case["blank"], ASSIGNMENT]
    assert blank["status"] == "graded" and float(blank["score"]) == 0.0        # a real 0
    correct = rows[by_case["correct"], ASSIGNMENT]
    assert correct["status"] == "awaiting a teacher" and float(correct["points_awaiting_teacher"]) == 2.0
    absent = rows["dee-absent", ASSIGNMENT]
    assert absent["status"] == "not submitted" and absent["score"] == "" and absent["raw_score"] == ""
    unreleased = rows[by_case["correct"], "99-not-released"]
    assert unreleased["status"] == "not released" and unreleased["score"] == ""


@pytest.mark.browser
def test_feedback_page_works_offline_in_chromium(small_class, tmp_path):
    """A learner opens their feedback page with the network blocked: nothing is requested outside
    127.0.0.1, the page shows its scores and the wait for a teacher, and the checker's sentences
    wrap between words (nbconvert's break-all split "check agai / n.")."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM, FLAGS, _need_browser

    _need_browser()
    root = small_class["root"] / "feedback"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    outside = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            context = browser.new_context(viewport={"width": 700, "height": 900})

            def guard(route):
                if route.request.url.startswith((base, "data:", "blob:")):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            page = context.new_page()
            for case in ("correct", "half-wrong"):
                relative = small_class["pages"][case].relative_to(root).as_posix()
                page.goto(f"{base}/{relative}", wait_until="load")
                assert page.title().startswith("Feedback: ")
                assert page.locator("text=Score:").count() > 0
                errors = page.locator(".output_error pre, .output_stderr pre")
                assert errors.count() > 0 or case == "correct"
                for i in range(errors.count()):
                    assert errors.nth(i).evaluate("e => getComputedStyle(e).wordBreak") != "break-all"
                    assert "\n" not in errors.nth(i).text_content().strip(), "one sentence, wrapped by the page"
                if case == "correct":
                    assert page.get_by_text("Awaiting a teacher").first.is_visible()
                page.screenshot(path=str(tmp_path / f"feedback-{case}.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert outside == [], f"the feedback page reached for the network: {outside[:5]}"


def test_learner_copies_are_student_versions_and_never_replaced(tmp_path):
    from chipcourse.classroom.learner import copy_path, learner_copies

    root = new_course(tmp_path)
    made = learner_copies(root)
    copy = copy_path(root, ASSIGNMENT, NAME.removesuffix(".ipynb"))
    assert made == [copy] and copy.exists()
    assert not (root / "release").exists() and not (root / "gradebook.db").exists(), "the teacher's folders stay as they were"
    nb = nbformat.read(copy, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "raise NotImplementedError" in text
    source = nbformat.read(root / "exercises" / ASSIGNMENT / NAME, as_version=4)
    ids = lambda book: [notebooks.nbgrader_meta(c).get("grade_id") for c in book.cells]  # noqa: E731
    assert ids(nb) == ids(source)
    nb.cells[2].source = "# my work"
    nbformat.write(nb, copy)
    assert learner_copies(root) == []
    assert nbformat.read(copy, as_version=4).cells[2].source == "# my work", "a learner's work is kept"
