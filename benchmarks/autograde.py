"""Autograding: the course's grading command against bare nbgrader, and a class of 100.

For each exercise set, a temporary course folder (a copy of the checkout) gets the set
released with the course's ``nbgrader_config.py`` and a few synthetic submissions made
from the source (all right, or every other answer wrong: see
``chipcourse.notebooks.with_wrong_answers``). They are graded twice, each time in one
command, from an empty gradebook:

* by the course's command: what ``make autograde`` runs, ``python -m chipcourse.classroom
  autograde`` (called directly, so make's install check is not timed), one submission at a
  time (``--jobs 1``) like nbgrader; ``AUTOGRADE_CMD`` overrides it;
* by bare ``nbgrader autograde <set>`` with nbgrader's defaults (a config that only names
  the course folders), the floor;
* by the course's command again with ``c.TrustedExecute.confinement = "audit-hooks-only"``
  appended to its config, everything else the same: the difference is what confining each
  submission with bubblewrap costs (the sandbox, its private copy and the replay's own
  confined process).

Then one set is submitted by a class of 100 and graded in one command by the course's
command: total and per-submission time, and the peak memory of the process tree
(psutil, sampled every 0.2 s); bare serial nbgrader grades the same class for comparison,
and the course's command grades it again on every core (``--jobs``, the stretch goal), its
scores checked against the serial run's.

Budget (COURSE_DESIGN.md): per submission ≤ 1.5 × bare nbgrader.
Run: python -m benchmarks.autograde [--students 4] [--class-size 100] [--quick]
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from chipcourse import notebooks

from . import common
from .common import Budget, Section, Table, ratio

BUDGET = 1.5
BARE = "{python} -m nbgrader autograde {assignment}"
COURSE = "{python} -m chipcourse.classroom autograde --assignment {assignment} --jobs 1"
PARALLEL = "{python} -m chipcourse.classroom autograde --assignment {assignment}"  # + --jobs N
UNCONFINED = '\nc.TrustedExecute.confinement = "audit-hooks-only"  # the benchmark\'s comparison\n'
BARE_CONFIG = '''c = get_config()  # noqa: F821
# nbgrader's defaults: only the course's folders are named (no course preprocessors)
c.CourseDirectory.source_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
'''


def course_command(given: str | None) -> tuple[str, str]:
    """The grading command template and how it was chosen."""
    if given:
        return given, "AUTOGRADE_CMD"
    return COURSE, "what `make autograde` runs, one submission at a time"


def nbgrader(*args, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def released_course(folder: Path, assignment: str) -> Path:
    """A copy of the checkout with ``assignment`` released (gradebook knows its cells)."""
    common.copy_checkout(folder)
    nbgrader("generate_assignment", assignment, "--force", cwd=folder)
    return folder


def submit_class(course: Path, assignment: str, count: int, prefix: str = "student") -> list[str]:
    """``count`` synthetic submissions: all right, or one answer in 2, 3 or 4 wrong."""
    name = f"{assignment}-exercises.ipynb"
    source = nbformat.read(course / "exercises" / assignment / name, as_version=4)
    students = []
    for i in range(count):
        student = f"{prefix}{i:03d}"
        nb = source if i % 4 == 0 else notebooks.with_wrong_answers(source, every=1 + i % 4, offset=i)
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / name)
        students.append(student)
    return students


def as_bare(course: Path, dest: Path) -> Path:
    """The same released course and submissions, graded with nbgrader's defaults."""
    shutil.copytree(course, dest)
    (dest / "nbgrader_config.py").write_text(BARE_CONFIG)
    return dest


