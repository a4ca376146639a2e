"""What a teacher needs to know about each lesson, read from the notebooks themselves.

The teacher guide (``docs/teacher-guide.md``) and the static edition's course tour
quote the lessons: their objectives, their time, their widgets, the parts and points of
the exercise sets, and which check recognises which misconception. This module reads all
of that from the lessons, the exercise sources and the lessons' answer keys, so the
tests can hold the guide to them and nothing is kept twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import lessons, misconceptions, notebooks, syllabus
from .checking import misconceptions_named_by

__all__ = ["Header", "Part", "header", "title", "widget_calls", "exercise_for", "exercise_parts",
           "lesson_topic", "recognised_in"]


@dataclass(frozen=True)
class Header:
    """The opening block of a lesson: title, hook, objectives and time."""

    title: str
    hook: str
    objectives: list[str]
    teaching_minutes: int
    exercise_minutes: int
    time: str  # as the lesson writes it, e.g. "30 minutes teaching, 20 minutes exercises"


@dataclass(frozen=True)
class Part:
    """One graded cell of an exercise set."""

    grade_id: str
    points: float
    heading: str   # the markdown heading above it, e.g. "Part A (2 points)"
    manual: bool   # a written answer the teacher reads


_TIME = re.compile(r"\*\*Time\*\*:\s*((\d+) minutes (?:teaching|reading), (\d+) minutes exercises)")


def _read(nb_or_path):
    if isinstance(nb_or_path, (str, Path)):
        return nbformat.read(nb_or_path, as_version=4)
    return nb_or_path


def title(nb_or_path) -> str:
    """The lesson's first level-1 heading, without the ``#``."""
    nb = _read(nb_or_path)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    raise ValueError("the notebook has no level-1 heading")


def header(nb_or_path) -> Header:
    """The lesson's title, hook, numbered objectives and time, from its first cell."""
    nb = _read(nb_or_path)
    first = nb.cells[0].source
    hook = next((line.strip().strip("*") for line in first.splitlines()
                 if line.startswith("*") and not line.startswith("**")), "")
    block = first.split("**Objectives**", 1)[1]
    objectives = []
    for line in block.splitlines()[1:]:
        match = re.match(r"^\s*\d+\.\s+(.*\S)\s*$", line)
        if match:
            objectives.append(match.group(1))
        elif objectives and not line.strip():
            break
    time = _TIME.search(first)
    if not objectives or time is None:
        raise ValueError("the first cell needs a numbered **Objectives** list and a **Time** line")
    return Header(title(nb), hook, objectives, int(time.group(2)), int(time.group(3)), time.group(1))


def widget_calls(nb_or_path) -> list[str]:
    """The widget factories a lesson calls (``widgets.rayleigh_calculator()`` → its name), in order."""
    nb = _read(nb_or_path)
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            found += re.findall(r"\bwidgets\.([a-z_]+)\(", cell.source)
    return list(dict.fromkeys(found))


def exercise_for(lesson: Path) -> Path | None:
    """The exercise source that goes with a lesson (its lesson.toml names it), if there is one."""
    topic = syllabus.topic_for(lesson.stem)
    if topic is None:
        return None
    name = syllabus.lesson_for(topic).exercise
    path = lesson.parent.parent / "exercises" / name / f"{name}-exercises.ipynb"
    return path if path.exists() else None


def exercise_parts(nb_or_path) -> list[Part]:
    """Every graded cell of an exercise source, with its points and the heading above it."""
    nb = _read(nb_or_path)
    parts, heading = [], ""
    for cell in nb.cells:
        meta = notebooks.nbgrader_meta(cell)
        if cell.cell_type == "markdown":
            match = re.search(r"^##\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                heading = match.group(1).strip()
        if meta.get("grade"):
            parts.append(Part(meta["grade_id"], float(meta.get("points", 0)), heading,
                              cell.cell_type == "markdown" or bool(meta.get("solution"))))
    return parts


def lesson_topic(lesson: Path) -> str | None:
    """The topic (the lesson's package, chipcourse/lessons/<topic>/) of a lesson notebook."""
    return syllabus.topic_for(lesson.stem)


def _keys_in(text: str) -> set[str]:
    return {key for key in misconceptions.catalogue() if f'"{key}"' in text or f"'{key}'" in text}


def recognised_in(root: Path = notebooks.ROOT) -> dict[str, list[str]]:
    """For each misconception key, the lesson questions and exercise parts whose check names it.

    Lesson questions are named by their question id (``nodes_ibm_gate_length``), exercise
    parts by their ``grade_id``. A lesson question is asked which keys it passes to its
    checker (:func:`chipcourse.checking.misconceptions_named_by`); an exercise part's test
    cell names its keys in its source. The general slips (a factor of 1000, a percentage,
    an inverted ratio, a flipped sign) are also recognised by every numeric check without
    being named; only the places that name a key are listed.
    """
    found: dict[str, list[str]] = {key: [] for key in misconceptions.catalogue()}
    for q in lessons.questions().values():
        for key in misconceptions_named_by(q.check):
            found[key].append(q.id)
    for path in notebooks.exercises(root):
        for cell in _read(path).cells:
            meta = notebooks.nbgrader_meta(cell)
            if meta.get("grade") and cell.cell_type == "code":
                for key in _keys_in(cell.source):
                    found[key].append(meta["grade_id"])
    return found
