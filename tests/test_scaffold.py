"""``make new-lesson``: bad input writes nothing, and a new lesson passes the suite at once.

The second test scaffolds a lesson into a copy of the course and runs there, on the new
lesson, the suite's lesson, exercise, pipeline, data, layer and teacher-guide tests and the
lesson's own generated unit tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chipcourse import notebooks, scaffold

from .conftest import ROOT

NAME, TITLE = "09-scaffold-check", "A scaffolded lesson"


def course_copy(target: Path) -> Path:
    """The course's files as git sees them (tracked and new, not ignored) under ``target``."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def make_new_lesson(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-m", "chipcourse.scaffold", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    return course_copy(tmp_path_factory.mktemp("course"))


@pytest.mark.parametrize("name, title, says", [
    ("01-node-names", "Again", "exists already"),
    ("6-chokepoints", "x", "is not a lesson name"),
    ("06-Chokepoints", "x", "is not a lesson name"),
    ("06-data", "x", "shared modules"),
    ("06-fab", "x", "already has a model called 'fab'"),
    ("06-start", "x", "chipcourse/lessons/start exists already"),
    ("03-another-quantum", "x", "Lesson number 03 is taken"),
    ("06-fine", "   ", "TITLE is empty"),
])
def test_bad_input_gets_a_sentence_and_writes_nothing(copy, name, title, says):
    before = tree_digest(copy)
    result = make_new_lesson(copy, name, title)
    assert result.returncode == 2, result.stdout + result.stderr
    assert says in result.stderr and "Nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(copy) == before


def test_a_failure_half_way_leaves_nothing_behind(copy, monkeypatch):
    before = tree_digest(copy)
    plan = scaffold.plan("07-half-way", "Half way", copy)

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(scaffold, "_exercise_notebook", broken)
    with pytest.raises(OSError):
        scaffold.create(plan)
    assert tree_digest(copy) == before


@pytest.mark.notebooks
@pytest.mark.pipeline
def test_a_new_lesson_passes_the_suite_at_once(tmp_path):
    root = course_copy(tmp_path / "course")
    made = make_new_lesson(root, NAME, TITLE)
    assert made.returncode == 0, made.stderr
    topic = NAME[3:].replace("-", "_")
    assert (root / "notebooks" / f"{NAME}.ipynb").exists()
    assert (root / "chipcourse" / "lessons" / topic / "lesson.toml").exists()
    env = {**os.environ, "PYTHONPATH": str(root), "CI": os.environ.get("CI", "")}
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x"]
    suites = [
        [*run, "tests/test_notebooks.py", "tests/test_pipeline.py", "-k", NAME],
        [*run, "tests/test_teacher_guide.py", "tests/test_data.py", "tests/test_layers.py",
         "tests/test_lessons.py", "tests/test_lint.py", f"tests/test_{topic}.py"],
    ]
    for args in suites:
        result = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert " passed" in result.stdout and " failed" not in result.stdout
    ruff = Path(sys.executable).parent / "ruff"
    linted = subprocess.run([str(ruff), "check", f"notebooks/{NAME}.ipynb",
                             f"exercises/{NAME}/{NAME}-exercises.ipynb"], cwd=root, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    outcome = subprocess.run([*run, "--collect-only", "tests/test_notebooks.py", "-k", NAME], cwd=root,
                             env=env, capture_output=True, text=True, timeout=300).stdout
    assert f"test_lesson_passes_with_the_answer_key[{NAME}]" in outcome
    assert notebooks.lessons(root)[-1].stem == NAME
