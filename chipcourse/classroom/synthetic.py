"""A synthetic class: submissions that exercise every way grading can go wrong.

Used by the tests, by the autograding benchmark and by ``make demo-class``, which lets a
teacher try release → autograde → feedback → report before a real class submits. Each
case takes the instructor's source (a fully correct answer) or the student release (a
blank one) and changes it the way a real student might.
"""

from __future__ import annotations

import ast
import copy
import random
from pathlib import Path

import nbformat
from nbformat.corpus.words import generate_corpus_id

from ..notebooks import answer_names, autograded_tests, graded_answer_cells, nbgrader_meta, with_wrong_answers

__all__ = ["CASES", "DEMO_PROBLEMS", "EXPECTED", "HOSTILE", "TAMPER", "answer_name", "make_class",
           "make_cases", "misconceived_answers", "hostile_markers"]


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _insert_after_first_code(nb, source: str, offset: int = 1):
    first = nb.cells.index(_code_cells(nb)[0])
    nb.cells.insert(first + offset, nbformat.v4.new_code_cell(source))
    return nb


def answer_name(cell) -> str | None:
    """The name an answer cell assigns last (the answer a test reads)."""
    try:
        return (answer_names(cell.source) or [None])[0]
    except SyntaxError:
        return None


TAMPER = '''
import math, numpy, pandas, chipcourse.checks as _checks
for _name in dir(_checks):
    if _name.startswith("check"):
        setattr(_checks, _name, lambda *a, **k: "✓ Correct.")
numpy.isclose = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
math.isclose = lambda *a, **k: True
pandas.testing.assert_frame_equal = lambda *a, **k: None
get_ipython().showtraceback = lambda *a, **k: None
class _Yes:
    def __eq__(self, other):
        return True
    def __float__(self):
        return 0.0
'''

SNOOP = '''
import glob, os, sqlite3, subprocess
found = []
for attempt in (lambda: glob.glob("../../../**/*.ipynb", recursive=True),
                lambda: open("../../../exercises/" + os.path.basename(os.getcwd()) + "/" +
                             os.path.basename(os.getcwd()) + "-exercises.ipynb").read(),
                lambda: os.listdir("../../../submitted"),
                lambda: sqlite3.connect("../../../gradebook.db").execute("select * from grade").fetchall(),
                lambda: subprocess.run(["cat", "../../../gradebook.db"], capture_output=True).stdout):
    try:
        found.append(attempt())
    except Exception as exc:
        found.append(type(exc).__name__)
print(found)
'''


def _strip_markers(text: str) -> str:
    return "\n".join(line for line in text.splitlines()
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION",
                                             "=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ==="))


def _correct(source, release):
    """The student release with every answer filled in from the instructor's solution."""
    nb = copy.deepcopy(release)
    solutions = {nbgrader_meta(c)["grade_id"]: c.source for c in source.cells if nbgrader_meta(c).get("solution")}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in solutions:
            cell.source = _strip_markers(solutions[grade_id])
    return nb


def _blank(source, release):
    return copy.deepcopy(release)


def _half_wrong(source, release):
    return with_wrong_answers(_correct(source, release))


def _test_edited(source, release):
    nb = _half_wrong(source, release)
    for cell in autograded_tests(nb):
        cell.source = "pass  # the learner replaced the test"
        cell.metadata["nbgrader"]["locked"] = False
    return nb


def _hidden(test_source: str) -> str:
    """The hidden part of a test cell (between nbgrader's markers)."""
    start, end = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
    return test_source.split(start, 1)[1].split(end, 1)[0] if start in test_source else ""


