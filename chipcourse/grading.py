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
   in the grader's own process, on fresh imports of ``chipcourse``, NumPy and pandas,
   with the snapshot's values bound to their names;
4. the cell's outputs are replaced by the replay's: its printed feedback, and an error
   carrying only the checker's message when it fails. nbgrader then scores the cell
   from these outputs as it always does.

What the learner's code does to its own kernel can therefore only change the values it
answers with, never the verdict. The replay prints no test code, so hidden tests stay
hidden in the feedback, and library warnings do not cost a correct answer its points.

Test cells must refer to answers by name and compute expected values from ``data``
themselves (not from notebook variables the learner could edit). A test that truly
needs the kernel (for example, one that calls a learner's function) can opt out with
the comment ``# chipcourse: trust-kernel``; its verdict is then nbgrader's own.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import json
import math
import warnings
from dataclasses import dataclass

__all__ = ["snapshot", "encode", "decode", "referenced_names", "replay", "Verdict",
           "Unsupported", "TrustedExecute", "FeedbackClearHiddenTests", "DeduplicateIds",
           "SaveAutoGrades", "TRUST_KERNEL", "MISSING_CELL"]

MARK = "<<chipcourse-snapshot>>"
TRUST_KERNEL = "# chipcourse: trust-kernel"
_MAX_ITEMS = 200_000
#: modules a snapshot may name; the replay imports its own fresh copy of each
_MODULES = ("chipcourse", "numpy", "pandas", "math", "statistics", "fractions", "decimal",
            "re", "json", "datetime", "altair", "collections", "itertools", "functools")


# --------------------------------------------------------------------------- kernel side

def encode(value, _depth: int = 0, _budget: list | None = None):
    """``value`` as JSON-ready plain data; unknown kinds become ``{"$unsupported": type}``.

    Subclasses of built-in types are reduced to their base values, so overridden
    ``__eq__``/``__float__`` methods do not travel.
    """
    budget = _budget if _budget is not None else [_MAX_ITEMS]
    budget[0] -= 1
    if budget[0] < 0 or _depth > 20:
        return {"$unsupported": "too large"}
    kind = type(value)
    module = kind.__module__.split(".")[0]
    if value is None or value is Ellipsis:
        return {"$ellipsis": True} if value is Ellipsis else None
    if isinstance(value, bool):
        return bool.__bool__(value) if kind is bool else {"$unsupported": kind.__name__}
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        number = float.__float__(value)
        return number if math.isfinite(number) else {"$float": repr(number)}
    if isinstance(value, complex):
        return {"$complex": [encode(value.real, _depth + 1, budget), encode(value.imag, _depth + 1, budget)]}
    if isinstance(value, str):
        return str.__str__(value)
    if module == "numpy":
        import numpy as np

        if isinstance(value, np.complexfloating):
            return encode(complex(value.item()), _depth + 1, budget)
        if isinstance(value, np.generic):
            return encode(value.item(), _depth + 1, budget)
        if isinstance(value, np.ndarray):
            if value.size > budget[0]:
                return {"$unsupported": "too large"}
            budget[0] -= int(value.size)
            return {"$ndarray": encode(value.tolist(), _depth + 1, budget), "dtype": str(value.dtype)}
    if module == "pandas" and kind.__name__ in ("DataFrame", "Series"):
        import pandas as pd

        if kind not in (pd.DataFrame, pd.Series):
            return {"$unsupported": kind.__name__}
        if value.size > budget[0]:
            return {"$unsupported": "too large"}
        budget[0] -= int(value.size)
        return {"$" + kind.__name__.lower(): value.to_json(orient="table", date_format="iso",
                                                           default_handler=str)}
    if module == "pint" and hasattr(value, "magnitude"):
        return {"$quantity": [encode(value.magnitude, _depth + 1, budget), str(value.units)]}
    if kind in (list, tuple, set, frozenset):
        tag = {list: "$list", tuple: "$tuple", set: "$set", frozenset: "$set"}[kind]
        return {tag: [encode(v, _depth + 1, budget) for v in value]}
    if kind is dict:
        return {"$dict": [[encode(k, _depth + 1, budget), encode(v, _depth + 1, budget)]
                          for k, v in value.items()]}
    if kind.__name__ == "module" and isinstance(getattr(value, "__name__", None), str):
        return {"$module": value.__name__}
    return {"$unsupported": kind.__name__}


def snapshot(names: list[str]) -> str:
    """Called inside the graded kernel: the learner's values of ``names`` as JSON text."""
    from IPython import get_ipython

    shell = get_ipython()
    user_ns = shell.user_ns if shell is not None else {}
    found = {}
    for name in names:
        if name in user_ns:
            try:
                found[name] = encode(user_ns[name])
            except Exception as exc:  # a hostile object: record it as unsupported
                found[name] = {"$unsupported": f"unreadable ({type(exc).__name__})"}
    return json.dumps(found)


# --------------------------------------------------------------------------- grader side

class Unsupported:
    """Stands in, during replay, for an answer that is not plain data."""

    def __init__(self, kind: str):
        self.kind = kind

    def __repr__(self) -> str:
        return f"<an object of type {self.kind}, which cannot be graded: answer with a number, text, a list or a table>"


def decode(obj):
    """Inverse of :func:`encode` (tables come back as pandas objects)."""
    if isinstance(obj, list):
        return [decode(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if "$ellipsis" in obj:
        return Ellipsis
    if "$float" in obj:
        return float(obj["$float"])
    if "$complex" in obj:
        real, imag = (decode(part) for part in obj["$complex"])
        return complex(real, imag)
    if "$list" in obj:
        return [decode(v) for v in obj["$list"]]
    if "$tuple" in obj:
        return tuple(decode(v) for v in obj["$tuple"])
    if "$set" in obj:
        return {decode(v) for v in obj["$set"]}
    if "$dict" in obj:
        return {decode(k): decode(v) for k, v in obj["$dict"]}
    if "$ndarray" in obj:
        import numpy as np

        return np.array(decode(obj["$ndarray"]), dtype=obj.get("dtype"))
    if "$dataframe" in obj or "$series" in obj:
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_json(io.StringIO(obj.get("$dataframe") or obj["$series"]), orient="table")
        if "$series" in obj:
            return frame.iloc[:, 0]
        return frame
    if "$quantity" in obj:
        from .units import quantity

        magnitude, unit = obj["$quantity"]
        return quantity(decode(magnitude), unit)
    if "$module" in obj:
        name = obj["$module"]
        if name.split(".")[0] in _MODULES:
            return importlib.import_module(name)
        return Unsupported(f"module {name}")
    if "$unsupported" in obj:
        return Unsupported(str(obj["$unsupported"]))
    return {k: decode(v) for k, v in obj.items()}


def referenced_names(source: str) -> list[str]:
    """Names a test cell reads that are not Python built-ins, in order of first use."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    loads = sorted((node.lineno, node.col_offset, node.id) for node in ast.walk(tree)
                   if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load))
    return list(dict.fromkeys(name for _, _, name in loads if not hasattr(builtins, name)))


@dataclass
class Verdict:
    """The outcome of replaying one test cell: passed or not, its feedback and printout."""

    passed: bool
    message: str = ""
    printed: str = ""
    ename: str = "AssertionError"


def replay(source: str, snapshot_json: str | None) -> Verdict:
    """Run a test cell's ``source`` in this process against a kernel snapshot."""
    if snapshot_json is None:
        return Verdict(False, "The answers could not be read from this notebook's kernel "
                              "(it stopped, timed out, or its Python was changed), so this "
                              "test could not be checked.", ename="GradingError")
    try:
        encoded = json.loads(snapshot_json)
    except Exception:
        return Verdict(False, "The answers sent by this notebook's kernel were unreadable, "
                              "so this test could not be checked.", ename="GradingError")
    values = {}
    for name, value in encoded.items():
        try:
            values[name] = decode(value)
        except Exception:  # one unreadable value must not cost the other answers
            values[name] = Unsupported("unreadable value")
    namespace = {"__name__": "__main__", "__builtins__": builtins, **values}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<test cell>", "exec"), namespace)
    except AssertionError as exc:
        message = str(exc) or "A test did not pass."
        return Verdict(False, message, printed.getvalue(), ename=type(exc).__name__)
    except NameError as exc:
        missing = getattr(exc, "name", None) or str(exc)
        return Verdict(False, f"{missing!s} is not defined: run the cell that defines it "
                              f"(and keep its name as given) before submitting.",
                       printed.getvalue(), ename="NameError")
    except Exception as exc:
        return Verdict(False, f"The test could not run on your answer "
                              f"({type(exc).__name__}: {str(exc)[:300]}).",
                       printed.getvalue(), ename=type(exc).__name__)
    return Verdict(True, "", printed.getvalue())


def verdict_outputs(verdict: Verdict) -> list:
    """Notebook outputs that carry ``verdict`` and nothing of the test's code."""
    from nbformat.v4 import new_output

    outputs = []
    if verdict.printed:
        outputs.append(new_output("stream", name="stdout", text=verdict.printed))
    if not verdict.passed:
        # one line: the page wraps it to its own width (hard breaks at 100 characters split
        # sentences oddly on a narrow screen)
        outputs.append(new_output("error", ename=verdict.ename, evalue=verdict.message,
                                  traceback=[f"✗ {' '.join(verdict.message.split())}".rstrip()]))
    return outputs


# --------------------------------------------------------------------------- nbgrader

STOPPED_DEAD = ("The kernel stopped while this cell ran (it crashed, ran out of memory or "
                "was killed).")
STOPPED_HUNG = "This cell was still running when its time ran out, and was stopped."


#: logged when a test passed in the learner's kernel but not when replayed on plain values
DISAGREED = ("This test passed in the notebook's kernel but failed on the plain answer "
             "values: the answer may not be a plain value, or the checks were changed")


def _stopped_verdict(reason: str) -> Verdict:
    return Verdict(False, f"This test could not be checked: {reason}.", ename="KernelStopped")


def _trusted_execute_class():
    import os
    import tempfile
    import time

    from jupyter_core.utils import run_sync
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_code_cell, new_output
    from nbgrader.preprocessors import Execute
    from traitlets import Bool, Integer

    from .notebooks import is_autograded_test, nbgrader_meta

    class TrustedExecute(Execute):
        """nbgrader's Execute, with each autograded test re-checked outside the kernel,
        the kernel confined by :mod:`chipcourse.sandbox`, and a hung or dead kernel
        turned into recorded, explained failures instead of a stuck submission."""

        sandbox = Bool(True, help="Confine the learner's kernel (chipcourse.sandbox).").tag(config=True)
        memory_limit_mb = Integer(4096, help="Address-space cap of the graded kernel, MiB.").tag(config=True)
        notebook_timeout = Integer(600, help="Seconds one notebook may run in total.").tag(config=True)
        probe_timeout = Integer(10, help="Seconds a kernel has to answer after an interrupt.").tag(config=True)

        def preprocess(self, nb, resources=None, km=None):
            self._stopped = None  # why the kernel is gone, once it is
            self._prepared = False
            self._started = time.monotonic()
            with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
                self._kernel_log = log
                try:
                    return super().preprocess(nb, resources, km)
                finally:
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
            await super().async_start_new_kernel(**kwargs)

        start_new_kernel = run_sync(async_start_new_kernel)

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
                verdict = replay(cell.source, state) if self._stopped is None else _stopped_verdict(self._stopped)
                if kernel_passed and not verdict.passed and verdict.ename not in ("GradingError", "KernelStopped"):
                    self.log.warning("%s: %s", nbgrader_meta(cell).get("grade_id"), DISAGREED)
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
            self.log.warning("Grading stopped early: %s", reason)

        def _prepare(self, resources, index):
            """Run the hidden set-up cell: grading limits for the learner's kernel."""
            if not self.sandbox:
                return
            submission = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
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
                self.log.warning("Grading limits not applied: %s", errors[0].get("evalue"))

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
                "import chipcourse.grading as _chipcourse_grading\n"
                f"print({MARK!r} + _chipcourse_grading.snapshot({names!r}))\n"
                "del _chipcourse_grading")
            try:
                self._run_hidden(probe, index)
            except Exception:
                return None
            text = "".join(o.get("text", "") for o in probe.outputs
                           if o.get("output_type") == "stream" and o.get("name") == "stdout")
            at = text.rfind(MARK)
            return None if at < 0 else text[at + len(MARK):].strip()

    return TrustedExecute


def _deduplicate_ids_class():
    from nbgrader import utils
    from nbgrader.preprocessors import NbGraderPreprocessor

    from .notebooks import nbgrader_meta

    class DeduplicateIds(NbGraderPreprocessor):
        """Keep the first cell with each grade_id; a pasted copy becomes an ordinary cell.

        nbgrader's own version keeps the last copy and leaves the others with empty
        metadata, which then fails validation and stops the whole class's autograding.
        """

        def preprocess(self, nb, resources):
            seen = set()
            for cell in nb.cells:
                meta = nbgrader_meta(cell)
                if not meta or not (utils.is_grade(cell) or utils.is_solution(cell)
                                    or utils.is_locked(cell)):
                    continue
                grade_id = meta.get("grade_id")
                if grade_id in seen:
                    self.log.warning("Cell with id '%s' appears more than once: the copy is "
                                     "graded as an ordinary cell.", grade_id)
                    del cell.metadata["nbgrader"]
                else:
                    seen.add(grade_id)
            return nb, resources

    return DeduplicateIds


#: the comment recorded for a graded cell that a submission no longer has
MISSING_CELL = ("This graded cell was missing from the submission (deleted, or its "
                "nbgrader metadata removed), so it scored 0.")


def _save_auto_grades_class():
    from nbgrader import utils
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades as _SaveAutoGrades

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
                        self.log.warning("%s: %s", grade.name, MISSING_CELL)
                gradebook.db.commit()
            return nb, resources

    return SaveAutoGrades


def _feedback_clear_hidden_tests_class():
    from nbgrader.preprocessors import ClearHiddenTests
    from traitlets import Bool

    class FeedbackClearHiddenTests(ClearHiddenTests):
        """Remove hidden tests from feedback; a cell whose metadata a learner stripped
        must not stop the feedback of the whole class, so metadata is not enforced."""

        enforce_metadata = Bool(False)

    return FeedbackClearHiddenTests


_LAZY = {"TrustedExecute": _trusted_execute_class,
         "FeedbackClearHiddenTests": _feedback_clear_hidden_tests_class,
         "DeduplicateIds": _deduplicate_ids_class,
         "SaveAutoGrades": _save_auto_grades_class}


def __getattr__(name):
    # Built on first use, so importing this module (as the kernel does) needs no nbgrader.
    if name in _LAZY:
        cls = _LAZY[name]()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
