"""Confine a graded notebook with the operating system, so it can change nothing that lasts.

A submission's code runs while it is graded. :mod:`chipcourse.sandbox` (audit hooks inside
the kernel) refuses the obvious reads, but code in the same process can find routes
around hooks, and hooks do not stop writes at all. This module puts the graded kernel,
and the process that replays its tests, inside a `bubblewrap
<https://github.com/containers/bubblewrap>`_ sandbox (``bwrap``, Debian's package
``bubblewrap``), which uses the kernel's namespaces:

* a **new mount namespace** built from nothing: only the system folders (``/usr``,
  ``/etc``), the Python installation and environment, the course package and its data are
  there, each **bound read-only**. The gradebook, the instructor's source, the release
  folder, other students' submissions and feedback, and the teacher's home are not in it
  at all, so neither a path check nor a rename can reach them;
* the submission's folder is a **private copy** on a size-capped ``tmpfs`` mounted where
  nbgrader would run it (its notebooks left out: nbgrader's copy holds the hidden tests);
  ``/tmp`` and ``$HOME`` are another capped ``tmpfs``. Both vanish with the sandbox;
* **new PID, network, IPC and UTS namespaces** and ``--die-with-parent``: when the kernel
  exits, is killed, or the grader dies, every process the submission started dies with
  it, and there is no network (the kernel talks to the grader over Unix sockets in a
  private folder instead of TCP);
* a **clean environment** (``--clearenv``: ``PATH``, ``HOME`` and a few settings), so
  nothing the grader's shell exported reaches the submission, and nothing the submission
  sets reaches anyone else;
* an **unprivileged user**: run by root, the sandbox switches to ``nobody``
  (``setpriv``, no capabilities left) so that even root-owned files the sandbox can see
  are not writable or, when private, readable; run by anyone else (a JupyterHub grader
  account), it keeps that account's uid inside an unprivileged user namespace that may
  not create further namespaces (``--disable-userns``).

Where bubblewrap cannot run (not installed, not Linux, user namespaces disabled for
non-root users), grading refuses with a sentence saying so and how to fix it; the teacher
may instead opt into ``c.TrustedExecute.confinement = "audit-hooks-only"`` in
``nbgrader_config.py``, the weaker mode this course had before (see docs/teaching.md).
It is never chosen silently.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .notes import Note

__all__ = ["MODES", "CONFINED", "AUDIT_HOOKS_ONLY", "Unavailable", "Layout", "refusal", "require",
           "sandbox_ids", "confined_command", "Workspace", "kernel_manager_class"]

CONFINED, AUDIT_HOOKS_ONLY = "bubblewrap", "audit-hooks-only"
MODES = (CONFINED, AUDIT_HOOKS_ONLY)
#: where the sandbox sees the submission's files before they are copied to its own folder
SUBMISSION_COPY = "/run/chipcourse/submission"
#: environment variables a confined process keeps from the grader's environment
KEPT_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "CHIPCOURSE_CHARTS",
            "PYDEVD_DISABLE_FILE_VALIDATION")
#: system folders every sandbox sees read-only (links such as /lib -> usr/lib are recreated)
SYSTEM = ("/usr", "/etc")
SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
HOW_TO_OPT_OUT = ('or, to grade without it, set c.TrustedExecute.confinement = "audit-hooks-only" '
                  "in nbgrader_config.py (weaker: see docs/teaching.md)")


class Unavailable(SystemExit):
    """Grading refused: the confinement ``nbgrader_config.py`` asks for cannot run here.

    A ``SystemExit`` so that ``nbgrader autograde`` stops with the sentence instead of
    recording a class of zeros (and without a traceback)."""


# ---------------------------------------------------------------------------- what it sees

@dataclass(frozen=True)
class Layout:
    """What a confined process sees of this machine, besides the system folders."""

    python: tuple[str, ...]  # the interpreter, its installation and the environment (read-only)
    package: str             # the course package the grader itself imported (read-only)
    data: str                # the course data (read-only)

    @property
    def import_root(self) -> str:
        """The folder holding the package: first on a confined kernel's ``sys.path``."""
        return str(Path(self.package).parent)

    def readonly(self) -> list[str]:
        return _outermost([*self.python, self.package, self.data])

    @classmethod
    @functools.lru_cache(maxsize=1)
    def of_this_process(cls) -> "Layout":
        from . import data

        python = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  str(Path(os.path.realpath(sys.executable)).parent.parent)}
        return cls(tuple(sorted(python)), str(Path(__file__).resolve().parent),  # the chipcourse package
                   str(data.data_dir()))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _outermost(paths) -> list[str]:
    """Existing folders among ``paths``, without those inside another or inside /usr, /etc."""
    real = sorted({os.path.realpath(p) for p in paths if p and os.path.exists(p)}, key=len)
    kept: list[str] = []
    for path in real:
        if not any(_inside(path, other) for other in [*SYSTEM, *kept]):
            kept.append(path)
    return kept


