"""The whole course executed headless, against the floor of a kernel that runs nothing.

Every lesson and every exercise source is executed with nbclient (as the tests do, as a
learner's Run All does: interactive charts, not grading), and, in the same run and
through the same client and kernel, as many *floor* notebooks (a kernel only: ``1 + 1``)
and, for comparison, as many notebooks that import the third-party libraries the course
needs (numpy, pandas, altair, ipywidgets). They alternate (course, floor, libraries,
course, ...) so that other load on the machine falls on all three alike.

Budgets (issue 22): course ≤ 1.5 × the kernel-only floor; a lesson's setup cell (its one
import line, ``from chipcourse import ...``), median ≤ 0.5 s.
Run: python -m benchmarks.course_execution [--rounds 1] [--quick]
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import time

import nbformat
from nbclient import NotebookClient

from chipcourse import notebooks

from . import common
from .common import Budget, Section, Table, ratio

BUDGET = 1.5
SETUP_BUDGET = 0.5
LIBRARIES = "import numpy, pandas, altair, ipywidgets"


def execute(nb, folder) -> float:
    """Seconds to execute ``nb`` in a fresh python3 kernel, cells that raise included."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(folder)}}).execute(stderr=subprocess.DEVNULL)  # kernel logs
    return time.perf_counter() - start


def one_cell(source: str):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])


def cell_seconds(nb) -> list[tuple[float, int, str]]:
    """(seconds, index, first line) for each executed code cell, from nbclient's timing metadata."""
    found = []
    for i, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if cell.cell_type == "code" and begin and end:
            seconds = (dt.datetime.fromisoformat(end.replace("Z", "+00:00"))
                       - dt.datetime.fromisoformat(begin.replace("Z", "+00:00"))).total_seconds()
            found.append((seconds, i, (cell.source.strip().splitlines() or [""])[0][:70]))
    return found


def run(args) -> Section:
    os.environ.pop("NBGRADER_EXECUTION", None)    # a learner's Run All, not grading
    os.environ.pop("CHIPCOURSE_CHARTS", None)
    paths = notebooks.lessons()[:1] + notebooks.exercises()[:1] if args.quick else \
        notebooks.lessons() + notebooks.exercises()
    rounds = 1 if args.quick else args.rounds
    course = {p: [] for p in paths}
    floor, trivial, cells = [], [], []
    for _ in range(rounds):
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            course[path].append(execute(nb, path.parent))
            cells += [(s, path.stem, i, line) for s, i, line in cell_seconds(nb)]
            floor.append(execute(one_cell(LIBRARIES), path.parent))
            trivial.append(execute(one_cell("1 + 1"), path.parent))
    course_total = sum(sum(v) for v in course.values()) / rounds
    floor_total, trivial_total = sum(floor) / rounds, sum(trivial) / rounds
    n = len(paths)
    lessons = [p for p in paths if p.parent.name == "notebooks"]
    lesson_total = sum(sum(course[p]) for p in lessons) / rounds
    floor_each, trivial_each = floor_total / n, trivial_total / n

    section = Section("course_execution", "Course execution headless (nbclient)", "")
    rows = [[p.stem, "lesson" if p in lessons else "exercise", round(sum(course[p]) / rounds, 2),
             round(ratio(sum(course[p]) / rounds, trivial_each), 2)] for p in paths]
    section.tables.append(Table(["notebook", "kind", "seconds", "× kernel-only floor (mean)"], rows,
                                f"Per notebook (mean of {rounds} round(s))"))
    section.tables.append(Table(
        ["what", "notebooks", "total s", "per notebook s"],
        [["the course (lessons and exercise sources)", n, round(course_total, 1), round(course_total / n, 2)],
          ["floor: kernel only, 1 + 1", n, round(trivial_total, 1), round(trivial_each, 2)],
         ["for comparison: kernel + " + LIBRARIES, n, round(floor_total, 1), round(floor_each, 2)]],
        "Totals"))
    slow = sorted(cells, reverse=True)[:8]
    section.tables.append(Table(["seconds", "notebook", "cell", "first line"],
                                [[round(s, 2), stem, i, line] for s, stem, i, line in slow],
                                "Slowest cells (where the time goes)"))
    setup = sorted(s for s, stem, _, line in cells
                   if line.startswith(("from chipcourse import", "from chipcourse.ja import"))
                   and any(p.stem == stem for p in lessons))
    if setup:
        median = statistics.median(setup)
        section.budgets.append(Budget(
            "a lesson's setup cell (the import line), median", f"≤ {SETUP_BUDGET} s",
            f"{median:.2f} s (max {setup[-1]:.2f} s, {len(setup)} cells)", median <= SETUP_BUDGET))
    course_ratio = ratio(course_total, trivial_total)
    section.budgets.append(Budget(
        "whole course headless vs kernel-only floor", f"≤ {BUDGET}× floor",
        f"{course_ratio:.2f}× ({course_total:.1f} s vs {trivial_total:.1f} s for {n} notebooks)",
        course_ratio <= BUDGET))
    imports = floor_total - trivial_total
    own = course_total - floor_total
    section.notes += [
        f"Lessons alone: {lesson_total:.1f} s for {len(lessons)}, "
        f"{ratio(lesson_total, trivial_each * len(lessons)):.2f}× the same number of kernel-only notebooks.",
        f"Importing all the libraries up front would cost {imports:.1f} s over {n} kernels (libraries minus "
        f"kernel only); the course took {own:+.1f} s against that, as it imports altair only when a chart is "
        "built.",
        "Executed as a learner's Run All: interactive charts, widgets built, check cells left "
        "unanswered (they raise by design).",
    ]
    return section


if __name__ == "__main__":
    common.main("course_execution", run, __doc__,
                lambda p: p.add_argument("--rounds", type=int, default=1, help="times to run the comparison"))
