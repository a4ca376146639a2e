"""Grading confined by the operating system: what a submission can no longer change.

The class tests (test_classroom.py) grade one submission per hostile case with both layers
on (bubblewrap and the audit hooks). Here:

* the pieces, one by one: the sandbox a confined command runs in, the refusal where it
  cannot run, the replay's verified imports, the course manifest, the gradebook check,
  the output budget and the reading of broken files;
* a class with every hostile case between ordinary students, graded with the audit
  hooks turned off (``c.TrustedExecute.sandbox = False``), so that only the operating
  system stands in the way: graded forwards and backwards, every student gets exactly
  the grades they get in a class without the hostile cases, and the course folder is
  byte for byte what it was apart from the grader's own outputs;
* the weaker ``audit-hooks-only`` mode, which a teacher may choose: there a submission
  can still reach the gradebook, and the class summary says so.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from chipcourse import answers, confinement, integrity, intake, limits, notebooks
from chipcourse.classroom.grade import GRADED
from chipcourse.classroom.synthetic import HOSTILE, make_cases
from chipcourse.replayer import Replayer, ReplayUnavailable

from .test_classroom import ASSIGNMENT, NAME, cli, new_course

BWRAP = confinement.refusal(confinement.CONFINED) is None
needs_bwrap = pytest.mark.skipif(not BWRAP and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
                                 reason="bubblewrap cannot run here (make test installs it)")


def confined(code: str, tmp_path: Path, **kwargs) -> subprocess.CompletedProcess:
    """``code`` run by this Python inside the sandbox a graded kernel gets."""
    layout = confinement.Layout.of_this_process()
    command = confinement.confined_command([sys.executable, "-c", textwrap.dedent(code)], layout,
                                           cwd="/tmp", **kwargs)
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------ the sandbox itself

@needs_bwrap
def test_a_confined_process_sees_the_course_read_only_and_nothing_else(tmp_path, marker_env):
    gradebook = tmp_path / "gradebook.db"
    gradebook.write_text("secret")
    run = confined(f"""
        import errno, os, socket, chipcourse, chipcourse.checks
        from chipcourse import data
        out = {{"uid": os.getuid(), "home": os.environ["HOME"], "marker": os.environ.get("CHIPCOURSE_TEST_MARKER")}}
        try:
            open(chipcourse.checks.__file__, "a")
        except OSError as exc:
            out["write package"] = errno.errorcode[exc.errno]
        out["gradebook visible"] = os.path.exists({str(gradebook)!r})
        out["tables"] = len(data.tables()) > 0
        try:
            socket.create_connection(("127.0.0.1", 22), timeout=2)
        except OSError as exc:
            out["network"] = type(exc).__name__
        print(out)
    """, tmp_path)
    assert run.returncode == 0, run.stderr
    out = ast.literal_eval(run.stdout.strip())
    if os.geteuid() == 0:
        assert out["uid"] == confinement.sandbox_ids()[0] != 0, "root grades as nobody"
    assert out["write package"] in ("EROFS", "EACCES")
    assert out["gradebook visible"] is False and out["tables"] is True
    assert out["home"] == "/tmp" and out["marker"] is None, "the grader's environment stays outside"
    assert out["network"] in ("OSError", "ConnectionRefusedError"), out


@pytest.fixture
def marker_env(monkeypatch):
    monkeypatch.setenv("CHIPCOURSE_TEST_MARKER", "from the grader")


@needs_bwrap
def test_a_process_left_running_dies_with_the_sandbox(tmp_path):
    tag = f"chipcourse-orphan-{os.getpid()}"
    run = confined(f"""
        import os, subprocess, sys
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", {tag!r}], start_new_session=True)
        print("left it running")
    """, tmp_path)
    assert run.returncode == 0 and "left it running" in run.stdout, run.stderr
    alive = [p for p in Path("/proc").glob("[0-9]*/cmdline") if tag.encode() in _read(p)]
    assert not alive, "a process started in the sandbox outlived it"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


@needs_bwrap
def test_the_submission_gets_a_private_copy_of_its_folder(tmp_path):
    submission = tmp_path / "autograded" / "ana" / "a1"
    submission.mkdir(parents=True)
    (submission / "mine.csv").write_text("1,2\n")
    (submission / "a1.ipynb").write_text("the sanitised notebook holds the hidden tests")
    workspace = confinement.Workspace(str(submission), confined=True)
    try:
        layout = confinement.Layout.of_this_process()
        command = confinement.confined_command(
            ["/bin/sh", "-c", "ls; echo new > mine.csv; echo x > left.txt"], layout, cwd=str(submission),
            copy_from=workspace.copy)
        run = subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        workspace.close()
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["mine.csv"], "its own files, not the notebook with the hidden tests"
    assert (submission / "mine.csv").read_text() == "1,2\n" and not (submission / "left.txt").exists()
    assert not Path(workspace.root).exists()


def test_only_outermost_folders_are_bound():
    assert confinement._outermost(["/usr/lib/python3", "/etc", str(notebooks.ROOT), str(notebooks.ROOT / "data"),
                                   "/nonexistent"]) == [str(notebooks.ROOT)]


# ------------------------------------------------------------------ where it cannot run

def test_a_missing_bwrap_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setattr(confinement.shutil, "which", lambda name: None)
    confinement.refusal.cache_clear()
    try:
        why = confinement.refusal(confinement.CONFINED)
        assert "apt-get install bubblewrap" in why and 'confinement = "audit-hooks-only"' in why
        with pytest.raises(confinement.Unavailable, match="not installed"):
            confinement.require(confinement.CONFINED)
        assert confinement.refusal(confinement.AUDIT_HOOKS_ONLY) is None, "the weaker mode is the teacher's choice"
    finally:
        confinement.refusal.cache_clear()


def test_unusable_user_namespaces_are_refused_with_the_reason(monkeypatch):
    def fails(*args, **kwargs):
        return subprocess.CompletedProcess(args, 1, "", "bwrap: setting up uid map: Permission denied\n")

    monkeypatch.setattr(confinement.subprocess, "run", fails)
    monkeypatch.setattr(confinement.shutil, "which", lambda name: f"/usr/bin/{name}")
    confinement.refusal.cache_clear()
    try:
        why = confinement.refusal(confinement.CONFINED)
        assert "setting up uid map: Permission denied" in why and "user namespaces" in why
    finally:
        confinement.refusal.cache_clear()


@pytest.mark.pipeline
def test_both_commands_refuse_rather_than_grade_unconfined(tmp_path):
    """An unusable confinement setting stops grading with one sentence and records nothing."""
    root = new_course(tmp_path, '\nc.TrustedExecute.confinement = "container"\n')
    assert cli("release", course=root).returncode == 0
    make_cases(root, ASSIGNMENT, ["correct"])
    run = cli("autograde", course=root)
    assert run.returncode == 2 and "not one of 'bubblewrap', 'audit-hooks-only'" in run.stderr, run.stderr
    plain = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=root,
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PYTHONPATH": str(root)})
    assert plain.returncode != 0 and "not one of 'bubblewrap'" in plain.stdout + plain.stderr
    assert "Traceback" not in plain.stdout + plain.stderr
    with sqlite3.connect(root / "gradebook.db") as con:
        assert con.execute("SELECT COUNT(*) FROM grade WHERE auto_score IS NOT NULL").fetchone()[0] == 0


# ------------------------------------------------------------------ the replay

@pytest.fixture
def course_copy(tmp_path):
    """A copy of the package and data, and its manifest."""
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(notebooks.ROOT / "chipcourse", tmp_path / "chipcourse", ignore=skip)
    shutil.copytree(notebooks.ROOT / "data", tmp_path / "data", ignore=skip)
    return tmp_path, integrity.manifest(str(tmp_path / "chipcourse"), str(tmp_path / "data"))


TEST = "from chipcourse import checks\nchecks.check_number(answer, 5, what='answer')"


def snap(**values):
    return json.dumps({k: answers.encode(v) for k, v in values.items()})


def test_the_replay_runs_isolated_on_the_verified_course(course_copy, monkeypatch, tmp_path):
    root, recorded = course_copy
    (tmp_path / "numpy.py").write_text("raise ImportError('shadowed')\n")  # in the grader's folder
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    replayer = Replayer(recorded)
    try:
        assert replayer.replay(TEST, snap(answer=5), 60).passed
        assert "too large" in replayer.replay(TEST, snap(answer=7), 60).message
        where = replayer.replay(
            "import sys, os, chipcourse.checks as c\n"
            "assert '' not in sys.path and os.getcwd() not in sys.path and not any('site-packages' in p and "
            "'.local' in p for p in sys.path)\n"
            f"assert c.__file__ == {str(root / 'chipcourse' / 'checks.py')!r}, c.__file__\n"
            "assert type(c.__spec__.loader).__name__ == '_VerifiedCourse'", snap(), 60)
        assert where.passed, where.message
    finally:
        replayer.close()


def test_a_changed_course_is_refused_by_the_replay(course_copy):
    root, recorded = course_copy
    with open(root / "chipcourse" / "checks.py", "a", encoding="utf-8") as handle:
        handle.write("\ncheck_number = lambda *a, **k: None\n")
    replayer = Replayer(recorded)
    try:
        with pytest.raises(ReplayUnavailable, match=r"differs from when grading started: chipcourse/checks.py"):
            replayer.replay(TEST, snap(answer=7), 60)
    finally:
        replayer.close()
    assert integrity.changed_files(recorded) == ["chipcourse/checks.py (changed)"]


def test_a_replay_that_runs_too_long_is_stopped(course_copy):
    _, recorded = course_copy
    replayer = Replayer(recorded)
    try:
        verdict = replayer.replay("while True:\n    pass", snap(), 3)
        assert not verdict.passed and verdict.ename == "GradingError" and "more than 3 s" in verdict.message
        assert replayer.replay(TEST, snap(answer=5), 60).passed, "the next test gets a fresh process"
    finally:
        replayer.close()


def test_the_manifest_names_added_and_removed_files(course_copy):
    root, recorded = course_copy
    (root / "data" / "extra.csv").write_text("x\n")
    (root / "chipcourse" / "units.py").unlink()
    (root / "chipcourse" / "__pycache__").mkdir(exist_ok=True)
    (root / "chipcourse" / "__pycache__" / "x.pyc").write_bytes(b"bytecode is not trusted, so not listed")
    assert integrity.changed_files(recorded) == ["chipcourse/units.py (removed)", "data/extra.csv (added)"]


# ------------------------------------------------------------------ the gradebook

@pytest.mark.filterwarnings("ignore:.*not in session")
def test_gradebook_tampering_is_named(tmp_path):
    from nbgrader.api import Gradebook

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("q1", "nb", "a1", max_score=2, cell_type="code")
        gb.add_student("ana")
        gb.add_submission("a1", "ana")
    before = integrity.gradebook_state(integrity.db_path(url))
    with Gradebook(url) as gb:  # what autograding writes is not a change
        grade = gb.find_grade("q1", "nb", "a1", "ana")
        grade.auto_score = 1
        gb.db.commit()
    assert integrity.gradebook_changes(before, integrity.gradebook_state(integrity.db_path(url))) == []
    with sqlite3.connect(tmp_path / "gradebook.db") as con:
        con.execute("UPDATE grade SET manual_score = 2")
        con.execute("UPDATE grade_cells SET max_score = 100")
        con.execute("CREATE TRIGGER sneaky AFTER UPDATE ON grade BEGIN SELECT 1; END")
    changes = integrity.gradebook_changes(before, integrity.gradebook_state(integrity.db_path(url)))
    assert changes == ["trigger sneaky added", "the assignment definitions in table grade_cells changed",
                       "manual score of ana/a1/nb/q1 set to 2.0 (was None)"]


# ------------------------------------------------------------------ output and broken files

def test_the_output_budget_counts_bytes():
    from nbformat.v4 import new_output

    budget = limits.OutputBudget(per_cell=1000, per_notebook=1500)
    outs = [new_output("stream", name="stdout", text="x" * 900)]
    assert budget.admit(outs, outs[-1], 0)
    outs.append(new_output("stream", name="stdout", text="y" * 200))
    assert not budget.admit(outs, outs[-1], 0)
    assert outs[1]["text"] == "" and limits.NOTICE in outs[2]["text"] and "1 kB" in outs[2]["text"]
    other = [new_output("display_data", data={"text/html": "z" * 700})]
    assert not budget.admit(other, other[0], 1), "past the notebook's budget"
    assert "over the size limit" in other[0]["data"]["text/plain"] and "notebook's output" in other[1]["text"]


def test_broken_files_are_named_and_format_3_is_read(tmp_path):
    source = nbformat.read(notebooks.ROOT / "exercises" / ASSIGNMENT / NAME, as_version=4)
    empty, cut, old = tmp_path / "empty.ipynb", tmp_path / "cut.ipynb", tmp_path / "old.ipynb"
    empty.write_text("")
    cut.write_text(nbformat.writes(source)[:2000])
    old.write_text(nbformat.writes(nbformat.convert(copy.deepcopy(source), 3), version=3))
    assert "empty.ipynb is empty" in intake.read_notebook(empty)[1]
    assert "not valid JSON" in intake.read_notebook(cut)[1] and "cut short" in intake.read_notebook(cut)[1]
    nb, why = intake.read_notebook(old)
    assert why is None and nb.metadata["orig_nbformat"] == 3
    assert [notebooks.nbgrader_meta(c).get("grade_id") for c in nb.cells] == \
        [notebooks.nbgrader_meta(c).get("grade_id") for c in source.cells]


@pytest.mark.pipeline
def test_both_grading_paths_treat_broken_files_alike(tmp_path):
    """Empty and cut-short notebooks score 0 with the reason; a format-3 notebook is graded,
    by `make autograde` and by a plain `nbgrader autograde` alike."""
    scores, logs = {}, {}
    for path in ("classroom", "nbgrader"):
        root = new_course(tmp_path / path)
        assert cli("release", course=root).returncode == 0
        make_cases(root, ASSIGNMENT, ["correct"], names=["ok"])
        folder = root / "submitted"
        source = nbformat.read(folder / "ok" / ASSIGNMENT / NAME, as_version=4)
        for student, text in [("empty", ""), ("cut", nbformat.writes(source)[:3000]),
                              ("old", nbformat.writes(nbformat.convert(copy.deepcopy(source), 3), version=3))]:
            (folder / student / ASSIGNMENT).mkdir(parents=True)
            (folder / student / ASSIGNMENT / NAME).write_text(text)
        if path == "classroom":
            run = cli("autograde", course=root)
            logs[path] = run.stdout
        else:
            run = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--create"], cwd=root,
                                 capture_output=True, text=True, timeout=900,
                                 env={**os.environ, "PYTHONPATH": str(root)})
            logs[path] = run.stdout + run.stderr
        assert run.returncode == 0, logs[path][-3000:]
        with sqlite3.connect(root / "gradebook.db") as con:
            scores[path] = sorted(con.execute(
                "SELECT s.student_id, c.name, g.auto_score, g.needs_manual_grade FROM grade g "
                "JOIN submitted_notebook n ON g.notebook_id = n.id JOIN submitted_assignment s "
                "ON n.assignment_id = s.id JOIN base_cell c ON g.cell_id = c.id"))
    assert scores["classroom"] == scores["nbgrader"]
    by_student = {}
    for student, _, score, pending in scores["classroom"]:
        by_student.setdefault(student, []).append((score, pending))
    assert all(score == 0 and not pending for score, pending in by_student["empty"] + by_student["cut"])
    assert by_student["old"] == by_student["ok"]
    for words in ("is empty", "not valid JSON"):
        assert words in logs["classroom"] and words in logs["nbgrader"]
    assert "Traceback" not in logs["nbgrader"]
    feedback = nbformat.read(tmp_path / "nbgrader" / "autograded" / "empty" / ASSIGNMENT / NAME, as_version=4)
    assert feedback.cells[0].source.startswith(f"**{intake.UNREADABLE}**")


# ------------------------------------------------------------------ a hostile class, two orders

ORDINARY = ["correct", "half-wrong", "misconceived", "blank", "correct", "half-wrong", "correct"]
#: the OS alone: the audit hooks inside the kernel are turned off
OS_ONLY = "\nc.TrustedExecute.sandbox = False\n"
GRADER_OUTPUTS = ("autograded", "reports", "gradebook.db", ".nbgrader.log")


def roles() -> dict[str, str]:
    """Each student's role in the class, in class order: ordinary students between hostile ones."""
    out = {}
    for i, case in enumerate(ORDINARY):
        out[f"{case}-{i}"] = case
        if i < len(HOSTILE):
            out[list(HOSTILE)[i]] = list(HOSTILE)[i]
    return out


def tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file of the course folder except the grader's own outputs."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()
            and not p.relative_to(root).parts[0].startswith(GRADER_OUTPUTS)}


def graded(root: Path, names: dict[str, str]) -> dict[str, dict]:
    """role -> {cell: (auto score, manual score, waiting for a manual grade)}."""
    with sqlite3.connect(root / "gradebook.db") as con:
        rows = con.execute(
            "SELECT s.student_id, c.name, g.auto_score, g.manual_score, g.needs_manual_grade FROM grade g "
            "JOIN submitted_notebook n ON g.notebook_id = n.id JOIN submitted_assignment s "
            "ON n.assignment_id = s.id JOIN base_cell c ON g.cell_id = c.id").fetchall()
    out: dict[str, dict] = {}
    for student, cell, auto, manual, pending in rows:
        out.setdefault(names[student], {})[cell] = (auto, manual, pending)
    return out


def grade_class(root: Path, class_roles: list[str], reverse: bool = False) -> dict:
    assert cli("release", course=root).returncode == 0
    count = len(class_roles)
    names = {f"{(count - 1 - i) if reverse else i:02d}-{role}": role for i, role in enumerate(class_roles)}
    make_cases(root, ASSIGNMENT, [roles()[r] for r in names.values()], names=list(names))
    with sqlite3.connect(root / "gradebook.db") as con:
        schema = sorted(con.execute("SELECT type, name, sql FROM sqlite_master"))
    before = tree(root)
    run = cli("autograde", "--jobs", "1", course=root)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    with sqlite3.connect(root / "gradebook.db") as con:
        schema_after = sorted(con.execute("SELECT type, name, sql FROM sqlite_master"))
    rows = {r["student"]: r for r in _summary(root)}
    return {"root": root, "names": names, "grades": graded(root, names), "tree": (before, tree(root)),
            "schema": (schema, schema_after), "rows": rows, "run": run}


