"""Release, autograde (one submission at a time, never losing one), feedback and grades."""

from __future__ import annotations

import contextlib
import csv
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .. import confinement, integrity
from ..intake import read_notebook
from ..notes import KINDS, Note, merge, recorded, sentence
from ..notebooks import autograded_tests, nbgrader_meta
from .course import Course

__all__ = ["Outcome", "release", "grade_submission", "autograde", "default_jobs", "summarise",
           "feedback", "grades", "read_notebook", "checker_words"]

GRADED, NOT_GRADABLE, FAILED = "graded", "not gradable", "grading failed"
SUMMARY_FIELDS = ["assignment", "student", "status", "score", "max_score", "manual_pending",
                  "autograded_score", "autograded_max", "seconds", "notes"]


@dataclass
class Outcome:
    """What happened to one submission: its status, score and the reasons behind both."""

    assignment: str
    student: str
    status: str
    score: float = 0.0
    max_score: float = 0.0
    manual_pending: float = 0.0  # points of written answers still waiting for a teacher
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    autograded_score: float = 0.0  # points from the test cells alone (written answers left out)
    autograded_max: float = 0.0

    def row(self) -> dict:
        return {"assignment": self.assignment, "student": self.student, "status": self.status,
                "score": round(self.score, 2), "max_score": round(self.max_score, 2),
                "manual_pending": round(self.manual_pending, 2),
                "autograded_score": round(self.autograded_score, 2),
                "autograded_max": round(self.autograded_max, 2), "seconds": round(self.seconds, 1),
                "notes": " | ".join(self.notes)}


# ---------------------------------------------------------------------------- release

def release(course: Course, assignments=None) -> list[str]:
    """Student versions of each assignment into the release folder (nbgrader generate_assignment)."""
    done = []
    with course.inside():
        for assignment in assignments or course.assignments():
            result = course.api().generate_assignment(assignment, force=True, create=True)
            if not result.get("success"):
                raise RuntimeError(f"nbgrader could not release {assignment}:\n{_last_error(result)}")
            done.append(assignment)
    return done


def _last_error(result: dict) -> str:
    text = (result.get("error") or result.get("log") or "").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no reason given"


# ---------------------------------------------------------------------------- one submission

def _find_notebooks(course: Course, assignment: str, student: str, notes: list[Note]):
    """Map expected notebook names to files; a lone renamed notebook is graded in its place."""
    folder = course.directory("submitted_directory") / student / assignment
    expected = course.notebook_names(assignment)
    found = {name: folder / f"{name}.ipynb" for name in expected if (folder / f"{name}.ipynb").exists()}
    missing = [name for name in expected if name not in found]
    others = sorted(p for p in folder.glob("*.ipynb") if p.stem not in expected)
    if len(missing) == 1 and len(others) == 1:
        target = folder / f"{missing[0]}.ipynb"
        shutil.copyfile(others[0], target)
        notes.append(Note("renamed", (target.name,), others[0].name))
        found[missing[0]] = target
        missing = []
    return found, missing


def _record_zero(course: Course, assignment: str, student: str) -> None:
    """Score every cell 0 in the gradebook, as nbgrader does for a notebook never submitted."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is None:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
        gb.db.commit()


def _scores(course: Course, assignment: str, student: str) -> dict[str, float]:
    """The submission's points from the gradebook: all cells, and the test (code) cells alone.

    Written answers are left out of the autograded points even when nbgrader scored one 0
    by itself (it does so for an answer left as released)."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        submission = gb.find_submission(assignment, student)
        out = dict.fromkeys(["score", "max_score", "manual_pending", "autograded_score", "autograded_max"], 0.0)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                out["max_score"] += grade.max_score
                if grade.needs_manual_grade and grade.manual_score is None:
                    out["manual_pending"] += grade.max_score
                else:
                    out["score"] += grade.score or 0.0
                if grade.cell.cell_type == "code":
                    out["autograded_max"] += grade.max_score
                    out["autograded_score"] += grade.score or 0.0
        return out


def _graded_notes(autograded: Path, names) -> list[Note]:
    """The notes nbgrader's passes recorded in the graded notebooks (chipcourse.notes), in the
    order of their kinds."""
    found = []
    for name in names:
        path = autograded / f"{name}.ipynb"
        nb, _ = read_notebook(path) if path.exists() else (None, None)
        found += recorded(nb)
    order = list(KINDS)
    return sorted(merge(found), key=lambda note: order.index(note.kind))


