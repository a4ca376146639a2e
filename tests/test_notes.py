"""Grading notes are data (chipcourse.notes), written as sentences in one place."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from chipcourse import notes
from chipcourse.notes import Note


def test_each_kind_reads_as_a_sentence():
    assert notes.sentence(Note("duplicate-id", ("density_ratio",))) == (
        "cell density_ratio was copied: the copy was graded as an ordinary cell")
    assert notes.sentence(Note("edited-tests", ("a",))) == "test cell a was edited: the original was put back and run"
    assert notes.sentence(Note("edited-tests", ("a", "b"))) == (
        "test cells a, b were edited: the originals were put back and run")
    assert notes.sentence(Note("stopped", detail="a cell ran for more than 60 s")) == "a cell ran for more than 60 s"
    for kind in notes.KINDS:
        assert "{" not in notes.sentence(Note(kind, ("x",), "why")), kind


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind of grading note 'made-up'"):
        Note("made-up")


def test_shared_kinds_are_gathered_and_repeats_dropped():
    merged = notes.merge([Note("disagreed", ("a",)), Note("blocked"), Note("disagreed", ("b",)), Note("blocked"),
                          Note("duplicate-id", ("x",)), Note("duplicate-id", ("y",))])
    assert merged == [Note("disagreed", ("a", "b")), Note("blocked"), Note("duplicate-id", ("x",)),
                      Note("duplicate-id", ("y",))]


def test_notes_travel_in_the_notebook_and_a_submissions_own_are_thrown_away():
    nb = nbformat.v4.new_notebook()
    nb.metadata["chipcourse"] = {"notes": [{"kind": "gradebook-changed", "detail": "fake alarm"}]}
    notes.reset(nb)
    notes.record(nb, Note("missing-cell", ("part_a",)))
    notes.record(nb, Note("missing-cell", ("part_a",)))
    copy = nbformat.reads(nbformat.writes(nb), as_version=4)
    assert notes.recorded(copy) == [Note("missing-cell", ("part_a",))]
    copy.metadata["chipcourse"] = {"notes": [{"nonsense": 1}, "text"]}
    assert notes.recorded(copy) == []


def test_the_graded_kernel_imports_no_nbgrader():
    """What the kernel imports to take its snapshot is small and needs no grader machinery."""
    code = ("import sys, chipcourse.answers as a; a.snapshot(['x']); "
            "bad = [m for m in ('nbgrader', 'nbclient', 'chipcourse.grading', 'chipcourse.checks', 'pandas') "
            "if m in sys.modules]; print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
