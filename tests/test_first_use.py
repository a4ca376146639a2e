"""What a learner and a teacher meet first: `make lab` and `make teach`, run as the README says.

Each test runs the real make target on a copy of the course (the checkout's .venv linked in,
its timestamps kept so nothing is reinstalled), reads the URL it prints, and opens it in
Debian's Chromium with every request outside 127.0.0.1 blocked:

* `make lab`'s URL opens lesson 00 on a fresh workspace (it opened the Launcher), the file
  browser shows the learner's own `assignments/` but not the instructor's `exercises/`, and
  the link at the end of lesson 00 opens the learner's copy of the warm-up, which has no
  solutions in it;
* `make teach` is rooted at the course folder (it was rooted at `exercises/`): the file
  browser shows `exercises/`, `release/`, `submitted/`, `feedback/` and `reports/`, the
  formgrader's links to a set resolve, and it does not warn that nbgrader's exchange is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from chipcourse import labserver, notebooks

from .test_browser import _need_browser

pytestmark = pytest.mark.browser

ROOT = notebooks.ROOT
URL = re.compile(r"http://127\.0\.0\.1:\d+/\S*\?token=\w+")
WARMUP = "00-warmup"


def _course_copy(target: Path) -> Path:
    """The course's make-facing files, with their timestamps (so make sees .venv as up to date)."""
    target.mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "uv.lock", "nbgrader_config.py"):
        shutil.copy2(ROOT / name, target / name)
    for folder in ("requirements", "lab-settings", "jupyter-config", "notebooks"):
        shutil.copytree(ROOT / folder, target / folder, copy_function=shutil.copy2)
    shutil.copytree(ROOT / "exercises" / WARMUP, target / "exercises" / WARMUP, copy_function=shutil.copy2)
    (target / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return target


class Make:
    """`make <target>` running in its own process group, until stopped; ``url`` is what it printed."""

    def __init__(self, course: Path, target: str, work: Path):
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "NBGRADER_EXECUTION")}
        env.update(JUPYTER_CONFIG_DIR=str(work / "config"), JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"))
        # the tests' own user config: window.jupyterapp, for reading which document is open
        (work / "config").mkdir(exist_ok=True)
        (work / "config" / "jupyter_lab_config.json").write_text('{"LabApp": {"expose_app_in_browser": true}}')
        self.log = work / f"make-{target}.log"
        self._out = open(self.log, "w")
        # WARM_UP=: skips the bytecode and chart-bundle warm-up that `make lab` starts in the background
        self.process = subprocess.Popen(["make", "-s", target, f"PORT={labserver.free_port()}", "WARM_UP=:"],
                                        cwd=course, env=env, stdout=self._out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.time() + 240
        while True:
            found = URL.search(self.log.read_text())
            if found:
                self.url = found.group(0)
                break
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                pytest.fail(f"make {target} printed no URL:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)
        self.base = self.url.split("/", 3)[:3]
        self.base = "/".join(self.base)
        self.token = self.url.rsplit("token=", 1)[1]
        deadline = time.time() + 60
        while True:   # the URL is printed just before the server answers
            try:
                self.get("/api/status")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)

    def get(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        with urllib.request.urlopen(f"{self.base}{path}{sep}token={self.token}", timeout=30) as answer:
            return answer.read().decode("utf-8")

    def listing(self, path: str = "") -> set[str]:
        return {item["name"] for item in json.loads(self.get(f"/api/contents/{path}"))["content"]}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._out.close()


@pytest.fixture
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=labserver.CHROMIUM, args=labserver.FLAGS, headless=True)
        yield chromium
        chromium.close()


def _offline_page(browser, outside: list):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def guard(route):
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page()


CURRENT_PATH = "() => { const w = window.jupyterapp.shell.currentWidget; return w && w.context ? w.context.path : null; }"


def test_make_lab_opens_lesson_00_and_the_learners_own_exercises(browser, tmp_path):
    course = _course_copy(tmp_path / "course")
    lab = Make(course, "lab", tmp_path)
    outside = []
    try:
        context, page = _offline_page(browser, outside)
        page.goto(lab.url)          # exactly what make lab printed, on a fresh workspace
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell, .jp-Launcher", timeout=60_000)
        page.screenshot(path=str(tmp_path / "make-lab.png"))
        assert page.locator(".jp-Launcher:visible").count() == 0, "make lab's URL opened the Launcher"
        assert page.evaluate(CURRENT_PATH) == "notebooks/00-start-here.ipynb"

        copy = course / "assignments" / WARMUP / f"{WARMUP}-exercises.ipynb"
        assert copy.exists(), "make lab made the learner's copy of the warm-up"
        text = copy.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        listing = lab.listing()
        assert {"notebooks", "assignments"} <= listing and "exercises" not in listing, listing

        # the file browser lists the learner's folder, not the instructor's sources
        page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:go-to-path', {path: '/'})")
        page.wait_for_function("() => [...document.querySelectorAll('.jp-DirListing-itemName')]"
                               ".some(e => e.textContent === 'notebooks')", timeout=30_000)
        shown = set(page.locator(".jp-DirListing-itemName").all_text_contents())
        page.screenshot(path=str(tmp_path / "make-lab-files.png"))
        assert "assignments" in shown and "exercises" not in shown, shown

        # the last section of lesson 00 links to the learner's copy, and the link opens it
        link = page.locator(".jp-RenderedMarkdown a", has_text="your copy of the exercise set")
        link.first.scroll_into_view_if_needed()
        link.first.click()
        page.wait_for_function(f"() => ({CURRENT_PATH})() === 'assignments/{WARMUP}/{WARMUP}-exercises.ipynb'",
                               timeout=60_000)
        page.screenshot(path=str(tmp_path / "make-lab-exercises.png"))
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=60_000)
        assert "BEGIN SOLUTION" not in page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").inner_text()
        context.close()
    finally:
        lab.stop()
    assert outside == [], f"the learner's lab reached for the network: {outside[:5]}"


def test_make_teach_is_rooted_at_the_course_and_its_formgrader_links_work(browser, tmp_path):
    from chipcourse.classroom import Course, release

    course = _course_copy(tmp_path / "course")
    with Course(course).inside():
        release(Course(course), [WARMUP])
    for folder in ("submitted/ana/00-warmup", "feedback/ana/00-warmup", "reports"):
        (course / folder).mkdir(parents=True)
    teach = Make(course, "teach", tmp_path)
    outside = []
    try:
        assert {"exercises", "release", "submitted", "feedback", "reports", "notebooks"} <= teach.listing()
        page_html = teach.get("/formgrader/manage_assignments")
        assert 'var url_prefix = ".";' in page_html, re.findall(r"var url_prefix = [^;]*;", page_html)
        assert 'id="warning-exchange"' not in page_html, "the formgrader says nbgrader's exchange is missing"

        context, page = _offline_page(browser, outside)
        page.goto(f"{teach.base}/formgrader/manage_assignments?token={teach.token}")
        link = page.locator(f"a[href*='/tree/'][href$='exercises/{WARMUP}']")
        link.first.wait_for(timeout=60_000)
        href = link.first.get_attribute("href")
        page.screenshot(path=str(tmp_path / "make-teach-formgrader.png"))
        context.close()
        path = os.path.normpath(href.split("/tree/", 1)[1])   # "./exercises/00-warmup": from the course root
        assert path == f"exercises/{WARMUP}", href
        assert json.loads(teach.get(f"/api/contents/{path}"))["type"] == "directory"
        assert f"{WARMUP}-exercises.ipynb" in teach.listing(path)
    finally:
        teach.stop()
    assert outside == [], f"the teacher's lab reached for the network: {outside[:5]}"
