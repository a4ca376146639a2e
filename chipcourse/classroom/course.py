"""A course folder on nbgrader's standard layout, and nbgrader's API bound to it."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Course"]


@dataclass
class Course:
    """The course folder ``root`` (it holds ``nbgrader_config.py``)."""

    root: Path
    _api: object = field(default=None, repr=False)

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        if not (self.root / "nbgrader_config.py").exists():
            raise FileNotFoundError(f"{self.root} has no nbgrader_config.py: run this from the "
                                    f"course folder.")

    # ------------------------------------------------------------------ configuration
    def config(self):
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()

    def directory(self, name: str) -> Path:
        """``name`` is a CourseDirectory trait, e.g. ``"submitted_directory"``."""
        return self.root / str(getattr(self.api().coursedir, name))

    @property
    def db_url(self) -> str:
        url = str(self.api().coursedir.db_url)
        prefix = "sqlite:///"
        if url.startswith(prefix) and not os.path.isabs(url[len(prefix):]):
            return prefix + str(self.root / url[len(prefix):])
        return url

    def api(self):
        """nbgrader's own high-level API, configured by the course's nbgrader_config.py."""
        if self._api is None:
            from nbgrader.apps.api import NbGraderAPI
            from nbgrader.coursedir import CourseDirectory

            config = self.config()
            coursedir = CourseDirectory(config=config, root=str(self.root))
            api = NbGraderAPI(coursedir=coursedir, config=config)
            api.log = logging.getLogger("chipcourse.classroom.nbgrader")
            api.log.propagate = False
            api.log.setLevel(logging.INFO)
            self._api = api
        return self._api

    @contextlib.contextmanager
    def inside(self):
        """Run nbgrader from the course folder (relative paths in the config are from there),
        with this Python's tools (``alembic``, ``jupyter``) first on PATH."""
        old_cwd, old_path = os.getcwd(), os.environ.get("PATH", "")
        os.chdir(self.root)
        os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), old_path])
        try:
            yield self
        finally:
            os.chdir(old_cwd)
            os.environ["PATH"] = old_path

    # ------------------------------------------------------------------ what is there
    def assignments(self) -> list[str]:
        """Assignments in the source folder (each a folder holding notebooks)."""
        source = self.directory("source_directory")
        return sorted(p.name for p in source.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb"))) if source.exists() else []

    def notebook_names(self, assignment: str) -> list[str]:
        """The notebook names (without .ipynb) an assignment expects."""
        folder = self.directory("source_directory") / assignment
        return sorted(p.stem for p in folder.glob("*.ipynb"))

    def submissions(self, assignment: str | None = None, student: str | None = None) -> list[tuple[str, str]]:
        """(assignment, student) pairs found in the submitted folder, in a stable order."""
        submitted = self.directory("submitted_directory")
        known = set(self.assignments())
        pairs = []
        if not submitted.exists():
            return pairs
        for student_dir in sorted(p for p in submitted.iterdir() if p.is_dir()):
            if student and student_dir.name != student:
                continue
            for folder in sorted(p for p in student_dir.iterdir() if p.is_dir()):
                if folder.name in known and (assignment is None or folder.name == assignment):
                    pairs.append((folder.name, student_dir.name))
        return sorted(pairs)

    @classmethod
    def copy_for_grading(cls, root: Path, target: Path, assignment: str) -> "Course":
        """A private course folder in ``target`` with one assignment's source and the config."""
        course = cls(root)
        source = course.directory("source_directory")
        shutil.copytree(source / assignment, target / source.relative_to(course.root) / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        shutil.copyfile(course.root / "nbgrader_config.py", target / "nbgrader_config.py")
        return cls(target)

    def reports(self) -> Path:
        folder = self.root / "reports"
        folder.mkdir(exist_ok=True)
        return folder
