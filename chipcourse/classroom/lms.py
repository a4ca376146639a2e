"""The gradebook as the CSV file a learning management system imports (``make export LMS=...``).

Read from nbgrader's gradebook (every student, every assignment, its points possible):

* **canvas**: Canvas's gradebook layout: ``Student, ID, SIS User ID, SIS Login ID, Section``,
  one column per assignment, and a ``Points Possible`` row under the header (as in the
  file Canvas exports, which it reads back);
* **moodle**: Moodle's grade-import layout: ``First name, Last name, ID number, Email
  address`` and one column per assignment, named with its points possible (Moodle maps
  the columns to grade items when the file is uploaded; a new grade item gets those
  points as its maximum by hand).

An LMS roster (the LMS's own export of its students, ``--roster``) is optional; with it
the rows carry the LMS's ids and every student in one list but not the other is reported.
A score that is absent (no submission) is left blank and reported, never written as a
silent 0; a score still waiting for written answers to be graded is reported too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .course import Course

__all__ = ["LMS_FORMATS", "Export", "export", "read_gradebook"]

LMS_FORMATS = ("canvas", "moodle")
#: the column of an LMS roster that holds the username the hub (and nbgrader) uses
LOGIN_COLUMN = {"canvas": "SIS Login ID", "moodle": "ID number"}


@dataclass
class Export:
    path: Path
    problems: list[str] = field(default_factory=list)


def read_gradebook(course: Course):
    """(assignments with their points possible, students, scores) from nbgrader's gradebook.

    ``scores[(student, assignment)]`` is the score, or None when nothing was submitted;
    ``pending[(student, assignment)]`` the points of written answers not yet graded."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        assignments = [(a.name, float(a.max_score)) for a in sorted(gb.assignments, key=lambda a: a.name)]
        students = [(s.id, s.first_name or "", s.last_name or "", s.email or "")
                    for s in sorted(gb.students, key=lambda s: s.id)]
        scores, pending = {}, {}
        for student, *_ in students:
            for name, _ in assignments:
                try:
                    submission = gb.find_submission(name, student)
                except MissingEntry:
                    scores[student, name] = None
                    continue
                scores[student, name] = float(submission.score)
                waiting = sum(g.max_score for nb in submission.notebooks for g in nb.grades
                              if g.needs_manual_grade and g.manual_score is None)
                if waiting:
                    pending[student, name] = waiting
    return assignments, students, scores, pending


def _read_lms_roster(path: Path, lms: str) -> dict[str, dict]:
    column = LOGIN_COLUMN[lms]
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if column not in (reader.fieldnames or []):
            raise ValueError(f"{path} has no {column!r} column: the {lms} roster must name each student's "
                             f"username there (the hub's and nbgrader's student id).")
        rows = {}
        for row in reader:
            login = (row.get(column) or "").strip()
            if login and login != "Points Possible" and (row.get("Student") or "").strip() != "Points Possible":
                rows[login] = row
    return rows


def _number(value: float) -> str:
    return f"{value:g}"


def export(course: Course, lms: str, roster: Path | None = None, path: Path | None = None) -> Export:
    """Write the gradebook for ``lms`` (canvas or moodle); returns the file and what to look at."""
    if lms not in LMS_FORMATS:
        raise ValueError(f"LMS {lms!r} is not supported: use one of {', '.join(LMS_FORMATS)} "
                         f"(make export LMS=canvas).")
    assignments, students, scores, pending = read_gradebook(course)
    if not assignments:
        raise ValueError(f"The gradebook {course.db_url} has no assignment yet: release and grade one first.")
    out = Export(Path(path or course.reports() / f"{lms}-grades.csv").resolve())
    lms_rows = _read_lms_roster(Path(roster), lms) if roster else None
    ours = {s[0] for s in students}
    if lms_rows is not None:
        for student in sorted(ours - set(lms_rows)):
            out.problems.append(f"{student} is in the gradebook but not in the {lms} roster {roster}: "
                                f"their row is written with the gradebook's details; add them to the LMS.")
        for login in sorted(set(lms_rows) - ours):
            out.problems.append(f"{login} is in the {lms} roster but not in the gradebook: no row written "
                                f"for them (were they on the hub's roster?).")
    for (student, name), score in sorted(scores.items()):
        if score is None:
            out.problems.append(f"{student} has no submission for {name}: the cell is left blank (enter 0 or "
                                f"excuse it in the LMS).")
        elif (student, name) in pending:
            out.problems.append(f"{student}/{name}: {_number(pending[student, name])} points of written answers "
                                f"are not graded yet, so {_number(score)} may rise.")

    names = [name for name, _ in assignments]
    with open(out.path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if lms == "canvas":
            writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *names])
            writer.writerow(["Points Possible", "", "", "", "", *(_number(m) for _, m in assignments)])
        else:
            writer.writerow(["First name", "Last name", "ID number", "Email address",
                             *(f"{name} (out of {_number(m)})" for name, m in assignments)])
        for student, first, last, email in students:
            cells = ["" if scores[student, n] is None else _number(scores[student, n]) for n in names]
            lms_row = (lms_rows or {}).get(student, {})
            if lms == "canvas":
                name = lms_row.get("Student") or ", ".join(p for p in (last, first) if p) or student
                writer.writerow([name, lms_row.get("ID", ""), lms_row.get("SIS User ID", ""), student,
                                 lms_row.get("Section", ""), *cells])
            else:
                writer.writerow([lms_row.get("First name") or first, lms_row.get("Last name") or last, student,
                                 lms_row.get("Email address") or email, *cells])
    return out
