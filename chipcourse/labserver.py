"""A real JupyterLab on 127.0.0.1 for the browser tests and the latency benchmark.

:func:`running` starts ``jupyter lab`` on a free port with a random token, a fresh
settings and workspace folder and ``window.jupyterapp`` exposed, waits until it answers,
and stops it afterwards. :func:`open_notebook` opens a notebook in Playwright with every
request outside 127.0.0.1 blocked (and recorded), and waits for an idle kernel;
:func:`run_all` runs every cell and waits until all have run. Playwright is imported
only by the caller (it is a test extra).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CHROMIUM", "FLAGS", "LEARNER_CONFIG", "COURSE_CONFIG", "Lab", "LabError", "browser_missing", "free_port", "running", "open_notebook",
           "run_all", "wait_for_idle_kernel"]

CHROMIUM = "/usr/bin/chromium"
#: the JupyterLab settings ``make lab`` adds for learners (jupyter-config/README.md)
LEARNER_CONFIG = Path(__file__).resolve().parent.parent / "jupyter-config" / "learner"
#: the course's JupyterLab settings, which ``make lab`` and ``make teach`` both add
COURSE_CONFIG = LEARNER_CONFIG.parent / "course"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


class LabError(RuntimeError):
    """JupyterLab did not start; the message ends with its log."""


@dataclass
class Lab:
    base: str
    token: str
    log: Path

    def __getitem__(self, key):   # lab["base"] and lab["token"] still work, as the tests' old fixture gave them
        return getattr(self, key)


def browser_missing() -> list[str]:
    """What the browser tests and benchmarks need that is not installed (empty: ready)."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (Debian package chromium: `make test` installs it as root)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package (make test installs it)")
    return missing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(root_dir: Path, work: Path, timeout: float = 90, learner: bool = True):
    """JupyterLab serving ``root_dir``; its config, workspaces and log go in ``work``.

    ``learner`` gives the lab ``make lab`` starts (nbgrader's teacher panels hidden, see
    jupyter-config/README.md); ``learner=False`` the one ``make teach`` starts.
    """
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "config"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"), "CHIPCOURSE_CHARTS": "interactive"}
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(LEARNER_CONFIG) if learner else "", str(COURSE_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH", ""))
        if p)
    env.pop("NBGRADER_EXECUTION", None)
    log_path = work / "lab.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root_dir}", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.port_retries=0"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    raise LabError("JupyterLab did not start:\n" + log_path.read_text()[-3000:]) from None
                time.sleep(0.5)
        yield Lab(base, token, log_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def open_notebook(browser, lab: Lab, name: str):
    """Open ``name`` in a fresh workspace; returns (context, page, requests blocked so far)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    workspace = name.replace(".ipynb", "")  # a fresh workspace: no other notebook open
    page.goto(f"{lab.base}/lab/workspaces/{workspace}/tree/{name}?reset&token={lab.token}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    wait_for_idle_kernel(page, timeout=90_000)
    return context, page, outside


def wait_for_idle_kernel(page, timeout: float = 30_000) -> None:
    page.wait_for_function(
        """() => { const w = window.jupyterapp.shell.currentWidget;
                   return w && w.sessionContext && w.sessionContext.session &&
                          w.sessionContext.session.kernel &&
                          w.sessionContext.session.kernel.status === 'idle'; }""", timeout=timeout)


def run_all(page) -> None:
    """Run every cell of the open notebook and wait until each has run and the kernel is idle."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                   const w = window.jupyterapp.shell.currentWidget;
                   return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))
                          && w.sessionContext.session.kernel.status === 'idle'; }""",
        timeout=180_000)
