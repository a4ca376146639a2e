"""Reading a submitted file as a notebook: one behaviour on every grading path.

:func:`read_notebook` says, in one sentence, why a file is not a notebook that can be
graded (empty, cut short, not JSON, not a notebook, invalid). A notebook saved in the
old format 3 is upgraded with nbformat's own conversion, which keeps nbgrader's cell
metadata, and graded: its answers are the student's, and a zero for a file format would
lose a submission for no fault in it.

``make autograde`` reads every submission this way before handing it to nbgrader and
records an unreadable one as 0 with the sentence. The plain ``nbgrader autograde`` (and
the formgrader's *Autograde* button) get the same behaviour from
:class:`SubmissionExporter`, configured in ``nbgrader_config.py`` as the exporter of
nbgrader's Autograde: an unreadable file becomes a notebook holding only the sentence,
so every graded cell scores 0 (``chipcourse.grading.SaveAutoGrades``), the log says why,
and the student's feedback shows the sentence, where plain nbgrader stops with a
traceback and leaves every cell waiting for a manual grade.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_markdown_cell, new_notebook

__all__ = ["read_notebook", "read_notebook_text", "UNREADABLE", "SubmissionExporter"]

#: the start of the log line (and of the cell) an unreadable submission gets
UNREADABLE = "This notebook could not be graded"


def read_notebook(path: Path):
    """(notebook, None) or (None, a sentence saying why ``path`` is not a readable notebook)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, f"{path.name} is not a text file (it cannot be a notebook)"
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror or exc})"
    return read_notebook_text(text, path.name)


def read_notebook_text(text: str, name: str):
    """:func:`read_notebook` for the contents ``text`` of the file called ``name``."""
    if not text.strip():
        return None, f"{name} is empty (there is no notebook in it)"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, (f"{name} is not a notebook: it is not valid JSON (line {exc.lineno}, "
                      f"column {exc.colno}; the file may have been cut short)")
    old_format = isinstance(raw, dict) and raw.get("nbformat") == 3 and "worksheets" in raw
    if not isinstance(raw, dict) or ("cells" not in raw and not old_format):
        return None, f"{name} is JSON but not a Jupyter notebook (it has no cells)"
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        return None, f"{name} is not a valid Jupyter notebook ({str(exc).splitlines()[0][:160]})"
    return nb, None


class SubmissionExporter(NotebookExporter):
    """nbgrader's notebook exporter, reading submissions with :func:`read_notebook`."""

    def from_file(self, file_stream, resources=None, **kw):
        name = Path(getattr(file_stream, "name", "notebook.ipynb")).name
        try:
            text = file_stream.read()
        except UnicodeDecodeError:
            nb, why = None, f"{name} is not a text file (it cannot be a notebook)"
        else:
            nb, why = read_notebook_text(text, name)
        if nb is None:
            self.log.warning("%s: %s; every graded cell scores 0.", UNREADABLE, why)
            nb = new_notebook(cells=[new_markdown_cell(
                f"**{UNREADABLE}**: {why}. Every graded cell scored 0.")])
        elif nb.metadata.get("orig_nbformat", 4) < 4:
            self.log.warning("%s was saved in notebook format %s: upgraded to format 4 and graded.",
                             name, nb.metadata.get("orig_nbformat"))
        return self.from_notebook_node(nb, resources, **kw)
