"""What grading says about a submission, as data, and the one place it becomes a sentence.

The grading preprocessors (:mod:`chipcourse.grading`) and the class commands
(:mod:`chipcourse.classroom`) do not pass sentences to each other: each records a
:class:`Note` (what kind of thing happened, to which cells, and any detail), and
:func:`sentence` writes it for the teacher, here and nowhere else. Notes travel in the
graded notebook's metadata (``metadata.chipcourse.notes``), where nbgrader keeps them
from one pass of ``autograde`` to the next, so the summary of ``make autograde`` reads
them back without parsing a log. A submission's own ``metadata.chipcourse`` is thrown
away before grading starts (:func:`reset`), so it cannot write notes of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Note", "KINDS", "sentence", "merge", "reset", "record", "recorded"]

#: kind -> (the sentence, with {cells} and {detail}; whether notes of this kind share one sentence)
KINDS: dict[str, tuple[str, bool]] = {
    "duplicate-id": ("cell {cells} was copied: the copy was graded as an ordinary cell", False),
    "missing-cell": ("graded cell {cells} was missing (deleted or its metadata removed): scored 0", False),
    "disagreed": ("tests passed in the learner's kernel but failed when checked on the plain answers: "
                  "{cells} (look for changed checks or answers that are not plain values)", True),
    "stopped": ("{detail}", False),
    "limits-not-applied": ("grading limits not applied: {detail}", False),
    "gradebook-changed": ("the gradebook was changed outside the grader while this submission ran "
                          "({detail}): check it before trusting its scores", False),
    "course-changed": ("the course package changed while this submission ran ({detail}): reinstall "
                       "the course and grade again", False),
    "blocked": ("tried to read protected files or start programs while being graded (blocked)", False),
    "memory": ("ran out of its memory allowance in a cell", False),
    "output-cut": ("printed more than the grading limit allows: the rest of that output was cut", False),
    "edited-tests": ("{cells_were} edited: the original{s_were} put back and run", True),
    "unlocked-tests": ("{cells_were} unlocked: locked again and run as released", True),
    "renamed": ("graded '{detail}' as '{cells}' (the notebook was renamed)", False),
    "missing-notebooks": ("missing notebook(s) scored 0: {cells}", True),
    "upgraded": ("{cells} was in the old notebook format 3: upgraded to format 4 and graded", False),
    "unreadable": ("{detail}", False),
    "recorded-zero": ("recorded as 0", False),
    "nbgrader-failed": ("nbgrader could not grade it: {detail}", False),
    "failed": ("grading failed: {detail}", False),
}


@dataclass(frozen=True)
class Note:
    """One thing grading noticed about a submission."""

    kind: str
    cells: tuple[str, ...] = ()
    detail: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of grading note {self.kind!r}; known: {', '.join(KINDS)}")
        object.__setattr__(self, "cells", tuple(str(c) for c in self.cells))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "cells": list(self.cells), "detail": self.detail}

    @classmethod
    def from_dict(cls, raw: dict) -> "Note":
        return cls(str(raw["kind"]), tuple(raw.get("cells", ())), str(raw.get("detail", "")))


def sentence(note: Note) -> str:
    """The note as the teacher reads it, in the summary and the class report."""
    template, _ = KINDS[note.kind]
    many = len(note.cells) > 1
    cells = ", ".join(note.cells)
    cells_were = (f"test cells {cells} were" if many else f"test cell {cells} was")
    return template.format(cells=cells, detail=note.detail, cells_were=cells_were,
                           s_were="s were" if many else " was")


def merge(notes) -> list[Note]:
    """The notes with repeats dropped and each shared kind's cells gathered into one note,
    in the order they first appear."""
    merged: list[Note] = []
    for note in notes:
        if note in merged:
            continue
        _, shared = KINDS[note.kind]
        same = next((i for i, n in enumerate(merged) if shared and n.kind == note.kind), None)
        if same is None:
            merged.append(note)
        else:
            cells = tuple(dict.fromkeys([*merged[same].cells, *note.cells]))
            merged[same] = Note(note.kind, cells, merged[same].detail)
    return merged


def reset(nb) -> None:
    """Throw away whatever a submission put under ``metadata.chipcourse``."""
    nb.metadata["chipcourse"] = {"notes": []}


def record(nb, note: Note, log=None) -> None:
    """Add ``note`` to the notebook (and say it in nbgrader's log, for plain nbgrader users)."""
    holder = nb.metadata.setdefault("chipcourse", {})
    if not isinstance(holder, dict) or not isinstance(holder.get("notes"), list):
        holder = nb.metadata["chipcourse"] = {"notes": []}
    if note.as_dict() not in holder["notes"]:
        holder["notes"].append(note.as_dict())
        if log is not None:
            log.warning("%s", sentence(note))


def recorded(nb) -> list[Note]:
    """The notes a graded notebook carries (none if it carries none, or unreadable ones)."""
    holder = nb.metadata.get("chipcourse", {}) if nb is not None else {}
    found = []
    for raw in (holder.get("notes", []) if isinstance(holder, dict) else []):
        try:
            found.append(Note.from_dict(raw))
        except (KeyError, TypeError, ValueError):
            continue
    return found