def checker_words(cell) -> str:
    """What a graded test cell said: its printed feedback and its error line, on one line."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stdout":
            parts.append(output.get("text", "").strip())
        elif output.get("output_type") == "error":
            parts.append(f"✗ {output.get('evalue', '').strip()}")
    text = " ".join(p for p in parts if p)
    return " ".join(re.sub(r"\x1b\[[0-9;]*m", "", text).split())


def _edited_tests(course: Course, assignment: str, submitted: dict) -> list[Note]:
    """Test cells whose source differs from the released copy, or that were unlocked
    (nbgrader restores both).

    ``submitted`` maps notebook names to the learner's notebooks, already read."""
    release = course.directory("release_directory") / assignment
    edited, unlocked = [], []
    for name, nb in submitted.items():
        released, _ = read_notebook(release / f"{name}.ipynb")
        if released is None:
            continue
        originals = {nbgrader_meta(c)["grade_id"]: c.source for c in autograded_tests(released)}
        for cell in nb.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if grade_id not in originals:
                continue
            if cell.source.strip() != originals.pop(grade_id).strip():
                edited.append(grade_id)
            elif nbgrader_meta(cell).get("locked") is False:
                unlocked.append(grade_id)
    return ([Note("edited-tests", tuple(edited))] if edited else []) + \
        ([Note("unlocked-tests", tuple(unlocked))] if unlocked else [])


