"""What grading checks stayed as it was: the course as installed, and the gradebook.

* **The course.** :func:`manifest` records a SHA-256 of every file of the course package
  and its data when a grading run starts (``make autograde`` records it once, before any
  submission, and hands it to its workers through ``CHIPCOURSE_COURSE_MANIFEST``; a plain
  ``nbgrader autograde`` records it before its first submission). The replay imports the
  course only from files that match it (:mod:`chipcourse.replayer`), and after every
  notebook the files are compared again (:func:`changed_files`).
* **The gradebook.** :func:`gradebook_state` reads what autograding never writes: the
  database's schema (tables, indexes, triggers, views), the assignment definitions
  (cells, their points and the instructor's test source) and every manual score, extra
  credit and manual comment. TrustedExecute reads it before a graded kernel starts and
  after it has gone; :func:`gradebook_changes` names every difference, which the class
  summary reports. Confined kernels cannot see the gradebook at all, so a difference
  means someone else wrote to it meanwhile (the formgrader, or a submission graded in
  the weaker ``audit-hooks-only`` mode).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

__all__ = ["MANIFEST_ENV", "manifest", "course_manifest", "recorded_course", "changed_files",
           "db_path", "gradebook_state", "gradebook_changes"]

MANIFEST_ENV = "CHIPCOURSE_COURSE_MANIFEST"
_SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: str) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder`` (bytecode caches left out:
    the replay never reads them, it compiles the verified source)."""
    out = {}
    root = Path(folder)
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if not name.endswith(".pyc"):
                path = Path(dirpath) / name
                out[path.relative_to(root).as_posix()] = _digest(path)
    return out


def manifest(package: str, data: str) -> dict:
    """The course as it is now: its package and data folders and a hash of every file."""
    return {"package": str(package), "data": str(data),
            "files": {"package": _files(package), "data": _files(data)}}


@functools.lru_cache(maxsize=None)
def _recorded(package: str, data: str, given: str | None) -> str:
    if given:
        try:
            text = Path(given).read_text(encoding="utf-8")
            found = json.loads(text)
            if found.get("package") == package and found.get("data") == data:
                return text
        except (OSError, ValueError):
            pass
    return json.dumps(manifest(package, data))


def course_manifest(package: str, data: str) -> dict:
    """The manifest recorded when this grading run started (see the module's docstring)."""
    return json.loads(_recorded(str(package), str(data), os.environ.get(MANIFEST_ENV)))


@contextlib.contextmanager
def recorded_course(package: str, data: str):
    """Record the course now, for this process and the grading workers it starts."""
    previous = os.environ.get(MANIFEST_ENV)
    with tempfile.TemporaryDirectory(prefix="chipcourse-run-") as folder:
        path = Path(folder) / "course.json"
        path.write_text(json.dumps(manifest(package, data)), encoding="utf-8")
        os.environ[MANIFEST_ENV] = str(path)
        try:
            yield path
        finally:
            if previous is None:
                os.environ.pop(MANIFEST_ENV, None)
            else:
                os.environ[MANIFEST_ENV] = previous


def changed_files(recorded: dict) -> list[str]:
    """Files of the course that differ from ``recorded``: 'chipcourse/checks.py (changed)'."""
    out = []
    for part, label in (("package", Path(recorded["package"]).name), ("data", Path(recorded["data"]).name)):
        then = recorded["files"][part]
        now = _files(recorded[part]) if os.path.isdir(recorded[part]) else {}
        for name in sorted(set(then) | set(now)):
            if then.get(name) != now.get(name):
                how = "added" if name not in then else "removed" if name not in now else "changed"
                out.append(f"{label}/{name} ({how})")
    return out


# ---------------------------------------------------------------------------- the gradebook

def db_path(db_url: str) -> str | None:
    """The file of an SQLite gradebook URL (None for another database or none)."""
    prefix = "sqlite:///"
    if not db_url or not db_url.startswith(prefix):
        return None
    return os.path.abspath(db_url[len(prefix):])


#: tables that describe the assignments (written by generate_assignment, never by autograde)
DEFINITION = ("course", "assignment", "notebook", "base_cell", "grade_cells", "solution_cells",
              "task_cells", "source_cell")


def gradebook_state(path: str | None) -> dict | None:
    """What autograding leaves alone in the gradebook at ``path`` (None if unreadable)."""
    if not path or not os.path.exists(path):
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        schema = {f"{kind} {name}": sql or "" for kind, name, sql in
                  con.execute("SELECT type, name, sql FROM sqlite_master")}
        tables = {name.split(" ", 1)[1] for name in schema if name.startswith("table ")}
        definition = {}
        for table in DEFINITION:
            if table in tables:
                rows = sorted(repr(row) for row in con.execute(f'SELECT * FROM "{table}"'))
                definition[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        manual = {}
        where = ("FROM {t} g JOIN submitted_notebook n ON g.notebook_id = n.id "
                 "JOIN submitted_assignment s ON n.assignment_id = s.id "
                 "JOIN assignment a ON s.assignment_id = a.id JOIN notebook b ON n.notebook_id = b.id "
                 "JOIN base_cell c ON g.cell_id = c.id")
        if {"grade", "comment", "submitted_notebook", "submitted_assignment"} <= tables:
            for student, assignment, notebook, cell, score, extra in con.execute(
                    "SELECT s.student_id, a.name, b.name, c.name, g.manual_score, g.extra_credit "
                    + where.format(t="grade") + " WHERE g.manual_score IS NOT NULL OR g.extra_credit IS NOT NULL"):
                key = f"{student}/{assignment}/{notebook}/{cell}"
                for what, value in (("manual score", score), ("extra credit", extra)):
                    if value is not None:
                        manual[f"{what} of {key}"] = value
            for student, assignment, notebook, cell, text in con.execute(
                    "SELECT s.student_id, a.name, b.name, c.name, g.manual_comment "
                    + where.format(t="comment") + " WHERE g.manual_comment IS NOT NULL"):
                manual[f"manual comment of {student}/{assignment}/{notebook}/{cell}"] = text
        return {"schema": schema, "definition": definition, "manual": manual}
    except sqlite3.Error:
        return None
    finally:
        con.close()


def gradebook_changes(before: dict | None, after: dict | None) -> list[str]:
    """Each difference between two :func:`gradebook_state` readings, as a phrase."""
    if before is None or after is None:
        return []
    out = []
    for name in sorted(set(before["schema"]) | set(after["schema"])):
        was, now = before["schema"].get(name), after["schema"].get(name)
        if was != now:
            out.append(f"{name} {'added' if was is None else 'removed' if now is None else 'changed'}")
    for table in sorted(set(before["definition"]) | set(after["definition"])):
        if before["definition"].get(table) != after["definition"].get(table):
            out.append(f"the assignment definitions in table {table} changed")
    for key in sorted(set(before["manual"]) | set(after["manual"])):
        was, now = before["manual"].get(key), after["manual"].get(key)
        if was != now:
            out.append(f"{key} set to {now!r} (was {was!r})")
    return out
