"""Limits on a learner's kernel while nbgrader grades it.

While a submission is graded, its code runs as the teacher's user on the teacher's
machine, next to the instructor's source notebooks, the gradebook and every other
student's files. :func:`install` (run by :class:`chipcourse.grading.TrustedExecute` as
the kernel's first, hidden cell) makes that code find nothing useful there:

* inside the course folder it may read only the course's package and data, the Python
  environment, and its own submission folder; the source notebooks, the gradebook, the
  release, other submissions and feedback raise ``PermissionError``;
* it may not start programs (``subprocess``, ``os.system``, ``exec``), load C libraries
  with ``ctypes``, or raise its own resource limits;
* its memory is capped, so a runaway allocation ends in ``MemoryError`` instead of
  taking the grading machine down.

The rules are Python audit hooks (PEP 578), which code cannot remove once installed.
They stop a curious or careless submission and say what it tried, not a determined one:
hooks see only the routes they know of, and no write at all. What stops that one is the
operating system: :mod:`chipcourse.confinement` runs the kernel in a bubblewrap sandbox
where the course is read-only and nothing else of it exists (docs/teaching.md).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

__all__ = ["Policy", "policy_for", "is_readable", "install", "BLOCKED_EVENTS", "NOTICE"]

#: audit events a graded kernel may not raise at all
BLOCKED_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "resource.setrlimit",
    "resource.prlimit", "sys.remote_exec",
})
#: the start of the line a blocked action prints (the class summary looks for it)
NOTICE = "chipcourse grading blocked"
#: folders inside the course root that a graded kernel may read
COURSE_READABLE = ("chipcourse", "data", ".venv", "venv", "lab-settings")


@dataclass(frozen=True)
class Policy:
    """What a graded kernel may read: ``allowed`` folders win inside ``protected`` ones."""

    protected: tuple[str, ...]
    allowed: tuple[str, ...]


def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def policy_for(course_root: str, submission_dir: str, extra_protected=()) -> Policy:
    """The reading policy for one submission graded in ``course_root`` (absolute paths)."""
    root = _real(course_root)
    allowed = [os.path.join(root, name) for name in COURSE_READABLE]
    # the environment the kernel runs from, also when it is not .venv (make test-lowest)
    allowed.append(_real(sys.prefix))
    allowed.append(_real(submission_dir))
    protected = [root, *(_real(p) for p in extra_protected if p)]
    return Policy(tuple(protected), tuple(allowed))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_readable(path, policy: Policy) -> bool:
    """True if a graded kernel may open ``path`` (str, bytes or path-like) under ``policy``."""
    if isinstance(path, int):  # an already open file descriptor
        return True
    try:
        real = _real(os.fsdecode(os.fspath(path)))
    except (TypeError, ValueError):
        return True
    if any(_inside(real, folder) for folder in policy.allowed):
        return True
    return not any(_inside(real, folder) for folder in policy.protected)


def install(course_root: str, submission_dir: str, extra_protected=(), memory_mb: int = 4096) -> None:
    """Apply the grading limits to this process (the learner's kernel). Cannot be undone."""
    policy = policy_for(course_root, submission_dir, extra_protected)
    if memory_mb:
        try:
            import resource

            limit = int(memory_mb) * 1024 * 1024
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass

    path_events = {"open": 0, "os.listdir": 0, "os.scandir": 0, "glob.glob": 1,
                   "shutil.copyfile": 0, "shutil.copytree": 0, "sqlite3.connect": 0,
                   "os.chdir": 0}
    blocked = BLOCKED_EVENTS

    def refuse(what: str):
        message = f"{NOTICE}: {what} is not allowed while your notebook is graded."
        try:  # leave a trace in the cell's output even if the error is caught
            sys.stderr.write(message + "\n")
        except Exception:
            pass
        raise PermissionError(message)

    def hook(event, args, _blocked=blocked, _paths=path_events, _policy=policy):
        if event in _blocked:
            refuse(f"{event}")
        where = _paths.get(event)
        if where is None or len(args) <= where:
            return
        target = args[where]
        if event == "glob.glob" and isinstance(target, (str, bytes)):
            target = os.path.dirname(target.split("*")[0].split("?")[0]) or "."
        if target is not None and not is_readable(target, _policy):
            refuse(f"reading {os.fsdecode(target) if isinstance(target, (str, bytes)) else target}")

    sys.addaudithook(hook)
