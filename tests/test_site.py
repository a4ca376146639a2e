"""The static edition (`make site`): every lesson run and exported by nbconvert, readable offline.

The site is built once into a temporary folder. The file checks read its HTML; the browser
test opens every page from a static server on 127.0.0.1 in Chromium with every other request
blocked, and checks what a reader sees: the title and headings, each chart drawn, the
formulas typeset, and no accessibility problem that axe-core can find.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from chipcourse import editions, notebooks, teaching

from .conftest import lesson_ids
from .test_browser import _markdown

LESSONS = notebooks.lessons()
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    editions.build_site(out, log=lambda *_: None)
    return out


class _Page(HTMLParser):
    """What the checks need from a page: its title, headings, references and widget copies."""

    def __init__(self):
        super().__init__()
        self.title, self.h1, self.refs, self.statics, self.figures = "", [], [], 0, 0
        self._in = None
        self._svg = 0  # depth inside inline SVG, whose <title> elements are not the page's

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "data", "poster", "srcset"):
            if attrs.get(name):
                self.refs.append((tag, name, attrs[name]))
        if "chipcourse-static" in (attrs.get("class") or ""):
            self.statics += 1
        if tag == "figure" and "chipcourse-chart" in (attrs.get("class") or ""):
            self.figures += 1
        if tag == "svg":
            self._svg += 1
        if tag in ("title", "h1") and not self._svg:
            self._in = tag
            if tag == "h1":
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = max(0, self._svg - 1)
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site: Path) -> list[Path]:
    return [site / "index.html"] + [site / f"{p.stem}.html" for p in LESSONS]


def test_every_lesson_has_a_page_titled_like_the_lesson(site):
    for lesson in LESSONS:
        page = _parse(site / f"{lesson.stem}.html")
        title = teaching.title(lesson)
        assert page.title.strip() == f"{title} · {editions.COURSE}"
        assert [h.replace("¶", "").strip() for h in page.h1] == [title]


def test_the_tour_links_every_lesson(site):
    refs = {value for _tag, _name, value in _parse(site / "index.html").refs}
    assert {f"{p.stem}.html" for p in LESSONS} <= refs


def test_no_page_loads_anything_from_the_internet(site):
    for path in _pages(site):
        page = _parse(path)
        remote = [(tag, name, value) for tag, name, value in page.refs
                  if tag in ("script", "link", "img", "iframe", "source", "embed", "object", "audio", "video")
                  and re.match(r"\s*(https?:)?//", value)]
        assert remote == [], f"{path.name} loads from the internet: {remote}"
        text = path.read_text(encoding="utf-8")
        # nor from scripts or styles: an import(), a url() or an @import of a remote address
        assert not re.search(r"""(import\(|url\(|@import)\s*["']?(https?:)?//""", text), path.name


def test_local_links_and_scripts_resolve(site):
    for path in _pages(site):
        for tag, name, value in _parse(path).refs:
            if re.match(r"(https?:|mailto:|#|data:)", value):
                continue
            target = (path.parent / value.split("#")[0].split("?")[0]).resolve()
            assert target.exists(), f"{path.name}: <{tag} {name}={value!r}> points at nothing"


def test_links_to_lessons_point_at_pages_not_notebooks(site):
    for path in _pages(site):
        notebook_links = [v for t, n, v in _parse(path).refs if t == "a" and v.endswith(".ipynb")]
        assert notebook_links == [], f"{path.name} links to notebooks: {notebook_links}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lesson_ids(LESSONS))
def test_widgets_and_charts_are_in_the_page(site, lesson):
    page = _parse(site / f"{lesson.stem}.html")
    text = (site / f"{lesson.stem}.html").read_text(encoding="utf-8")
    widget_cells = sum(1 for c in nbformat.read(lesson, as_version=4).cells
                       if c.cell_type == "code" and re.search(r"^widgets\.\w+\(", c.source, re.MULTILINE))
    assert page.statics == widget_cells, "each widget cell should show its static copy"
    chart_cells = sum(1 for c in nbformat.read(lesson, as_version=4).cells
                      if c.cell_type == "code" and "charts.show(" in c.source)
    assert page.figures >= chart_cells, "each chart cell should show its chart"
    assert "Traceback" not in text and "Error loading script" not in text
    # an unanswered check shows its one friendly line, nothing more
    errors = re.findall(r'<div[^>]*data-mime-type="application/vnd.jupyter.stderr"[^>]*>(.*?)</div>', text, re.DOTALL)
    assert errors and all("You have not answered yet" in e for e in errors)


def test_formulas_are_typeset_by_a_local_mathjax(site):
    assert (site / "mathjax" / "MathJax.js").exists()
    assert (site / "mathjax" / "config" / "TeX-AMS-MML_HTMLorMML-full.js").exists()
    for path in _pages(site)[1:]:
        assert f'src="{editions.MATHJAX_URL}"' in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- in the browser

@pytest.fixture(scope="module")
def served(site):
    """The site on a static HTTP server on 127.0.0.1 (a stand-in for any web host or a USB stick)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _contrast(rgb: str) -> float:
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(float(v)) for v in re.findall(r"[\d.]+", rgb)[:3])
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


_WITH_FORMULAS = {p.stem for p in LESSONS if "$$" in _markdown(p)}   # display formulas


@pytest.mark.browser
def test_every_page_renders_offline_in_chromium(served, site):
    from playwright.sync_api import sync_playwright

    from .test_browser import CHROMIUM, FLAGS, RULES_OFF, _axe, _need_browser, _report

    _need_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        outside = []

        def guard(route):
            if route.request.url.startswith((served, "data:", "blob:")):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        try:
            for path in _pages(site):
                page.goto(f"{served}/{path.name}", wait_until="load")
                expected = "Course tour" if path.name == "index.html" else teaching.title(
                    next(p for p in LESSONS if p.stem == path.stem))
                assert page.title() == f"{expected} · {editions.COURSE}"
                assert page.locator("h1").count() == 1
                figures = page.locator("figure.chipcourse-chart")
                for i in range(figures.count()):
                    svg = figures.nth(i).locator("svg").first
                    box = svg.bounding_box()
                    assert box and box["width"] > 100 and box["height"] > 50, f"{path.name}: chart {i} not drawn"
                    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label").strip()
                    texts = svg.locator("text")
                    assert texts.count() > 0, f"{path.name}: chart {i} has no text (titles, axes)"
                    fills = set(texts.evaluate_all("els => els.map(e => getComputedStyle(e).fill)"))
                    weak = {f for f in fills if f.startswith("rgb") and _contrast(f) < 4.5}
                    assert not weak, f"{path.name}: chart {i} has text colours under 4.5:1: {weak}"
                if path.stem in _WITH_FORMULAS:  # MathJax (the local copy) typesets them
                    page.wait_for_function("() => document.querySelectorAll('.MathJax_Display').length > 0",
                                           timeout=30_000)
                if page.evaluate("() => typeof MathJax !== 'undefined' && !!MathJax.Hub"):
                    # once MathJax has finished, nothing in an output is a formula: "$8 bn ... $6 bn" stays text
                    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
                    typeset = page.locator(".jp-OutputArea-output .MathJax, .jp-OutputArea-output .MathJax_Display")
                    assert typeset.count() == 0, f"{path.name}: outputs typeset as maths: " + str(
                        [typeset.nth(i).text_content() for i in range(min(typeset.count(), 5))])
                # the checker's sentences wrap between words (the lab theme's break-all split "agai / n.")
                assert not page.locator(".jp-OutputArea-output pre").evaluate_all(
                    "pres => pres.filter(p => getComputedStyle(p).wordBreak === 'break-all').length"), path.name
                violations = _axe(page, [["html"]], RULES_OFF)
                assert violations == [], f"axe-core found problems on {path.name}:\n" + _report(violations)
            assert outside == [], f"the static site tried to reach the network: {outside[:5]}"
        finally:
            context.close()
            browser.close()


# --------------------------------------------------------------------------- the answer key

def test_solutions_are_generated_from_the_key_and_the_nbgrader_source(tmp_path):
    """`make solutions` on the warm-up: the lesson filled from the answer key with every check passing,
    and nbgrader's generate_solution of the exercise source, each as a notebook and a page."""
    lesson, source = LESSONS[0], teaching.exercise_for(LESSONS[0])
    written = editions.build_solutions(tmp_path, lessons=[lesson], sets=[source], log=lambda *_: None)
    assert all(p.exists() for p in written) and written[0] == tmp_path / "index.html"
    filled = nbformat.read(tmp_path / "lessons" / lesson.name, as_version=4)
    outputs = [o for c in filled.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"], "a filled lesson runs with no failed check"
    checks = [c for c in filled.cells if notebooks.nbgrader_meta(c).get("grade")]
    assert checks and all("✓" in "".join(o.get("text", "") for o in c.outputs) for c in checks)
    solved = tmp_path / "exercises" / source.parent.name / source.name
    solved_nb = nbformat.read(solved, as_version=4)
    text = "\n".join(c.source for c in solved_nb.cells)
    assert not any("raise NotImplementedError" in c.source for c in solved_nb.cells if c.cell_type == "code")
    answers = [c.source for c in nbformat.read(source, as_version=4).cells if notebooks.nbgrader_meta(c).get("solution")]
    assert answers and all(a in text for a in answers), "the worked answers are the source's own"
    for cell in solved_nb.cells:  # every worked answer and every test, hidden ones too, ran and passed
        assert not [o for o in cell.get("outputs", []) if o.output_type == "error"], cell.source[:80]
        if cell.cell_type == "code" and notebooks.nbgrader_meta(cell).get("grade"):
            assert "✓" in "".join(o.get("text", "") for o in cell.outputs), cell.source[:80]
    for page in [p for p in written if p.suffix == ".html"]:
        refs = _parse(page).refs
        assert not [v for t, n, v in refs if t in ("script", "link", "img") and re.match(r"(https?:)?//", v)]
        assert all((page.parent / v.split("?")[0]).resolve().exists() for t, n, v in refs
                   if t == "script" and n == "src"), page
