"""A real JupyterLab on 127.0.0.1, driven by Playwright in Debian's Chromium, offline.

For every lesson: open it, run all cells, and check that each widget rendered, that a
slider moved by the keyboard changes the widget's output, that every altair chart drew
(SVG or canvas), and that the browser asked nothing of the network. With CI=true a
missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import shutil

import pytest

from chipcourse import labserver, notebooks
from chipcourse.labserver import CHROMIUM, FLAGS
from chipcourse.labserver import open_notebook as _open
from chipcourse.labserver import run_all as _run_all

from .conftest import IN_CI

pytestmark = pytest.mark.browser

LESSONS = notebooks.lessons()


def _need_browser():
    missing = labserver.browser_missing()
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if IN_CI:
            pytest.fail(message + "; with CI=true they never skip")
        pytest.skip(message)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _need_browser()
    work = tmp_path_factory.mktemp("lab")
    shutil.copytree(notebooks.ROOT / "notebooks", work / "notebooks")  # autosave must not touch the repo
    try:
        with labserver.running(work / "notebooks", work) as server:
            yield server
    except labserver.LabError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def _wait_for_new_text(page, widget, before: str) -> None:
    """Wait until the widget's aria-live text differs from ``before``."""
    page.wait_for_function(
        "([box, before]) => box.querySelector('[aria-live]').textContent !== before",
        arg=[widget.element_handle(), before], timeout=10_000)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_its_widgets_and_charts_render(browser, lab, lesson):
    context, page, outside = _open(browser, lab, lesson.name)
    try:
        _run_all(page)
        widgets = page.locator(".chipcourse-widget")
        page.wait_for_function("() => document.querySelectorAll('.chipcourse-widget').length > 0",
                               timeout=60_000)
        assert widgets.count() >= 1

        # every chart draws (vega-embed puts an <svg> or a <canvas> inside the widget)
        page.wait_for_function(
            """() => { const charts = [...document.querySelectorAll('.chipcourse-chart')];
                       return charts.length > 0 && charts.every(
                         c => c.querySelector('.vega-embed svg, .vega-embed canvas')); }""",
            timeout=60_000)
        assert "Error loading script" not in page.content()

        # a slider moved from the keyboard changes what the widget says
        for i in range(widgets.count()):
            widget = widgets.nth(i)
            handles = widget.locator(".noUi-handle")
            if handles.count() == 0:
                continue
            before = widget.locator("[aria-live]").first.text_content()
            handles.first.focus()
            for _ in range(60):
                page.keyboard.press("ArrowRight")
            _wait_for_new_text(page, widget, before)
            assert widget.locator("[aria-live]").first.text_content() != before

        # a drop-down changed from the browser changes what the widget says
        for i in range(widgets.count()):
            widget = widgets.nth(i)
            selects = widget.locator("select:not([multiple])")
            if selects.count() == 0:
                continue
            before = widget.locator("[aria-live]").first.text_content()
            options = selects.first.locator("option")
            current = selects.first.input_value()
            other = next(options.nth(j).get_attribute("value") for j in range(options.count())
                         if options.nth(j).get_attribute("value") != current)
            selects.first.select_option(other)
            _wait_for_new_text(page, widget, before)

        # unanswered checks say so in one friendly line, with no Python traceback
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        texts = [errors.nth(i).text_content() for i in range(errors.count())]
        assert texts and all("You have not answered yet" in t for t in texts), texts
        assert not any("Traceback" in t for t in texts)
        assert outside == [], f"the browser tried to reach the network: {outside[:5]}"
    finally:
        context.close()