def misconceived_answers(source) -> dict[str, str]:
    """Answer name -> code giving the wrong answer a catalogued misconception predicts.

    Read from the hidden tests of an exercise ``source``: a check's ``misconceptions=``
    argument holds the wrong value (``check_number``: key -> value; the text and choice
    checks: value -> key), computed by the lines of the test before the check."""
    out = {}
    for cell in autograded_tests(source):
        try:
            tree = ast.parse(_hidden(cell.source))
        except SyntaxError:
            continue
        for i, stmt in enumerate(tree.body):
            call = stmt.value if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) else None
            if call is None or not call.args or not isinstance(call.args[0], ast.Name):
                continue
            given = next((k.value for k in call.keywords if k.arg == "misconceptions"), None)
            if not isinstance(given, ast.Dict) or not given.keys or given.keys[0] is None:
                continue
            numeric = isinstance(call.func, ast.Attribute) and call.func.attr == "check_number"
            wrong = given.values[0] if numeric else given.keys[0]
            name = call.args[0].id
            lines = [ast.unparse(s) for s in tree.body[:i]] + [f"{name} = {ast.unparse(wrong)}"]
            out.setdefault(name, "\n".join(lines))
    return out


def _misconceived(source, release):
    nb = _correct(source, release)
    wrong = misconceived_answers(source)
    for cell in graded_answer_cells(nb):
        name = answer_name(cell)
        if name in wrong:
            cell.source = wrong[name]
    return nb


def _test_emptied(source, release):
    nb = _half_wrong(source, release)
    autograded_tests(nb)[0].source = ""
    return nb


def _test_unlocked(source, release):
    nb = _half_wrong(source, release)
    for cell in autograded_tests(nb):
        cell.metadata["nbgrader"]["locked"] = False
    return nb


def _test_deleted(source, release):
    nb = _correct(source, release)
    nb.cells.remove(autograded_tests(nb)[0])
    return nb


def _duplicate_id(source, release):
    nb = _correct(source, release)
    test = autograded_tests(nb)[0]
    pasted = copy.deepcopy(test)
    pasted["id"] = generate_corpus_id()  # JupyterLab gives a pasted cell a new id
    nb.cells.insert(nb.cells.index(test) + 1, pasted)
    return nb


def _metadata_stripped(source, release):
    nb = _correct(source, release)
    del autograded_tests(nb)[-1].metadata["nbgrader"]
    return nb


def _always_equal(source, release):
    nb = copy.deepcopy(release)
    for cell in graded_answer_cells(nb):
        name = answer_name(next(c for c in graded_answer_cells(source)
                                 if nbgrader_meta(c)["grade_id"] == nbgrader_meta(cell)["grade_id"]))
        if name:
            cell.source = f"{name} = _Yes()"
    return _insert_after_first_code(nb, TAMPER)


def _snooping(source, release):
    return _insert_after_first_code(copy.deepcopy(release), SNOOP)


def _infinite_loop(source, release):
    return _insert_after_first_code(_correct(source, release), (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)  # ignore the interrupt\n"
        "while True:\n    pass"))


def _memory_hog(source, release):
    return _insert_after_first_code(_correct(source, release),
                                    "hog = []\nwhile True:\n    hog.append(bytearray(10**8))")