def _as_root() -> bool:
    return os.geteuid() == 0


def sandbox_ids() -> tuple[int, int]:
    """The uid and gid a confined process runs as: ``nobody`` when graded by root, else the
    grader's own (inside a user namespace)."""
    if not _as_root():
        return os.getuid(), os.getgid()
    try:
        import pwd

        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except (ImportError, KeyError):
        return 65534, 65534


# ---------------------------------------------------------------------------- the command

def confined_command(command: list[str], layout: Layout, *, cwd: str, env: dict | None = None,
                     tmp_mb: int = 256, workdir_mb: int = 512, copy_from: str | None = None,
                     writable: tuple[str, ...] = ()) -> list[str]:
    """``command`` wrapped so that it runs inside a fresh bubblewrap sandbox.

    ``cwd`` is where the command starts. With ``copy_from``, ``cwd`` is a private, empty
    tmpfs of ``workdir_mb`` MiB into which the files of ``copy_from`` (a host folder, seen
    read-only) are copied first. ``writable`` host folders are bound read-write (the
    kernel's Unix sockets). ``env`` is the environment the caller would have given the
    command: only :data:`KEPT_ENV` survive it.
    """
    uid, gid = sandbox_ids()
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "chipcourse-grading", "--die-with-parent",
            "--clearenv"]
    if _as_root():  # mounts are made as root, then setpriv drops to nobody with no capabilities
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user", "--disable-userns"]
    mounts: list[tuple[str, list[str]]] = []
    for folder in SYSTEM:
        mounts.append((folder, ["--ro-bind", folder, folder]))
    for link in SYSTEM_LINKS:
        if os.path.islink(link):
            mounts.append((link, ["--symlink", os.readlink(link), link]))
        elif os.path.isdir(link):
            mounts.append((link, ["--ro-bind", link, link]))
    mounts += [("/proc", ["--proc", "/proc"]), ("/dev", ["--dev", "/dev"]),
               ("/tmp", ["--size", str(tmp_mb * 2**20), "--perms", "1777", "--tmpfs", "/tmp"])]
    mounts += [(path, ["--ro-bind", path, path]) for path in layout.readonly()]
    mounts += [(path, ["--bind", path, path]) for path in writable]
    if copy_from is not None:
        mounts.append((SUBMISSION_COPY, ["--ro-bind", copy_from, SUBMISSION_COPY]))
        mounts.append((cwd, ["--size", str(workdir_mb * 2**20), "--perms", "1777", "--tmpfs", cwd]))
    # bwrap makes missing parent folders 0700 (unusable once the sandbox is nobody): make
    # them 0755 first, except inside a bound folder (which has its own)
    bound = [dest for dest, mount in mounts if mount[0] in ("--ro-bind", "--bind", "--symlink")]
    dests = {dest for dest, _ in mounts}
    for dest in list(dests):
        parent = os.path.dirname(dest)
        while parent not in ("/", "") and parent not in dests:
            if not any(_inside(parent, b) for b in bound):
                mounts.append((parent, ["--perms", "0755", "--dir", parent]))
            dests.add(parent)
            parent = os.path.dirname(parent)
    # parents before what is mounted inside them (a course folder under /tmp, for one)
    for _, mount in sorted(mounts, key=lambda m: m[0].rstrip("/").count("/")):
        args += mount
    values = {key: value for key, value in (env if env is not None else os.environ).items()
              if key in KEPT_ENV}
    values.update({"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
                   "HOME": "/tmp", "TMPDIR": "/tmp", "PYTHONPATH": layout.import_root})
    if os.environ.get("CHIPCOURSE_DATA"):
        values["CHIPCOURSE_DATA"] = layout.data
    for key, value in sorted(values.items()):
        args += ["--setenv", key, value]
    args += ["--chdir", cwd, "--"]
    if _as_root():
        args += [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={gid}",
                 "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]
    if copy_from is not None:  # a copy cut short (a full tmpfs) still starts the kernel
        args += ["/bin/sh", "-c", f'cp -R {SUBMISSION_COPY}/. .; exec "$@"', "sh"]
    # bwrap itself ignores the interrupt a kernel is sent (jupyter_client signals the whole
    # process group); the kernel installs its own handler while a cell runs
    return ["/bin/sh", "-c", 'trap "" INT; exec "$@"', "sh", shutil.which("bwrap") or "bwrap",
            *args[1:], *command]


# ---------------------------------------------------------------------------- can it run here

@functools.lru_cache(maxsize=None)
def refusal(mode: str = CONFINED) -> str | None:
    """Why grading cannot run with confinement ``mode`` on this machine (None: it can)."""
    if mode not in MODES:
        return (f"c.TrustedExecute.confinement is {mode!r} in nbgrader_config.py, which is not "
                f"one of {', '.join(repr(m) for m in MODES)}.")
    if mode == AUDIT_HOOKS_ONLY:
        return None
    if not sys.platform.startswith("linux"):
        return ("Grading is confined with bubblewrap, which needs Linux; grade on a Linux machine, "
                + HOW_TO_OPT_OUT + ".")
    if shutil.which("bwrap") is None:
        return ("Grading is confined with bubblewrap, which is not installed: install it with "
                "`sudo apt-get install bubblewrap` (Debian, Ubuntu; `make autograde` does this "
                "when run as root), " + HOW_TO_OPT_OUT + ".")
    if _as_root() and shutil.which("setpriv") is None:
        return ("Grading as root switches the sandbox to the user nobody with setpriv (util-linux), "
                "which is not installed: install util-linux, " + HOW_TO_OPT_OUT + ".")
    layout = Layout.of_this_process()
    trial = confined_command([sys.executable, "-I", "-c", "import encodings"], layout, cwd="/tmp")
    try:
        run = subprocess.run(trial, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not be started ({exc}), " + HOW_TO_OPT_OUT + "."
    if run.returncode != 0:
        said = (run.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return (f"bubblewrap is installed but cannot confine grading here ({said}): on Ubuntu 23.10 "
                f"and later and in most containers unprivileged user namespaces are restricted "
                f"(docs/teaching.md says how to allow them for bwrap), or grade as root; "
                + HOW_TO_OPT_OUT + ".")
    return None


def require(mode: str) -> None:
    """Raise :class:`Unavailable` with the sentence of :func:`refusal` unless ``mode`` can run."""
    why = refusal(mode)
    if why:
        raise Unavailable(why)


# ---------------------------------------------------------------------------- one submission

class Workspace:
    """The private folders of one graded notebook, removed by :meth:`close`.

    ``copy``: the submission's own files (its notebooks left out), readable by the sandbox
    user; in the weaker mode it is the kernel's working folder itself. ``sockets``: the
    kernel's connection file and Unix sockets."""

    def __init__(self, submission: str, confined: bool):
        self.root = tempfile.mkdtemp(prefix="chipcourse-grading-")
        self.copy = os.path.join(self.root, "submission")
        self.sockets = os.path.join(self.root, "kernel")
        shutil.copytree(submission, self.copy, symlinks=True,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        os.mkdir(self.sockets, 0o700)
        self.confined = confined
        self.kernel_cwd = os.path.abspath(submission) if confined else self.copy
        if confined and _as_root():
            uid, gid = sandbox_ids()
            for folder, dirs, files in os.walk(self.root):
                for name in (os.path.join(folder, n) for n in dirs + files):
                    os.lchown(name, uid, gid)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def kernel_manager_class():
    """jupyter_client's AsyncKernelManager, starting the kernel inside the sandbox."""
    from jupyter_client.manager import AsyncKernelManager

    class ConfinedKernelManager(AsyncKernelManager):
        """Starts its kernel with :func:`confined_command`, talking over Unix sockets."""

        workspace: Workspace | None = None
        tmp_mb = 256
        workdir_mb = 512

        def confine(self, workspace: Workspace, tmp_mb: int, workdir_mb: int) -> None:
            self.workspace, self.tmp_mb, self.workdir_mb = workspace, tmp_mb, workdir_mb
            self.transport = "ipc"  # no network in the sandbox: ZMQ over Unix sockets
            self.connection_file = os.path.join(workspace.sockets, "kernel.json")
            self.ip = os.path.join(workspace.sockets, "kernel-ipc")

        def write_connection_file(self, **kwargs):
            super().write_connection_file(**kwargs)
            if _as_root():  # jupyter_client writes it 0600 for its own user
                uid, gid = sandbox_ids()
                os.chown(self.connection_file, uid, gid)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            workspace = self.workspace
            cwd = kw.get("cwd") or workspace.kernel_cwd
            layout = Layout.of_this_process()
            program = os.path.realpath(shutil.which(kernel_cmd[0]) or kernel_cmd[0])
            if not any(_inside(program, folder) for folder in [*SYSTEM, *layout.readonly()]):
                raise RuntimeError(f"The notebook's kernel ({program}) is not in the grading "
                                   f"environment ({sys.prefix}), so it cannot run confined: "
                                   f"use the python3 kernel of that environment.")
            kernel_cmd = confined_command(list(kernel_cmd), layout, cwd=cwd, env=kw.get("env"),
                                          tmp_mb=self.tmp_mb, workdir_mb=self.workdir_mb,
                                          copy_from=workspace.copy, writable=(workspace.sockets,))
            kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return ConfinedKernelManager


# ---------------------------------------------------------------------------- one notebook

class Session:
    """What :class:`chipcourse.grading.TrustedExecute` needs around one graded notebook:
    the private workspace, the confined kernel, the replaying process, the output budget,
    and the checks of the gradebook and the course before and after. :meth:`close` ends
    it (after the kernel has gone) and says what changed, as notes."""

    def __init__(self, executor, resources: dict | None):
        from . import integrity
        from .limits import OutputBudget
        from .replayer import Replayer

        self.log = executor.log
        require(executor.confinement)
        self.confined = executor.confinement == CONFINED
        self.tmp_mb, self.workdir_mb = 256, int(executor.scratch_mb)
        layout = Layout.of_this_process()
        self.recorded = integrity.course_manifest(layout.package, layout.data)
        submission = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        self.workspace = Workspace(submission, self.confined)
        self.db = integrity.db_path((resources or {}).get("nbgrader", {}).get("db_url", ""))
        self.gradebook_before = integrity.gradebook_state(self.db)
        self.budget = OutputBudget(executor.max_output_bytes, executor.max_notebook_output_bytes)
        wrap = None
        if self.confined:
            def wrap(command):
                return confined_command(command, layout, cwd="/tmp", tmp_mb=self.tmp_mb)
        try:
            self.replayer = Replayer(self.recorded, command_wrapper=wrap,
                                     log=getattr(executor, "_kernel_log", None))
        except Exception:
            self.workspace.close()
            raise

    @property
    def kernel_cwd(self) -> str:
        """Where the graded kernel starts: the submission's path in the sandbox (a private
        copy there), or the private copy itself in the weaker mode."""
        return self.workspace.kernel_cwd

    def kernel_manager_class(self, default):
        return kernel_manager_class() if self.confined else default

    def configure(self, km) -> None:
        if self.confined:
            km.confine(self.workspace, self.tmp_mb, self.workdir_mb)

    def replay(self, source: str, snapshot_json: str | None, timeout: float):
        return self.replayer.replay(source, snapshot_json, timeout)

    def close(self) -> list[Note]:
        """End the session; the notes say what changed while the notebook was graded."""
        from . import integrity

        found = []
        try:
            self.replayer.close()
            changes = integrity.gradebook_changes(self.gradebook_before, integrity.gradebook_state(self.db))
            if changes:
                found.append(Note("gradebook-changed", detail="; ".join(changes[:12])))
            changed = integrity.changed_files(self.recorded)
            if changed:
                found.append(Note("course-changed", detail=", ".join(changed[:12])))
        finally:
            self.workspace.close()
        return found
