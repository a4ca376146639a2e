"""How much output a graded notebook may keep, counted in bytes as it arrives.

nbgrader's ``LimitOutput`` counts lines, after the notebook has run: a few hundred very
long lines (or one enormous display) pass it and leave a graded notebook, and feedback,
of hundreds of megabytes, all held in the grader's memory first. :class:`OutputBudget`
is applied by :class:`chipcourse.grading.TrustedExecute` to each output as the kernel
sends it: past a cell's or the notebook's budget, what an output carries is replaced by
nothing (its place in the list is kept, so later display updates still find it) and the
cell gets one line saying its output was cut.
"""

from __future__ import annotations

import json

__all__ = ["NOTICE", "output_size", "OutputBudget"]

#: the start of the line a cut cell shows (the class summary looks for it)
NOTICE = "chipcourse grading cut this cell's output"


def output_size(output) -> int:
    """Bytes an output adds to the graded notebook (about: its text and data as JSON)."""
    kind = output.get("output_type")
    if kind == "stream":
        return len(output.get("text", "").encode("utf-8", "replace"))
    if kind == "error":
        return sum(len(str(line)) for line in [output.get("evalue", ""), *output.get("traceback", [])])
    return len(json.dumps(output.get("data", {}), default=str)) + len(json.dumps(output.get("metadata", {}), default=str))


def _emptied(output) -> None:
    kind = output.get("output_type")
    if kind == "stream":
        output["text"] = ""
    elif kind == "error":
        output["evalue"] = str(output.get("evalue", ""))[:300]
        output["traceback"] = []
    else:
        output["data"] = {"text/plain": "[output removed: over the size limit]"}
        output["metadata"] = {}


class OutputBudget:
    """Bytes of output each cell (``per_cell``) and the notebook (``per_notebook``) may keep."""

    def __init__(self, per_cell: int, per_notebook: int):
        self.per_cell, self.per_notebook = int(per_cell), int(per_notebook)
        self.used: dict[int, int] = {}
        self.cut: set[int] = set()

    def admit(self, outputs: list, output, cell_index: int) -> bool:
        """Count ``output`` (already appended to ``outputs``); empty it if over budget."""
        size = output_size(output)
        cell = self.used.get(cell_index, 0)
        if cell + size <= self.per_cell and sum(self.used.values()) + size <= self.per_notebook:
            self.used[cell_index] = cell + size
            return True
        _emptied(output)
        if cell_index not in self.cut:
            from nbformat.v4 import new_output

            self.cut.add(cell_index)
            what = (f"this cell's output passed {self.per_cell // 1000} kB" if cell + size > self.per_cell
                    else f"the notebook's output passed {self.per_notebook // 1000} kB")
            outputs.append(new_output("stream", name="stderr", text=(
                f"{NOTICE}: {what} (the grading limit), so the rest was left out.\n")))
        return False
