"""Set-up: a fresh ``make lab``, from no .venv to a JupyterLab answering on its port.

The checkout's files are copied to a temporary folder (what a fresh clone has) and
``make lab PORT=<free port>`` runs there with the system ``python3``, twice:

* **cold**: empty package caches (``UV_CACHE_DIR``, ``PIP_CACHE_DIR`` and ``XDG_CACHE_HOME``
  point at empty folders), so every package comes from PyPI;
* **warm**: the .venv removed again, the same caches now filled by the cold run.

The clock stops at the first HTTP answer from the port (any status: the server is up).
The steps are read from the files make leaves: the venv's python, uv, the install stamp.
Needs network access to PyPI for the cold run. ``--quick`` only checks that the
Makefile's lab recipe starts a server, with the running environment linked as .venv.

Budget (COURSE_DESIGN.md): under 30 s warm, under 2 minutes cold.
Run: python -m benchmarks.setup_time [--quick]   (or: make bench-setup)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from chipcourse.labserver import free_port

from . import common
from .common import Budget, Section, Table

BUDGETS = {"warm": 30.0, "cold": 120.0}
STEPS = [(".venv/bin/python", "python in .venv"), (".venv/bin/uv", "uv in .venv"),
         (".venv/.installed-lab", "course installed")]


def answering(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
        return True
    except urllib.error.HTTPError:
        return True      # 403 without a token: the server is up
    except OSError:
        return False


def make_lab(checkout: Path, env: dict, log: Path, extra: list[str] = (), timeout: float = 600) -> dict:
    """Run ``make lab`` until its port answers; seconds to each step and to the answer."""
    port = free_port()
    start_wall, start = time.time(), time.perf_counter()
    out = open(log, "w")
    process = subprocess.Popen(["make", "--no-print-directory", *extra, "lab", f"PORT={port}"], cwd=checkout,
                               env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while not answering(port):
            if process.poll() is not None:
                raise RuntimeError(f"make lab stopped ({process.returncode}):\n{log.read_text()[-3000:]}")
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"no answer on port {port} after {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        result = {"total": time.perf_counter() - start}
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
        out.close()
    for path, what in STEPS:
        target = checkout / path
        if os.path.lexists(target) and not (checkout / ".venv").is_symlink():
            result[what] = os.lstat(target).st_mtime - start_wall
    return result


def clean_env(cache: Path, work: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "CONDA_PREFIX", "PYTHONHOME")}
    # the system's python3, not this environment's (a fresh machine has no .venv yet)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.update(UV_CACHE_DIR=str(cache / "uv"), PIP_CACHE_DIR=str(cache / "pip"), XDG_CACHE_HOME=str(cache / "xdg"),
               JUPYTER_CONFIG_DIR=str(work / "jupyter-config"), JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def without_uv(env: dict, bin_dir: Path) -> dict:
    """``env`` as on a fresh machine: python3 and make on the PATH, no uv."""
    real = subprocess.run(["python3", "-c", "import sys; print(sys.executable)"], env=env, capture_output=True,
                          text=True, check=True).stdout.strip()
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "python3").symlink_to(real)
    keep = [d for d in env["PATH"].split(os.pathsep) if d and not Path(d, "uv").exists()]
    return {**env, "PATH": os.pathsep.join([str(bin_dir), *keep])}


def row(label: str, result: dict) -> list:
    steps = [f"{result[what]:.1f}" if what in result else "–" for _, what in STEPS]
    return [label, *steps, round(result["total"], 1)]


def run(args) -> Section:
    section = Section("setup_time", "Set-up: fresh make lab to a running JupyterLab", "")
    headers = ["cache", *(f"{what} at s" for _, what in STEPS), "server answering at s"]
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        tmp = Path(tmp)
        checkout = common.copy_checkout(tmp / "course")
        env = clean_env(tmp / "cache", tmp)
        if args.quick:
            (checkout / ".venv").symlink_to(Path(sys.executable).parent.parent)
            env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
            # nothing installed, and no warm-up writing into the running environment
            result = make_lab(checkout, env, tmp / "quick.log", extra=["-o", ".venv/.installed-lab", "WARM_UP=:"])
            section.tables.append(Table(headers, [row("installed already (quick check)", result)]))
            section.budgets.append(Budget("fresh make lab, warm cache", "< 30 s", "–", None,
                                          "quick check: only the server start was timed"))
            return section
        fresh = without_uv(env, tmp / "bin")
        runs = [("cold", fresh), ("warm", fresh)]
        if shutil.which("uv", path=env["PATH"]):
            runs.append(("warm, uv already on the PATH", env))
        results = {}
        for kind, run_env in runs:
            shutil.rmtree(checkout / ".venv", ignore_errors=True)
            try:
                results[kind] = make_lab(checkout, run_env, tmp / f"{kind[:4]}.log")
            except RuntimeError as exc:
                section.notes.append(f"{kind} run failed: {str(exc)[:600]}")
        section.tables.append(Table(headers, [row(kind, r) for kind, r in results.items()]))
        for kind in ("warm", "cold"):
            limit = BUDGETS[kind]
            r = results.get(kind)
            section.budgets.append(Budget(
                f"fresh make lab, {kind} package cache", f"< {limit:g} s",
                f"{r['total']:.1f} s" if r else "failed", (r["total"] < limit) if r else False))
    section.notes += [
        "Each run starts from a copy of the checkout with no .venv, using the system python3 as a "
        "fresh machine would; times are from `make lab` starting to the first HTTP answer on its port.",
        "cold and warm are a fresh machine's path (no uv on the PATH: the venv gets pip, pip installs uv, "
        "uv installs the course). cold: empty uv, pip and XDG caches (packages downloaded from PyPI); "
        "warm: the same caches filled by the cold run, .venv removed. The budgets are decided on these two.",
        "`make lab` compiles bytecode and builds the charts' JavaScript bundle in the background at low "
        "priority once the course is installed, so the server does not wait for them.",
    ]
    return section


if __name__ == "__main__":
    common.main("setup_time", run, __doc__)