@contextlib.contextmanager
def _quiet():
    """nbgrader's SQLAlchemy session and nbformat's id repair warn about details of a
    learner's file; what matters is reported in the Outcome's notes instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*")
        warnings.filterwarnings("ignore", message=".*Non-unique cell id.*")
        yield


def grade_submission(course: Course, assignment: str, student: str) -> Outcome:
    """Autograde one submission with nbgrader; always returns an Outcome, never raises."""
    with _quiet():
        return _grade_submission(course, assignment, student)


def _grade_submission(course: Course, assignment: str, student: str) -> Outcome:
    start = time.monotonic()
    notes: list[Note] = []
    outcome = Outcome(assignment, student, FAILED)
    try:
        found, missing = _find_notebooks(course, assignment, student, notes)
        readable, unreadable = {}, {}
        for name, path in found.items():
            nb, why = read_notebook(path)
            if nb is None:
                unreadable[name] = why
            else:
                readable[name] = nb
        notes += [Note("upgraded", (path.name,)) for name, path in found.items()
                  if name in readable and readable[name].metadata.get("orig_nbformat", 4) < 4]
        if not found or unreadable:
            reasons = list(unreadable.values()) or ["no notebook was submitted"]
            _record_zero(course, assignment, student)
            outcome.status = NOT_GRADABLE
            notes += [Note("unreadable", detail=why) for why in reasons] + [Note("recorded-zero")]
        else:
            notes += _edited_tests(course, assignment, readable)
            if missing:
                notes.append(Note("missing-notebooks", tuple(f"{m}.ipynb" for m in missing)))
            result = course.api().autograde(assignment, student, force=True, create=True)
            autograded = course.directory("autograded_directory") / student / assignment
            notes += _graded_notes(autograded, found)
            if not result.get("success"):
                notes.append(Note("nbgrader-failed", detail=_last_error(result)))
                return outcome
            outcome.status = GRADED
        for key, value in _scores(course, assignment, student).items():
            setattr(outcome, key, value)
    except Exception as exc:  # whatever happens, this submission ends with a recorded reason
        outcome.status = FAILED
        notes.append(Note("failed", detail=f"{type(exc).__name__}: {str(exc)[:200]}"))
    finally:
        outcome.notes = [sentence(note) for note in notes]
        outcome.seconds = time.monotonic() - start
    return outcome


# ---------------------------------------------------------------------------- the class

def _ensure_released(course: Course, assignments, notes_out: list[str]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        missing = []
        for assignment in assignments:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                missing.append(assignment)
    if missing:
        release(course, missing)
        notes_out.append("released first (they were not in the gradebook): " + ", ".join(missing))


def default_jobs() -> int:
    """Submissions graded at once by default: one per core, at most two (see autograde)."""
    return max(1, min(2, os.cpu_count() or 1))


def _grade_in_worker(root: str, assignment: str, student: str) -> Outcome:
    course = Course(Path(root))
    with course.inside():
        return grade_submission(course, assignment, student)


def _locked(outcome: Outcome) -> bool:
    return outcome.status == FAILED and any("database is locked" in note for note in outcome.notes)


def autograde(course: Course, assignment: str | None = None, student: str | None = None,
              progress: bool = True, summary_path: Path | None = None,
              jobs: int | None = None) -> list[Outcome]:
    """Grade every submission (or one assignment / student), with a progress bar.

    ``jobs`` submissions are graded at once, each by nbgrader in its own worker process
    (default: :func:`default_jobs`). This is safe for the SQLite gradebook: workers grade
    different students, so they never write the same rows; SQLite serialises their short
    write transactions with its file lock; and a submission whose write still lost the
    race ("database is locked") is graded again, alone, before the summary.
    """
    from tqdm.auto import tqdm

    jobs = default_jobs() if jobs is None else max(1, int(jobs))
    layout = confinement.Layout.of_this_process()
    # the course as it is before any submission runs: each replay checks it is unchanged
    with course.inside(), _quiet(), integrity.recorded_course(layout.package, layout.data):
        todo = course.submissions(assignment, student)
        if not todo:
            print(f"No submissions found in {course.directory('submitted_directory')}/<student>/"
                  f"<assignment>/ for {assignment or 'any assignment'}.")
            return []
        refused = confinement.refusal(course.config().TrustedExecute.get("confinement", confinement.CONFINED))
        if refused:
            raise RuntimeError(refused)
        preface: list[str] = []
        _ensure_released(course, sorted({a for a, _ in todo}), preface)
        for line in preface:
            print(line)
        bar = tqdm(total=len(todo), desc="Autograding", unit="submission", disable=not progress,
                   file=sys.stderr)
        began = time.monotonic()
        jobs = min(jobs, len(todo))
        results: dict[tuple[str, str], Outcome] = {}
        if jobs == 1:
            for assignment_id, student_id in todo:
                bar.set_postfix_str(f"{student_id}/{assignment_id}")
                results[assignment_id, student_id] = grade_submission(course, assignment_id, student_id)
                bar.update()
        else:
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=spawn) as pool:
                futures = {pool.submit(_grade_in_worker, str(course.root), a, s): (a, s) for a, s in todo}
                for future in as_completed(futures):
                    key = futures[future]
                    try:
                        results[key] = future.result()
                    except Exception as exc:  # a worker that died still leaves a reason
                        results[key] = Outcome(*key, FAILED, notes=[f"grading failed: the grading "
                                                                    f"worker stopped ({type(exc).__name__})"])
                    bar.set_postfix_str(f"{key[1]}/{key[0]}")
                    bar.update()
            for key in [k for k, outcome in results.items() if _locked(outcome)]:
                results[key] = grade_submission(course, *key)
        bar.close()
        outcomes = [results[key] for key in todo]
        wall = time.monotonic() - began
    path = summary_path or course.reports() / "autograde-summary.csv"
    write_summary(outcomes, path)
    print(summarise(outcomes, wall, jobs))
    print(f"Summary written to {path}")
    return outcomes


def write_summary(outcomes: list[Outcome], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=SUMMARY_FIELDS)
        writer.writeheader()
        writer.writerows(o.row() for o in outcomes)


def summarise(outcomes: list[Outcome], wall_seconds: float | None = None, jobs: int = 1) -> str:
    """The closing summary: counts, every problem with its reason, the mean per assignment.

    ``wall_seconds`` is the time the whole run took (the sum of the submissions' times when
    not given); ``jobs`` how many submissions were graded at once."""
    counts = {status: sum(o.status == status for o in outcomes) for status in (GRADED, NOT_GRADABLE, FAILED)}
    total = sum(o.seconds for o in outcomes) if wall_seconds is None else wall_seconds
    at_once = f" ({jobs} at a time)" if jobs > 1 else ""
    lines = [f"Autograded {len(outcomes)} submission{'s' * (len(outcomes) != 1)} in {total:.0f} s{at_once}: "
             f"{counts[GRADED]} graded, {counts[NOT_GRADABLE]} not gradable (scored 0), "
             f"{counts[FAILED]} failed."]
    for outcome in outcomes:
        if outcome.status != GRADED or outcome.notes:
            label = {GRADED: "note", NOT_GRADABLE: "scored 0", FAILED: "FAILED"}[outcome.status]
            lines.append(f"  {label:<8} {outcome.student}/{outcome.assignment}: " + "; ".join(outcome.notes))
    lines.append("Mean score per assignment (test cells only, written answers wait for a teacher; one not gradable counts as 0):")
    for assignment in sorted({o.assignment for o in outcomes}):
        done = [o for o in outcomes if o.assignment == assignment and o.status != FAILED]
        if not done:
            lines.append(f"  {assignment}: no submission could be graded")
            continue
        auto_max = max(o.autograded_max for o in done)
        mean = sum(o.autograded_score for o in done) / len(done)
        share = f" ({mean / auto_max:.0%} of the autograded points)" if auto_max else ""
        lines.append(f"  {assignment}: {mean:.1f} of {auto_max:.1f} autograded points over "
                     f"{len(done)} submission{'s' * (len(done) != 1)}{share}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- after grading

def feedback(course: Course, assignment: str | None = None) -> list[Path]:
    """HTML feedback for every autograded submission (hidden tests removed by the config)."""
    written = []
    with course.inside():
        autograded = course.directory("autograded_directory")
        assignments = [assignment] if assignment else course.assignments()
        for assignment_id in assignments:
            if not list(autograded.glob(f"*/{assignment_id}")):
                continue
            result = course.api().generate_feedback(assignment_id, force=True)
            if not result.get("success"):
                print(f"Feedback for {assignment_id} was not complete: {_last_error(result)}")
            written += sorted(course.directory("feedback_directory").glob(f"*/{assignment_id}/*.html"))
    return written


def grades(course: Course, path: Path | None = None) -> Path:
    """Every student's grade per assignment as CSV (nbgrader export)."""
    out = Path(path or course.reports() / "grades.csv").resolve()
    with course.inside():
        result = subprocess.run([sys.executable, "-m", "nbgrader", "export", f"--to={out}"],
                                capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader export failed:\n{result.stderr[-2000:]}")
    return out
