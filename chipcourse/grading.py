"""Grade with nbgrader without trusting the learner's kernel.

nbgrader scores a test cell by running it in the same kernel as the learner's code, so
a submission can change what the test sees: monkeypatch :mod:`chipcourse.checks` or
``numpy.isclose``, hide errors by replacing IPython's ``showtraceback``, or answer with
an object whose ``__eq__`` always says True. :class:`TrustedExecute` (configured in
``nbgrader_config.py`` in place of nbgrader's ``Execute``) closes that gap:

1. just before each autograded test cell runs, it asks the kernel for a **snapshot** of
   the values the test refers to, serialised as plain data (numbers, text, lists,
   tables; anything else is recorded only as its type name);
2. the cell then runs in the kernel as usual;
3. the test's source (restored from the instructor's copy by nbgrader) is **replayed**
   in a clean process of its own (:mod:`chipcourse.replayer`: ``python -I``, confined,
   importing ``chipcourse`` only from files that match the hashes recorded when grading
   started), with the snapshot's values bound to their names;
4. the cell's outputs are replaced by the replay's: its printed feedback, and an error
   carrying only the checker's message when it fails. nbgrader then scores the cell
   from these outputs as it always does.

What the learner's code does to its own kernel can therefore only change the values it
answers with, never the verdict. The replay prints no test code, so hidden tests stay
hidden in the feedback, and library warnings do not cost a correct answer its points.

The module is grader-side only (it imports nbgrader): the graded kernel imports
:mod:`chipcourse.answers`, and the replay runs :mod:`chipcourse.replayer`. What the
preprocessors notice (a copied cell, a missing one, a test that passed in the kernel but
not on replay, a stop, a changed gradebook) is recorded as a :class:`chipcourse.notes.Note`
in the graded notebook, which ``make autograde`` reads back.

Test cells must refer to answers by name and compute expected values from ``data``
themselves (not from notebook variables the learner could edit). A test that truly
needs the kernel (for example, one that calls a learner's function) can opt out with
the comment ``# chipcourse: trust-kernel``; its verdict is then nbgrader's own.
"""

from __future__ import annotations

import os
import tempfile
import time

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_output
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests, Execute, NbGraderPreprocessor
from nbgrader.preprocessors import SaveAutoGrades as _SaveAutoGrades
from traitlets import Bool, Integer, Unicode

from . import notes
from .answers import MARK
from .confinement import Session
from .limits import NOTICE as OUTPUT_CUT
from .notebooks import is_autograded_test, nbgrader_meta
from .replayer import Verdict, referenced_names
from .sandbox import NOTICE as BLOCKED

__all__ = ["TrustedExecute", "FeedbackClearHiddenTests", "DeduplicateIds", "SaveAutoGrades", "TRUST_KERNEL",
           "verdict_outputs"]

TRUST_KERNEL = "# chipcourse: trust-kernel"
STOPPED_DEAD = ("The kernel stopped while this cell ran (it crashed, ran out of memory or "
                "was killed).")
STOPPED_HUNG = "This cell was still running when its time ran out, and was stopped."


def verdict_outputs(verdict: Verdict) -> list:
    """Notebook outputs that carry ``verdict`` and nothing of the test's code."""
    outputs = []
    if verdict.printed:
        outputs.append(new_output("stream", name="stdout", text=verdict.printed))
    if not verdict.passed:
        # one line: the page wraps it to its own width (hard breaks at 100 characters split
        # sentences oddly on a narrow screen)
        outputs.append(new_output("error", ename=verdict.ename, evalue=verdict.message,
                                  traceback=[f"✗ {' '.join(verdict.message.split())}".rstrip()]))
    return outputs


def _stopped_verdict(reason: str) -> Verdict:
    return Verdict(False, f"This test could not be checked: {reason}.", ename="KernelStopped")


def _what_outputs_show(nb) -> list[notes.Note]:
    """Notes for what a graded notebook's outputs show: a blocked action, a cell out of
    memory, an output cut at the grading limit."""
    found = []
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + str(output.get("evalue", ""))
            if BLOCKED in text:
                found.append(notes.Note("blocked"))
            if output.get("ename") == "MemoryError":
                found.append(notes.Note("memory"))
            if OUTPUT_CUT in text:
                found.append(notes.Note("output-cut"))
    return found


# --------------------------------------------------------------------------- nbgrader preprocessors

