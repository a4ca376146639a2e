"""Autograde a class on every core without two processes ever writing one gradebook.

nbgrader grades submissions one after another, and its gradebook is one SQLite file:
running two ``nbgrader autograde`` on the same course would have two writers on that
file. :func:`autograde` instead splits the class into shards, one per core:

1. each shard is a folder of its own holding a **copy** of the course's gradebook (which
   knows the released assignment), the course's ``nbgrader_config.py``, ``exercises/`` and
   links to its students' submissions;
2. one ``nbgrader autograde`` per shard runs at the same time, each writing only its
   own copy (no SQLite file has two writers, so no lock is ever contended);
3. when all have finished, this process alone copies every graded submission into the
   course's gradebook (scores, comments, flags, through nbgrader's own API) and moves the
   autograded notebooks into ``autograded/``.

A shard that fails loses nothing: its students are reported as not graded, the others
are merged, and grading them again (with nbgrader or this) completes the class.

Run in the course folder: ``python -m chipcourse.shards <assignment> [--jobs N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

__all__ = ["split", "autograde", "merge"]


def split(students: list[str], jobs: int) -> list[list[str]]:
    """``students`` dealt round-robin into at most ``jobs`` non-empty shards."""
    jobs = max(1, min(jobs, len(students)))
    return [students[i::jobs] for i in range(jobs)]


def _submitted(course: Path, assignment: str) -> list[str]:
    folder = course / "submitted"
    return sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir())


def _shard_folder(course: Path, where: Path, assignment: str, students: list[str]) -> Path:
    where.mkdir(parents=True)
    shutil.copy2(course / "gradebook.db", where / "gradebook.db")
    shutil.copy2(course / "nbgrader_config.py", where / "nbgrader_config.py")
    (where / "exercises").symlink_to(course / "exercises")
    for student in students:
        (where / "submitted" / student).mkdir(parents=True)
        (where / "submitted" / student / assignment).symlink_to(course / "submitted" / student / assignment)
    return where


def merge(shard_db: Path, course_db: Path, assignment: str) -> list[str]:
    """Copy every submission of ``assignment`` graded in ``shard_db`` into ``course_db``."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    merged = []
    with Gradebook(f"sqlite:///{shard_db}") as shard, Gradebook(f"sqlite:///{course_db}") as course, \
            warnings.catch_warnings():
        # nbgrader's add_submission autoflushes half-built rows and SQLAlchemy warns; nbgrader's own
        # autograde does the same, and the rows are complete when committed
        warnings.simplefilter("ignore", SAWarning)
        for sub in shard.assignment_submissions(assignment):
            student = sub.student
            course.update_or_create_student(student.id, first_name=student.first_name,
                                            last_name=student.last_name, email=student.email)
            try:
                target = course.find_submission(assignment, student.id)
            except MissingEntry:
                target = course.add_submission(assignment, student.id)
            target.timestamp, target.extension = sub.timestamp, sub.extension
            for nb in sub.notebooks:
                into = course.find_submission_notebook(nb.name, assignment, student.id)
                into.flagged, into.late_submission_penalty = nb.flagged, nb.late_submission_penalty
                for grade in nb.grades:
                    g = course.find_grade(grade.name, nb.name, assignment, student.id)
                    g.auto_score, g.manual_score = grade.auto_score, grade.manual_score
                    g.extra_credit, g.needs_manual_grade = grade.extra_credit, grade.needs_manual_grade
                for comment in nb.comments:
                    c = course.find_comment(comment.name, nb.name, assignment, student.id)
                    c.auto_comment, c.manual_comment = comment.auto_comment, comment.manual_comment
            course.db.commit()
            merged.append(student.id)
    return merged


def autograde(course: Path, assignment: str, jobs: int | None = None,
              nbgrader: list[str] | None = None) -> dict:
    """Grade every submission of ``assignment`` in ``course`` with ``jobs`` nbgrader processes.

    Returns ``{"graded": [...], "failed": {student: reason}}``. The course's gradebook
    must know the assignment (``nbgrader generate_assignment`` has run).
    """
    course = Path(course).resolve()
    nbgrader = nbgrader or [sys.executable, "-m", "nbgrader"]
    students = _submitted(course, assignment)
    if not (course / "gradebook.db").exists():
        raise FileNotFoundError(f"{course / 'gradebook.db'} is missing: release the assignment first.")
    shards = split(students, jobs or os.cpu_count() or 1)
    graded, failed = [], {}
    with tempfile.TemporaryDirectory(prefix=".shards-", dir=course) as tmp:
        folders = [_shard_folder(course, Path(tmp) / f"shard{i}", assignment, group)
                   for i, group in enumerate(shards)]
        running = [(folder, group, open(folder / "autograde.log", "w")) for folder, group in zip(folders, shards)]
        processes = [subprocess.Popen([*nbgrader, "autograde", assignment, "--create"], cwd=folder,
                                      stdout=log, stderr=subprocess.STDOUT) for folder, _, log in running]
        codes = [p.wait() for p in processes]
        for (folder, group, log), code in zip(running, codes):
            log.close()
            done = merge(folder / "gradebook.db", course / "gradebook.db", assignment)
            for student in done:
                source, target = folder / "autograded" / student / assignment, course / "autograded" / student / assignment
                if source.exists():
                    shutil.rmtree(target, ignore_errors=True)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(source), target)
            graded += done
            reason = f"nbgrader exited with {code}; see its log" if code else "not in the shard's gradebook"
            failed.update({s: reason for s in group if s not in done})
    return {"graded": sorted(graded), "failed": failed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="nbgrader processes (default: cores)")
    args = parser.parse_args(argv)
    result = autograde(Path.cwd(), args.assignment, args.jobs)
    print(f"graded {len(result['graded'])} submission(s) of {args.assignment} in {args.jobs} shard(s)")
    for student, reason in sorted(result["failed"].items()):
        print(f"NOT graded: {student}: {reason}", file=sys.stderr)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
