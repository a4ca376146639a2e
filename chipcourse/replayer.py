"""Replay test cells in a process of their own, on the course exactly as installed.

:class:`chipcourse.grading.TrustedExecute` takes a snapshot of the answers in the graded
kernel (:func:`chipcourse.answers.snapshot`) and replays each test on it with
:func:`replay`, which runs the test's source on the decoded values. The replay runs here,
not in the grader's own process, because the grader's ``sys.path`` starts with the folder
nbgrader was started from, and its imports are whatever that folder and the environment
held when they were first made. A :class:`Replayer` starts, once per graded notebook:

* ``python -I -B`` (isolated: no working folder, no user site, no ``PYTHON*`` variables
  on ``sys.path``; no bytecode written), inside the same bubblewrap sandbox as the kernel
  when grading is confined (read-only course, no gradebook, no network);
* whose first act is to put a finder in front of every other one for ``chipcourse``: each
  module is read from the course package the grader imported, its SHA-256 compared with
  the manifest recorded when grading started (:mod:`chipcourse.integrity`), and the
  verified source compiled; a bytecode cache is never trusted. The data folder is
  compared in full before the first test;
* which then answers one test at a time over a pipe (JSON lines). A test that runs
  longer than the cell time limit is stopped, and the next one gets a fresh process.

If the course differs from the manifest, the replay refuses (:class:`ReplayUnavailable`)
and the submission is reported as not graded, rather than graded by a changed checker.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass

from .answers import Unsupported, decode

__all__ = ["Verdict", "replay", "referenced_names", "Replayer", "ReplayUnavailable", "CHANGED", "serve"]

#: the start of the sentence a replay gives when the course is not as recorded
CHANGED = "The course differs from when grading started"
_STARTUP_SECONDS = 180

#: run as ``python -I -B -c BOOT``; reads the manifest, then imports the course through it
BOOT = r'''
import hashlib, importlib.abc, importlib.util, json, os, sys
_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)
_init = json.loads(sys.stdin.readline())

class _VerifiedCourse(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, root, files):
        self.root, self.files = root, files

    def find_spec(self, name, path=None, target=None):
        top, _, rest = name.partition(".")
        if top != "chipcourse":
            return None
        parts = rest.split(".") if rest else []
        for rel, package in (("/".join(parts + ["__init__.py"]), True), ("/".join(parts) + ".py", False)):
            if rel in self.files:
                where = [os.path.join(self.root, *parts)] if package else None
                return importlib.util.spec_from_file_location(
                    name, os.path.join(self.root, rel), loader=self, submodule_search_locations=where)
        raise ModuleNotFoundError(f"No module named {name!r} in the course as installed", name=name)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        origin = module.__spec__.origin
        rel = os.path.relpath(origin, self.root).replace(os.sep, "/")
        with open(origin, "rb") as handle:
            source = handle.read()
        if hashlib.sha256(source).hexdigest() != self.files.get(rel):
            raise ImportError(_init["changed"] + ": chipcourse/" + rel + " (changed)")
        exec(compile(source, origin, "exec", dont_inherit=True), module.__dict__)

sys.meta_path.insert(0, _VerifiedCourse(_init["manifest"]["package"], _init["manifest"]["files"]["package"]))
try:
    from chipcourse.replayer import serve
except Exception as exc:
    _protocol.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
    _protocol.flush()
    raise SystemExit(1)
serve(_init, sys.stdin, _protocol)
'''


# --------------------------------------------------------------------------- one test

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


# --------------------------------------------------------------------------- its own process

class ReplayUnavailable(RuntimeError):
    """The tests of a notebook cannot be replayed (the course changed, or no process)."""


def serve(init: dict, requests, protocol) -> None:
    """The replaying process's loop (runs inside the process :data:`BOOT` starts)."""
    from . import data, integrity

    def say(message: dict) -> None:
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    recorded = init["manifest"]
    if str(data.data_dir()) != recorded["data"]:
        say({"error": f"{CHANGED}: the data folder is {data.data_dir()}, not {recorded['data']}"})
        return
    changed = integrity.changed_files(recorded)
    if changed:
        say({"error": f"{CHANGED}: " + ", ".join(changed[:5])})
        return
    try:  # what the tests use, imported before the first one is timed
        import numpy  # noqa: F401
        import pandas  # noqa: F401

        from . import checks  # noqa: F401
    except Exception as exc:
        say({"error": f"{type(exc).__name__}: {exc}"})
        return
    say({"ready": True})
    for line in requests:
        request = json.loads(line)
        say(asdict(replay(request["source"], request["snapshot"])))


class Replayer:
    """The grader's end of one replaying process (started at once, used on first replay)."""

    def __init__(self, recorded: dict, *, command_wrapper=None, env: dict | None = None, log=None):
        self._recorded, self._wrap, self._env, self._log = recorded, command_wrapper, env, log
        self._cwd = tempfile.gettempdir()
        self._proc = None
        self._buffer = b""
        self._start()

    def _start(self) -> None:
        command = [sys.executable, "-I", "-B", "-c", BOOT]
        if self._wrap is not None:
            command = self._wrap(command)
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._log if self._log is not None else subprocess.DEVNULL,
                                      cwd=self._cwd, env=self._env, start_new_session=True)
        self._buffer, self._ready = b"", False
        self._send({"manifest": self._recorded, "changed": CHANGED})

    def _send(self, message: dict) -> bool:
        try:
            self._proc.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self._proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def _receive(self, timeout: float) -> dict | None:
        """The next message, or None if the process ended or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self._proc.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    return None
                chunk = os.read(self._proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    return None
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _ensure_ready(self) -> None:
        if self._proc is None:
            self._start()
        if self._ready:
            return
        message = self._receive(_STARTUP_SECONDS)
        if not message or "error" in message:
            why = (message or {}).get("error") or "the checking process did not start"
            self.close()
            raise ReplayUnavailable(f"The tests could not be replayed: {why}.")
        self._ready = True

    def replay(self, source: str, snapshot_json: str | None, timeout: float):
        """The :class:`Verdict` of ``source`` on ``snapshot_json``."""
        if snapshot_json is None:  # nothing to check: the verdict needs no process
            return replay(source, None)
        self._ensure_ready()
        if self._send({"source": source, "snapshot": snapshot_json}):
            answer = self._receive(timeout)
            if answer is not None:
                return Verdict(**answer)
        stopped = self._proc.poll() is not None
        self.close()
        if stopped:
            return Verdict(False, "This test could not be checked: the process checking it "
                                  "stopped.", ename="GradingError")
        return Verdict(False, f"This test took more than {timeout:g} s to check on this answer, "
                              f"so it was stopped.", ename="GradingError")

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