class TrustedExecute(Execute):
    """nbgrader's Execute, with each autograded test re-checked outside the kernel, the
    kernel confined (:mod:`chipcourse.confinement`, and :mod:`chipcourse.sandbox` inside it),
    and a hung or dead kernel turned into recorded, explained failures instead of a stuck
    submission."""

    sandbox = Bool(True, help="Confine the learner's kernel (chipcourse.sandbox).").tag(config=True)
    memory_limit_mb = Integer(4096, help="Address-space cap of the graded kernel, MiB.").tag(config=True)
    notebook_timeout = Integer(600, help="Seconds one notebook may run in total.").tag(config=True)
    probe_timeout = Integer(10, help="Seconds a kernel has to answer after an interrupt.").tag(config=True)
    confinement = Unicode("bubblewrap", help="How the graded kernel and the replay are confined: "
                          "'bubblewrap' (by the operating system, see chipcourse.confinement) or "
                          "'audit-hooks-only' (the weaker in-kernel hooks alone).").tag(config=True)
    scratch_mb = Integer(512, help="Size of a submission's private working folder, MiB.").tag(config=True)
    max_output_bytes = Integer(1_000_000, help="Bytes of output one cell may keep.").tag(config=True)
    max_notebook_output_bytes = Integer(10_000_000, help="Bytes of output a notebook may keep.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = None  # why the kernel is gone, once it is
        self._prepared = False
        self._started = time.monotonic()
        self._notes: list[notes.Note] = []
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
            self._kernel_log = log
            self._session = Session(self, resources)
            try:
                return super().preprocess(nb, resources, km)
            finally:
                self._notes += self._session.close()
                self._notes += _what_outputs_show(nb)
                for note in notes.merge(self._notes):
                    notes.record(nb, note, self.log)
                log.seek(0)
                chatter = log.read().strip()
                if chatter:
                    self.log.debug("The graded kernel's own output:\n%s", chatter[-4000:])

    async def async_start_new_kernel(self, **kwargs):
        # The kernel process's own stdout and stderr (ipykernel's log, e.g. a ZMQ error
        # while it is shut down) would otherwise land in the teacher's terminal in the
        # middle of the progress bar. What the learner's code prints reaches the
        # notebook through the kernel's messages either way.
        log = getattr(self, "_kernel_log", None)
        if log is not None:
            kwargs.setdefault("stdout", log)
            kwargs.setdefault("stderr", log)
        kwargs.setdefault("cwd", self._session.kernel_cwd)
        await super().async_start_new_kernel(**kwargs)

    start_new_kernel = run_sync(async_start_new_kernel)

    def create_kernel_manager(self):
        self.kernel_manager_class = self._session.kernel_manager_class(self.kernel_manager_class)
        km = super().create_kernel_manager()
        self._session.configure(km)
        return km

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None:
            self._session.budget.admit(outs, out, cell_index)
        return out

    def preprocess_cell(self, cell, resources, index):
        if not self._prepared:
            self._prepared = True
            self._prepare(resources, index)
        is_test = is_autograded_test(cell) and TRUST_KERNEL not in cell.source
        if self._stopped is None and time.monotonic() - self._started > self.notebook_timeout:
            self._stop(f"the notebook ran for more than {self.notebook_timeout} s in total, "
                       f"so grading stopped")
        if self._stopped is not None:
            if cell.cell_type == "code":
                cell.outputs = verdict_outputs(_stopped_verdict(self._stopped)) if is_test else []
            return cell, resources
        state = self._snapshot(referenced_names(cell.source), index) if is_test else None
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            return self._give_up(cell, resources, is_test, STOPPED_DEAD, "the notebook's kernel "
                                 "stopped in an earlier cell (it crashed, ran out of memory "
                                 "or was killed)")
        except CellTimeoutError:  # interrupted, but the kernel never became idle again
            self._kill()
            return self._give_up(cell, resources, is_test, STOPPED_HUNG, self._hung_reason())
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
        if timed_out and not self._responsive(index):
            self._kill()
            self._stop(self._hung_reason())
        if is_test:
            kernel_passed = not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            verdict = (self._session.replay(cell.source, state, self.timeout) if self._stopped is None
                       else _stopped_verdict(self._stopped))
            if kernel_passed and not verdict.passed and verdict.ename not in ("GradingError", "KernelStopped"):
                self._notes.append(notes.Note("disagreed", (nbgrader_meta(cell).get("grade_id"),)))
            cell.outputs = verdict_outputs(verdict)
        return cell, resources

    def _hung_reason(self):
        return (f"a cell ran for more than {self.timeout} s and did not stop when "
                f"interrupted, so grading stopped there")

    def _give_up(self, cell, resources, is_test, message, reason):
        cell.outputs.append(new_output("error", ename="KernelStopped", evalue=message,
                                       traceback=[f"KernelStopped: {message}"]))
        self._stop(reason)
        if is_test:
            cell.outputs = verdict_outputs(_stopped_verdict(reason))
        return cell, resources

    def _stop(self, reason):
        self._stopped = reason
        self._notes.append(notes.Note("stopped", detail=reason))

    def _prepare(self, resources, index):
        """Run the hidden set-up cell: grading limits for the learner's kernel."""
        if not self.sandbox:
            return
        submission = self._session.kernel_cwd
        db_url = (resources or {}).get("nbgrader", {}).get("db_url", "")
        db_path = db_url[len("sqlite:///"):] if db_url.startswith("sqlite:///") else ""
        extra = [os.path.abspath(db_path)] if db_path else []
        setup = new_code_cell(
            "import chipcourse.sandbox as _chipcourse_sandbox\n"
            f"_chipcourse_sandbox.install({os.getcwd()!r}, {os.path.abspath(submission)!r}, "
            f"{extra!r}, memory_mb={int(self.memory_limit_mb)})\n"
            "del _chipcourse_sandbox")
        try:
            self._run_hidden(setup, index)
        except Exception as exc:  # a kernel that cannot even start is reported per test
            self._stop(f"the notebook's kernel could not be prepared ({type(exc).__name__})")
            return
        errors = [o for o in setup.outputs if o.get("output_type") == "error"]
        if errors:
            self._notes.append(notes.Note("limits-not-applied", detail=str(errors[0].get("evalue"))))

    def _responsive(self, index) -> bool:
        probe = new_code_cell("pass")
        old, self.timeout = self.timeout, self.probe_timeout
        try:
            self._run_hidden(probe, index)
        except Exception:
            return False
        finally:
            self.timeout = old
        return not any(o.get("ename") == "CellTimeoutError" for o in probe.outputs)

    def _run_hidden(self, probe, index):
        """Run a cell the notebook does not contain (nbclient would store it at ``index``)."""
        original = self.nb.cells[index]
        try:
            self.execute_cell(probe, index, store_history=False)
        finally:
            self.nb.cells[index] = original

    def _kill(self):
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as exc:
            self.log.warning("Could not stop the kernel: %s", exc)

    def _snapshot(self, names, index):
        probe = new_code_cell(
            "import chipcourse.answers as _chipcourse_answers\n"
            f"print({MARK!r} + _chipcourse_answers.snapshot({names!r}))\n"
            "del _chipcourse_answers")
        try:
            self._run_hidden(probe, index)
        except Exception:
            return None
        text = "".join(o.get("text", "") for o in probe.outputs
                       if o.get("output_type") == "stream" and o.get("name") == "stdout")
        at = text.rfind(MARK)
        return None if at < 0 else text[at + len(MARK):].strip()


class DeduplicateIds(NbGraderPreprocessor):
    """Keep the first cell with each grade_id; a pasted copy becomes an ordinary cell.

    nbgrader's own version keeps the last copy and leaves the others with empty
    metadata, which then fails validation and stops the whole class's autograding.
    """

    def preprocess(self, nb, resources):
        notes.reset(nb)  # the first course step of autograde: a submission's own notes go
        seen = set()
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if not meta or not (utils.is_grade(cell) or utils.is_solution(cell)
                                or utils.is_locked(cell)):
                continue
            grade_id = meta.get("grade_id")
            if grade_id in seen:
                notes.record(nb, notes.Note("duplicate-id", (grade_id,)), self.log)
                del cell.metadata["nbgrader"]
            else:
                seen.add(grade_id)
        return nb, resources


class SaveAutoGrades(_SaveAutoGrades):
    """nbgrader's SaveAutoGrades, and a graded cell missing from the submission scores 0
    (nbgrader leaves it waiting for a manual grade that can never be given)."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        present = {cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
                   if utils.is_grade(cell)}
        with Gradebook(self.db_url) as gradebook:
            notebook = gradebook.find_submission_notebook(
                self.notebook_id, self.assignment_id, self.student_id)
            for grade in notebook.grades:
                if grade.name not in present and grade.manual_score is None:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                    notes.record(nb, notes.Note("missing-cell", (grade.name,)), self.log)
            gradebook.db.commit()
        return nb, resources


class FeedbackClearHiddenTests(ClearHiddenTests):
    """Remove hidden tests from feedback; a cell whose metadata a learner stripped
    must not stop the feedback of the whole class, so metadata is not enforced."""

    enforce_metadata = Bool(False)