def _summary(root: Path):
    import csv

    with open(root / "reports" / "autograde-summary.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def hostile_classes(tmp_path_factory):
    everyone = list(roles())
    ordinary = [r for r in everyone if r not in HOSTILE]
    return {"baseline": grade_class(new_course(tmp_path_factory.mktemp("baseline"), OS_ONLY), ordinary),
            "forward": grade_class(new_course(tmp_path_factory.mktemp("forward"), OS_ONLY), everyone),
            "reverse": grade_class(new_course(tmp_path_factory.mktemp("reverse"), OS_ONLY), everyone, reverse=True)}


@needs_bwrap
@pytest.mark.pipeline
def test_every_student_is_graded_and_the_grader_lives(hostile_classes):
    for run in ("forward", "reverse"):
        rows = hostile_classes[run]["rows"]
        assert len(rows) == len(roles()) and all(r["status"] == GRADED for r in rows.values()), rows
        assert "Traceback" not in hostile_classes[run]["run"].stdout + hostile_classes[run]["run"].stderr


@needs_bwrap
@pytest.mark.pipeline
def test_grades_do_not_depend_on_order(hostile_classes):
    assert hostile_classes["forward"]["grades"] == hostile_classes["reverse"]["grades"]


@needs_bwrap
@pytest.mark.pipeline
def test_ordinary_students_get_what_they_get_without_hostile_classmates(hostile_classes):
    baseline = hostile_classes["baseline"]["grades"]
    for run in ("forward", "reverse"):
        got = hostile_classes[run]["grades"]
        assert {r: got[r] for r in baseline} == baseline, run


@needs_bwrap
@pytest.mark.pipeline
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_submission_earns_no_point(hostile_classes, case):
    """Each hostile case answers as the half-wrong student does: its grades are exactly theirs."""
    fair = hostile_classes["baseline"]["grades"]["half-wrong-1"]
    assert hostile_classes["forward"]["grades"][case] == fair
    assert all(manual is None for _, manual, _ in fair.values())


@needs_bwrap
@pytest.mark.pipeline
def test_the_course_folder_and_gradebook_schema_are_unchanged(hostile_classes):
    for run in ("baseline", "forward", "reverse"):
        before, after = hostile_classes[run]["tree"]
        assert after == before, {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        schema_before, schema_after = hostile_classes[run]["schema"]
        assert schema_after == schema_before and not any(kind == "trigger" for kind, _, _ in schema_after)
    assert hostile_classes["forward"]["tree"][0]["chipcourse/checks.py"] == \
        hashlib.sha256((notebooks.ROOT / "chipcourse" / "checks.py").read_bytes()).hexdigest()
    for run in ("forward", "reverse"):
        root, names = hostile_classes[run]["root"], hostile_classes[run]["names"]
        for student in names:  # every graded copy is there and is a notebook
            nb, why = intake.read_notebook(root / "autograded" / student / ASSIGNMENT / NAME)
            assert nb is not None, why


# ------------------------------------------------------------------ the weaker mode

@pytest.mark.pipeline
def test_the_weaker_mode_is_reported_when_a_submission_reaches_the_gradebook(tmp_path):
    """With only the audit hooks, the gradebook is reachable (the issue's attack works) and
    the summary says what changed; this is why it is not the default."""
    root = new_course(tmp_path, '\nc.TrustedExecute.confinement = "audit-hooks-only"\n')
    assert cli("release", course=root).returncode == 0
    make_cases(root, ASSIGNMENT, ["opens-gradebook"], names=["mallory"])
    run = cli("autograde", course=root)
    assert run.returncode == 0, run.stderr[-2000:]
    row = next(r for r in _summary(root) if r["student"] == "mallory")
    assert "the gradebook was changed outside the grader" in row["notes"]
    assert "trigger chipcourse_full_marks added" in row["notes"] and "manual score of mallory" in row["notes"]
    assert "the gradebook was changed outside the grader" in run.stdout
