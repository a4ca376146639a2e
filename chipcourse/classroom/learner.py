"""A learner's own copies of the exercise sets: ``assignments/<NN-topic>/<NN-topic>-exercises.ipynb``.

``make lab`` calls :func:`learner_copies` before it starts JupyterLab, so a learner working
alone finds the student version of every set (no solutions, no hidden tests: nbgrader's
own ``generate_assignment``, as ``make release`` makes for a class) one click from the end
of each lesson, and grades a finished one with ``make check NB=assignments/…``. The
instructor's sources in ``exercises/`` hold the solutions; the learner's JupyterLab hides
them (``jupyter-config/learner``).

A copy that is already there is never replaced: it holds the learner's work. Delete it to
get a fresh one. The teacher's ``release/`` folder is not touched either.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .course import Course
from .grade import release

__all__ = ["FOLDER", "learner_copies", "copy_path"]

#: the learner's folder, beside notebooks/ in the course checkout
FOLDER = "assignments"


def copy_path(root: Path, assignment: str, notebook: str) -> Path:
    """Where the learner's copy of ``notebook`` (a name without .ipynb) of ``assignment`` lives."""
    return Path(root) / FOLDER / assignment / f"{notebook}.ipynb"


def learner_copies(root: Path, folder: Path | None = None) -> list[Path]:
    """Make the learner's copy of every exercise set that has none yet; returns the copies made.

    The student versions are made in a temporary course folder by nbgrader's
    ``generate_assignment`` with no gradebook (``no_database``), then copied into ``folder``
    (default: ``<root>/assignments``) where no copy is.
    """
    from ..notebooks import exercises

    root = Path(root).resolve()
    target = Path(folder) if folder else root / FOLDER
    if all((target / p.parent.name / p.name).exists() for p in exercises(root)):
        return []   # the usual case, answered without loading nbgrader
    course = Course(root)
    wanted = {(a, n): target / a / f"{n}.ipynb" for a in course.assignments() for n in course.notebook_names(a)}
    missing = sorted({a for (a, _), path in wanted.items() if not path.exists()})
    if not missing:
        return []
    made = []
    with tempfile.TemporaryDirectory(prefix="chipcourse-learner-") as tmp:
        for assignment in missing:
            private = Course.copy_for_grading(course.root, Path(tmp), assignment)
        with open(private.root / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write("\n# a learner's copy: no gradebook (what nbgrader generate_assignment --no-db sets)\n"
                         "c.GenerateAssignment.no_database = True\nc.SaveCells.enabled = False\n")
        private = Course(private.root)
        release(private, missing)
        for (assignment, name), path in wanted.items():
            made_here = private.directory("release_directory") / assignment / f"{name}.ipynb"
            if assignment in missing and not path.exists() and made_here.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(made_here, path)
                made.append(path)
    return made