def as_unconfined(course: Path, dest: Path) -> Path:
    """The same course and submissions, graded by the course without bubblewrap."""
    shutil.copytree(course, dest)
    with open(dest / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(UNCONFINED)
    return dest


class PeakMemory:
    """Peak resident memory of a process and all its children, sampled in a thread."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def timed(command: str, cwd: Path, log: Path) -> tuple[float, int]:
    """Run a shell command in ``cwd``; (seconds, peak memory in bytes). Raises if it fails."""
    start = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(command, shell=True, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        with PeakMemory(process.pid) as memory:
            code = process.wait()
    seconds = time.perf_counter() - start
    if code:
        raise RuntimeError(f"`{command}` failed ({code}) in {cwd}:\n{log.read_text()[-3000:]}")
    return seconds, memory.peak


def scores(course: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: s.score for s in gb.assignment_submissions(assignment)}


def fill(template: str, assignment: str, course: Path) -> str:
    venv = Path(sys.executable).parent.parent
    return template.format(assignment=shlex.quote(assignment), course=shlex.quote(str(course)),
                           python=shlex.quote(sys.executable), venv=shlex.quote(str(venv)))


def run(args) -> Section:
    template, how = course_command(args.autograde_cmd or os.environ.get("AUTOGRADE_CMD"))
    assignments = [p.parent.name for p in notebooks.exercises()]
    if args.quick:
        assignments = assignments[:1]
    per_set = 1 if args.quick else args.students
    class_size = 2 if args.quick else args.class_size
    class_set = args.class_assignment or next((a for a in assignments if not a.startswith("00")), assignments[0])
    section = Section("autograde", "Autograding (nbgrader)", "")
    rows, course_total, bare_total, graded = [], 0.0, 0.0, 0
    overhead_rows, unconfined_total = [], 0.0
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        tmp = Path(tmp)
        for assignment in assignments:
            course = released_course(tmp / f"course-{assignment}", assignment)
            submit_class(course, assignment, per_set)
            bare = as_bare(course, tmp / f"bare-{assignment}")
            unconfined = as_unconfined(course, tmp / f"unconfined-{assignment}")
            runs = [("course", template, course), ("bare", BARE, bare), ("unconfined", template, unconfined)]
            if len(rows) % 2:
                runs.reverse()   # alternate who goes first, so warm caches favour neither
            took = {who: timed(fill(command, assignment, folder), folder, tmp / f"{who}-{assignment}.log")[0]
                    for who, command, folder in runs}
            c_seconds, b_seconds, u_seconds = took["course"], took["bare"], took["unconfined"]
            if scores(unconfined, assignment) != scores(course, assignment):
                raise RuntimeError(f"{assignment}: confined and unconfined grading gave different scores")
            overhead_rows.append([assignment, per_set, round(c_seconds / per_set, 2), round(u_seconds / per_set, 2),
                                  round((c_seconds - u_seconds) / per_set, 2), round(ratio(c_seconds, u_seconds), 2)])
            unconfined_total += u_seconds
            course_scores, bare_scores = scores(course, assignment), scores(bare, assignment)
            if len(course_scores) != per_set:
                raise RuntimeError(f"{assignment}: the course's command graded {len(course_scores)} "
                                   f"of {per_set} submissions")
            rows.append([assignment, per_set, round(c_seconds / per_set, 2), round(b_seconds / per_set, 2),
                         round(ratio(c_seconds, b_seconds), 2),
                         " ".join(f"{v:g}" for _, v in sorted(course_scores.items())),
                         " ".join(f"{v:g}" for _, v in sorted(bare_scores.items()))])
            course_total, bare_total, graded = course_total + c_seconds, bare_total + b_seconds, graded + per_set
        section.tables.append(Table(
            ["exercise set", "submissions", "course s/submission", "bare s/submission", "× bare",
             "course scores", "bare scores"], rows, "Per submission, each set graded in one command"))
        per_ratio = ratio(course_total, bare_total)
        section.budgets.append(Budget(
            "autograde per submission vs bare nbgrader", f"≤ {BUDGET}× bare",
            f"{per_ratio:.2f}× ({course_total / graded:.1f} s vs {bare_total / graded:.1f} s per submission)",
            per_ratio <= BUDGET))
        section.tables.append(Table(
            ["exercise set", "submissions", "confined s/submission", "audit hooks only s/submission",
             "overhead s/submission", "× unconfined"], overhead_rows,
            "What confinement costs: the course's command with bubblewrap and with the audit hooks only"))
        section.budgets.append(Budget(
            "confinement overhead (bubblewrap vs audit hooks only)", f"inside the ≤ {BUDGET}× budget above",
            f"{(course_total - unconfined_total) / graded:+.2f} s per submission "
            f"({ratio(course_total, unconfined_total):.2f}× unconfined)", per_ratio <= BUDGET))

        # a class of 100 in one command
        course = released_course(tmp / "class", class_set)
        submit_class(course, class_set, class_size)
        bare = as_bare(course, tmp / "class-bare")
        parallel = shutil.copytree(course, tmp / "class-parallel")
        seconds, peak = timed(fill(template, class_set, course), course, tmp / "class.log")
        graded_class = scores(course, class_set)
        class_rows = [["course command, serial", class_size, len(graded_class), round(seconds, 1),
                       round(seconds / class_size, 2), f"{peak / 2**20:.0f}" if peak else "–"]]
        b_seconds, b_peak = timed(fill(BARE, class_set, bare), bare, tmp / "class-bare.log")
        class_rows.append(["bare nbgrader, serial", class_size, len(scores(bare, class_set)),
                           round(b_seconds, 1), round(b_seconds / class_size, 2), f"{b_peak / 2**20:.0f}"])
        jobs = args.jobs or os.cpu_count() or 1
        p_seconds, p_peak = timed(fill(PARALLEL, class_set, parallel) + f" --jobs {jobs}", parallel,
                                  tmp / "class-parallel.log")
        parallel_scores = scores(parallel, class_set)
        same = parallel_scores == graded_class
        class_rows.append([f"course command, {jobs} at once (make autograde JOBS={jobs})", class_size,
                           len(parallel_scores), round(p_seconds, 1), round(p_seconds / class_size, 2),
                           f"{p_peak / 2**20:.0f}"])
        section.tables.append(Table(["class", "submissions", "graded", "total s", "s/submission",
                                     "peak memory MB"], class_rows,
                                    f"A class of {class_size} ({class_set}) in one command"))
        section.budgets.append(Budget(
            f"a class of {class_size} graded in one command", "every submission graded",
            f"{len(graded_class)} of {class_size} in {seconds:.0f} s ({seconds / class_size:.2f} s each), "
            f"peak memory {peak / 2**20:.0f} MB", len(graded_class) == class_size))
        section.budgets.append(Budget(
            f"stretch: a class of {class_size} on {jobs} cores vs bare serial nbgrader", "< 1× bare serial",
            f"{ratio(p_seconds, b_seconds):.2f}× ({p_seconds:.0f} s vs {b_seconds:.0f} s); scores "
            f"{'identical to' if same else 'DIFFERENT from'} serial grading",
            p_seconds < b_seconds and same))
    section.notes += [
        f"Course command: {how}: `{template}`.",
        "Bare nbgrader: `nbgrader autograde <set>` with a config naming only the folders, so nbgrader's "
        "default preprocessors run (its Execute runs the tests in the student's kernel).",
        "Submissions are synthetic: one in four is the source (all right), the others have every second, "
        "third or fourth graded answer replaced by a wrong number. Both graders see the same files.",
        "Times include each command's start (Python, nbgrader, the gradebook) once per command.",
    ]
    section.notes += [
        f"The class, serial: the course's command took {ratio(seconds, b_seconds):.2f}× bare serial nbgrader "
        f"on the same {class_size} submissions.",
        "In parallel (`--jobs`): worker processes each hand nbgrader different students; SQLite's file lock "
        "serialises their short gradebook writes and a write that still found the database locked is graded "
        "again alone (chipcourse.classroom.autograde); the scores are compared with the serial run's, "
        "student by student.",
    ]
    return section


def options(parser) -> None:
    parser.add_argument("--students", type=int, default=4, help="submissions per exercise set")
    parser.add_argument("--class-size", type=int, default=100)
    parser.add_argument("--class-assignment", default=None, help="the set the class submits")
    parser.add_argument("--jobs", type=int, default=None, help="workers for the parallel class run (default: cores)")
    parser.add_argument("--autograde-cmd", default=None,
                        help="the course's grading command; {assignment} {course} {python} {venv} are filled in "
                             "(default: $AUTOGRADE_CMD, else what `make autograde` runs)")


if __name__ == "__main__":
    common.main("autograde", run, __doc__, options)
