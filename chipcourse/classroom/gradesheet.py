"""``reports/grades.csv``: nbgrader's grade export, saying why a row has no score.

nbgrader's own CSV export writes a score of 0 for every set a student never handed in,
whether or not it was ever released, so a 0 earned and a set never seen look alike.
:class:`CourseExportPlugin` (set as ``ExportApp.plugin_class`` in ``nbgrader_config.py``,
so ``make grades`` and ``nbgrader export`` both use it) writes nbgrader's columns plus

* ``status``: ``graded``; ``awaiting a teacher`` (graded, but written answers still wait
  for a teacher's score); ``not submitted`` (the set was released, nothing was handed in);
  ``not released`` (no student version of the set has been made, so nobody could hand it in);
* ``points_awaiting_teacher``: the points of written answers not graded yet;

and leaves the scores empty, not 0, for a set not submitted or not released.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import MissingEntry
from nbgrader.plugins.export import ExportPlugin

__all__ = ["FIELDS", "STATUSES", "rows", "CourseExportPlugin"]

FIELDS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
          "status", "raw_score", "late_submission_penalty", "score", "max_score", "points_awaiting_teacher"]
GRADED, AWAITING, NOT_SUBMITTED, NOT_RELEASED = "graded", "awaiting a teacher", "not submitted", "not released"
STATUSES = [GRADED, AWAITING, NOT_SUBMITTED, NOT_RELEASED]


def _text(value) -> str:
    return "" if value is None else str(value)


def rows(gradebook, released, students=(), assignments=()) -> list[dict]:
    """One row per assignment and student in ``gradebook`` (nbgrader's ``Gradebook``).

    ``released(name)`` says whether a student version of assignment ``name`` exists;
    ``students`` and ``assignments`` limit the rows (empty: all), as nbgrader's export does.
    """
    out = []
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        for student in gradebook.students:
            if students and student.id not in students:
                continue
            row = {"assignment": assignment.name, "duedate": _text(assignment.duedate),
                   "student_id": student.id, "last_name": _text(student.last_name),
                   "first_name": _text(student.first_name), "email": _text(student.email),
                   "max_score": _text(assignment.max_score)}
            try:
                submission = gradebook.find_submission(assignment.name, student.id)
            except MissingEntry:
                row.update(status=NOT_SUBMITTED if released(assignment.name) else NOT_RELEASED,
                           timestamp="", raw_score="", late_submission_penalty="", score="",
                           points_awaiting_teacher="")
            else:
                waiting = sum(grade.max_score for notebook in submission.notebooks for grade in notebook.grades
                              if grade.needs_manual_grade and grade.manual_score is None)
                penalty = submission.late_submission_penalty or 0.0
                row.update(status=AWAITING if waiting else GRADED, timestamp=_text(submission.timestamp),
                           raw_score=_text(submission.score), late_submission_penalty=_text(penalty),
                           score=_text(max(0.0, submission.score - penalty)),
                           points_awaiting_teacher=_text(waiting))
            out.append(row)
    return out


class CourseExportPlugin(ExportPlugin):
    """nbgrader's CSV export with a ``status`` column and no 0 for a set never handed in."""

    def export(self, gradebook) -> None:
        dest = Path(self.to or "grades.csv")
        coursedir = getattr(self.parent, "coursedir", None)

        def released(name: str) -> bool:
            if coursedir is None:
                return True
            return Path(coursedir.format_path(coursedir.release_directory, ".", name)).is_dir()

        self.log.info("Exporting grades to %s", dest)
        table = rows(gradebook, released, [str(s) for s in self.student], [str(a) for a in self.assignment])
        with open(dest, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(table)