def _kernel_killed(source, release):
    nb = _correct(source, release)
    last_test = autograded_tests(nb)[-1]
    nb.cells.insert(nb.cells.index(last_test), nbformat.v4.new_code_cell(
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    return nb


def _flood(source, release):
    return _insert_after_first_code(_correct(source, release),
                                    "for i in range(200_000):\n    print('line', i)")


def _widget(source, release):
    return _insert_after_first_code(_correct(source, release), (
        "import ipywidgets\nfrom chipcourse import widgets\n"
        "display(ipywidgets.IntSlider(description='n'))\nwidgets.scale_explorer()"))


def _future_warning(source, release):
    return _insert_after_first_code(_correct(source, release), (
        "import warnings\nget_ipython().events.register('post_run_cell', lambda *a: "
        "warnings.warn('this API will change', FutureWarning))"))


def _kernelspec(source, release):
    nb = _correct(source, release)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    return nb


def _long_lines(source, release):
    return _insert_after_first_code(_correct(source, release),
                                    "for i in range(300):\n    print('x' * 100_000)")


def _huge_answer(source, release):
    nb = _correct(source, release)
    cell = graded_answer_cells(nb)[0]
    cell.source += f"\n{answer_name(cell)} = [0] * 50_000_000"
    return nb


# ---------------------------------------------------------------------------- hostile cases
# Each knows what a determined student could find out (the course folder's path, the
# grader's home, classmates' names) and tries one way of changing what outlives its own
# grading. Each records what every attempt got (an errno name, or "ok") in its output, so
# a test can see the attempts ran. They answer as the half-wrong student does: whatever
# they manage, their fair score is that student's. Their files hold markers, not damage,
# wherever a confinement failure would reach beyond the course folder under test.

_ATTEMPT = '''
import errno as _errno, os as _os
_root, _me, _assignment, _name = {root!r}, {student!r}, {assignment!r}, {name!r}
_tried = []
def _attempt(action):
    try:
        action()
        _tried.append("ok")
    except Exception as exc:
        _tried.append(_errno.errorcode.get(getattr(exc, "errno", None) or 0, type(exc).__name__))
'''

#: case -> the code its extra cell runs (after :data:`_ATTEMPT`)
HOSTILE = {
    # rewrite the checker the trusted replay imports, and its bytecode, and the data
    "rewrites-course": '''
import importlib.util, pathlib, chipcourse, chipcourse.checks, chipcourse.data
_checks = pathlib.Path(chipcourse.checks.__file__)
_poison = ("\\ndef _always(*a, **k):\\n    return '✓ Correct.'\\n"
           "for _n in [n for n in dir() if n.startswith('check')]:\\n    globals()[_n] = _always\\n")
_attempt(lambda: open(_checks, "a").write(_poison))
_attempt(lambda: (_checks.parent / "checks_new.py").write_text(_checks.read_text() + _poison))
_attempt(lambda: _os.replace(_checks.parent / "checks_new.py", _checks))
_attempt(lambda: pathlib.Path(importlib.util.cache_from_source(str(_checks))).write_bytes(b"poison"))
_attempt(lambda: (chipcourse.data.data_dir() / "datapackage.json").write_text("{{}}"))
print("rewrites-course:", _tried)
''',
    # a directory operation, not a write: rename a decoy over every classmate's notebooks
    "renames-over-others": '''
for _other in {roster!r}:
    for _folder in ("submitted", "autograded"):
        if _other != _me:
            open("decoy.ipynb", "w").write("{{}}")
            _target = _os.path.join(_root, _folder, _other, _assignment, _name)
            _attempt(lambda: _os.replace("decoy.ipynb", _target))
print("renames-over-others:", sorted(set(_tried)))
''',
    # files that would break whoever is graded next: modules shadowing numpy, a marker
    "leaves-files": '''
_poison = "raise ImportError('left behind by a graded submission')\\n"
for _path in (_os.path.join(_root, "numpy.py"), _os.path.join(_root, "exercises", _assignment, "numpy.py"),
              _os.path.join(_root, "release", _assignment, "numpy.py"),
              _os.path.join(_root, "autograded", "numpy.py"), _os.path.join(_root, "left-behind.txt"),
              "../../left-behind.txt", "/tmp/chipcourse-hostile-left-behind.txt", "left-behind.txt"):
    _attempt(lambda: open(_path, "x").write(_poison))
print("leaves-files:", _tried)
''',
    # the gradebook by a route the path check does not see: ATTACH from an in-memory database
    "opens-gradebook": '''
import sqlite3
_db = _os.path.join(_root, "gradebook.db")
def _tamper():
    con = sqlite3.connect(":memory:")
    con.execute("ATTACH DATABASE ? AS g", (_db,))
    con.execute("UPDATE g.grade SET manual_score = (SELECT max_score FROM g.grade_cells c "
                "WHERE c.id = g.grade.cell_id) WHERE notebook_id IN (SELECT n.id FROM "
                "g.submitted_notebook n JOIN g.submitted_assignment s ON n.assignment_id = s.id "
                "WHERE s.student_id = ?)", (_me,))
    con.execute("CREATE TRIGGER g.chipcourse_full_marks AFTER UPDATE OF auto_score ON grade BEGIN "
                "UPDATE grade SET auto_score = (SELECT max_score FROM grade_cells WHERE id = NEW.cell_id) "
                "WHERE id = NEW.id; END")
    con.commit()
_attempt(_tamper)
_attempt(lambda: sqlite3.connect(f"file:{{_db}}?mode=rw", uri=True).execute("SELECT 1 FROM grade").fetchall())
print("opens-gradebook:", _tried)
''',
    # a thread and a detached process that keep trying after the notebook has finished
    "leaves-process": '''
import threading, time
def _pester():
    end = time.time() + 90
    while time.time() < end:
        try:
            open(_os.path.join(_root, "left-by-a-process.txt"), "a").write("still here\\n")
        except OSError:
            pass
        time.sleep(0.5)
threading.Thread(target=_pester, daemon=True).start()
_child = _os.fork()
if _child == 0:
    try:
        _os.setsid()
        open("/proc/self/comm", "w").write("hostile-daemon")
        _pester()
    finally:
        _os._exit(0)
print("leaves-process: started", _child > 0)
''',
    # what later kernels and Python processes read at start-up: IPython startup files, .pth
    # files (the markers are comments), the environment itself
    "changes-environment": '''
import sys, sysconfig
_os.environ["PYTHONPATH"] = "/nonexistent-chipcourse-hostile"
_os.environ["NBGRADER_EXECUTION"] = ""
def _plant(path):
    _os.makedirs(_os.path.dirname(path), exist_ok=True)
    with open(path, "x") as handle:
        handle.write("# left by a graded submission (chipcourse hostile case)\\n")
for _path in {markers!r} + [_os.path.expanduser("~/.ipython/profile_default/startup/99-chipcourse-hostile.py")]:
    _attempt(lambda: _plant(_path))
print("changes-environment:", _tried)
''',
}


def hostile_markers(home: Path | None = None) -> list[str]:
    """Files outside the course folder that ``changes-environment`` tries to leave: the
    grader's IPython start-up folder, its user site-packages, its Jupyter folder, the
    environment's site-packages (markers only: each file is a comment)."""
    import sysconfig
    import sys

    home = Path(home or Path.home())
    version = "python%d.%d" % sys.version_info[:2]
    return [str(home / ".ipython/profile_default/startup/99-chipcourse-hostile.py"),
            str(home / ".local/lib" / version / "site-packages/chipcourse-hostile.pth"),
            str(home / ".jupyter/chipcourse-hostile.txt"),
            str(Path(sysconfig.get_paths()["purelib"]) / "chipcourse-hostile.pth")]


def _hostile(case: str):
    def make(source, release, context):
        code = (_ATTEMPT + HOSTILE[case]).format(markers=hostile_markers(), **context)
        return _insert_after_first_code(_half_wrong(source, release), code)
    make.__name__ = f"_{case.replace('-', '_')}"
    make.hostile = True
    return make


#: case name -> how the notebook is made (None: a file that is not a notebook, or none)
CASES = {
    "correct": _correct, "blank": _blank, "half-wrong": _half_wrong, "misconceived": _misconceived,
    "test-edited": _test_edited, "test-emptied": _test_emptied, "test-unlocked": _test_unlocked,
    "test-deleted": _test_deleted, "duplicate-id": _duplicate_id,
    "metadata-stripped": _metadata_stripped, "always-equal": _always_equal,
    "snooping": _snooping, "infinite-loop": _infinite_loop, "memory-hog": _memory_hog,
    "kernel-killed": _kernel_killed, "flood": _flood, "widget": _widget,
    "future-warning": _future_warning, "kernelspec": _kernelspec,
    "not-json": None, "not-a-notebook": None, "missing": None, "renamed": _correct,
    "long-lines": _long_lines, "huge-answer": _huge_answer,
    **{case: _hostile(case) for case in HOSTILE},
}

#: what each case must end as: "full" marks, "zero", "partial", or "not gradable"
EXPECTED = {
    "correct": "full", "blank": "zero", "half-wrong": "partial", "misconceived": "partial",
    "test-edited": "partial", "test-emptied": "partial", "test-unlocked": "partial",
    "test-deleted": "partial", "duplicate-id": "full", "metadata-stripped": "partial",
    "always-equal": "zero", "snooping": "zero", "infinite-loop": "zero", "memory-hog": "full",
    "kernel-killed": "partial", "flood": "full", "widget": "full", "future-warning": "full",
    "kernelspec": "full", "not-json": "not gradable", "not-a-notebook": "not gradable",
    "missing": "not gradable", "renamed": "full", "long-lines": "full", "huge-answer": "partial",
    **dict.fromkeys(HOSTILE, "partial"),  # exactly the half-wrong student's points
}


#: the problem cases make demo-class adds to its ordinary students: quick to grade, and each
#: leaves a note in the summary and the class report
DEMO_PROBLEMS = ["test-edited", "duplicate-id", "always-equal", "not-json", "renamed"]


def _write(folder: Path, name: str, case: str, source, release, context: dict | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if case == "not-json":
        (folder / name).write_text('{"cells": [ this is not JSON', encoding="utf-8")
    elif case == "not-a-notebook":
        (folder / name).write_text('{"hello": "a JSON file, but not a notebook"}', encoding="utf-8")
    elif case == "missing":
        (folder / "my answers.txt").write_text("I forgot to upload the notebook.", encoding="utf-8")
    elif getattr(CASES[case], "hostile", False):
        nbformat.write(nbformat.from_dict(CASES[case](source, release, context)), folder / name)
    else:
        target = folder / (f"Copy of {name}" if case == "renamed" else name)
        nbformat.write(nbformat.from_dict(CASES[case](source, release)), target)


def _source_and_release(root: Path, assignment: str):
    """The notebook name, the instructor's source and the student release of ``assignment``."""
    name = f"{assignment}-exercises.ipynb"
    return (name, nbformat.read(root / "exercises" / assignment / name, as_version=4),
            nbformat.read(root / "release" / assignment / name, as_version=4))


def make_cases(root: Path, assignment: str, cases=None, prefix: str = "", names=None,
               roster=()) -> dict[str, str]:
    """Write one submission per case into ``root/submitted``; returns student → case.

    Students are called ``<prefix><NN>-<case>`` unless ``names`` gives them in order. The
    hostile cases know the course folder and every classmate in ``roster`` besides these."""
    name, source, release = _source_and_release(root, assignment)
    cases = list(cases or CASES)
    names = list(names or [f"{prefix}{i:02d}-{case}" for i, case in enumerate(cases)])
    everyone = sorted({*roster, *names})
    students = {}
    for student, case in zip(names, cases):
        context = {"root": str(Path(root).resolve()), "student": student, "assignment": assignment,
                   "name": name, "roster": everyone}
        _write(root / "submitted" / student / assignment, name, case, source, release, context)
        students[student] = case
    return students


def make_class(root: Path, assignment: str, size: int = 100, seed: int = 0) -> dict[str, str]:
    """``size`` ordinary students (mostly right, some wrong or blank), seeded and repeatable."""
    rng = random.Random(seed)
    name, source, release = _source_and_release(root, assignment)
    names = {}
    for i in range(size):
        case = rng.choices(["correct", "misconceived", "half-wrong", "blank"], weights=[5, 2, 2, 1])[0]
        student = f"student{i:03d}"
        _write(root / "submitted" / student / assignment, name, case, source, release)
        names[student] = case
    return names
