"""What a learner sees, measured in Debian's Chromium with every request outside 127.0.0.1 blocked.

* the checker's sentences wrap between words in JupyterLab (its CSS breaks output text
  anywhere: "run this check agai / n.");
* chart source captions are single-spaced (they sat in a widget with a control's 28 px line
  height);
* the notes a lesson asks learners to read are shown whole (pandas cut them at 50 characters:
  lesson 03's "27-qubit Falcon" note);
* no chart label covers a marker or another label, and no two markers cover each other, in
  the charts that were crowded (lesson 03's qubit counts: Nighthawk, Condor and Atom
  Computing; lesson 01's densities);
* the class report's misconception labels are whole, not cut with "…";
* the fab simulator says that no die works where the yield leaves less than one per wafer.

The charts are measured as the SVG Vega draws (vl-convert), the same layout JupyterLab shows.
"""

from __future__ import annotations

import pandas as pd
import pytest

from chipcourse import charts, data, nodes
from chipcourse.labserver import open_notebook, run_all

from .test_browser import _need_browser, browser, lab  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

#: every word of an output text whose characters do not all sit on one line
SPLIT_WORDS = """(el) => {
  const split = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return split;
}"""


def _run(browser, lab, name, width=1000):  # noqa: F811
    context, page, outside = open_notebook(browser, lab, name)
    page.set_viewport_size({"width": width, "height": 1000})
    run_all(page)
    return context, page, outside


def test_check_sentences_wrap_between_words_and_captions_are_single_spaced(browser, lab, tmp_path):  # noqa: F811
    context, page, outside = _run(browser, lab, "00-start-here.ipynb", width=900)
    try:
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'] pre")
        page.wait_for_function("() => document.querySelectorAll(\".jp-OutputArea-output[data-mime-type="
                               "'application/vnd.jupyter.stderr'] pre\").length > 0", timeout=60_000)
        for width in (760, 830, 900, 970):   # wherever the line happens to end
            page.set_viewport_size({"width": width, "height": 1000})
            page.wait_for_timeout(300)
            for i in range(errors.count()):
                line = errors.nth(i)
                assert line.evaluate("e => e.getBoundingClientRect().height") > 25, "the sentence wraps at this width"
                assert line.evaluate(SPLIT_WORDS) == [], f"at {width} px: {line.text_content()}"
        errors.first.screenshot(path=str(tmp_path / "check-line.png"))

        page.wait_for_selector(".chipcourse-chart figcaption", timeout=60_000)
        caption = page.locator(".chipcourse-chart figcaption").first
        size, height = caption.evaluate("e => [parseFloat(getComputedStyle(e).fontSize), "
                                        "parseFloat(getComputedStyle(e).lineHeight)]")
        assert height / size < 1.6, f"caption line height {height} px for {size} px text"
        caption.scroll_into_view_if_needed()
        caption.screenshot(path=str(tmp_path / "caption.png"))
    finally:
        context.close()
    assert outside == []


def test_the_notes_a_lesson_asks_for_are_whole(browser, lab, tmp_path):  # noqa: F811
    context, page, outside = _run(browser, lab, "03-quantum-basics.ipynb")
    try:
        kawasaki = data.load("timeline")
        note = kawasaki[kawasaki["event"].str.contains("Kawasaki")]["note"].item()
        assert "27-qubit Falcon" in note
        page.locator(".jp-OutputArea-output td", has_text="Kawasaki").first.wait_for(timeout=60_000)
        row = page.locator(".jp-OutputArea-output tr", has=page.locator("td", has_text="Kawasaki")).first
        assert note in row.inner_text(), row.inner_text()
        row.screenshot(path=str(tmp_path / "kawasaki-note.png"))
        # every table with a note column (the notes the lesson points to) shows its text whole
        cut = page.locator(".jp-OutputArea-output table").evaluate_all(
            """tables => tables.filter(t => [...t.querySelectorAll('th')].some(th => th.textContent === 'note'))
                 .flatMap(t => [...t.querySelectorAll('td')].map(td => td.textContent))
                 .filter(text => text.endsWith('...') || text.endsWith('…'))""")
        assert cut == [], f"table text cut short: {cut[:3]}"
    finally:
        context.close()
    assert outside == []


def test_the_fab_simulator_says_no_die_works_instead_of_pricing_a_fraction(browser, lab, tmp_path):  # noqa: F811
    context, page, outside = _run(browser, lab, "05-industrial-policy.ipynb")
    try:
        widget = page.locator(".chipcourse-widget", has_text="Fab economics simulator")
        widget.wait_for(timeout=60_000)
        handles = widget.locator(".noUi-handle")
        for i in range(2):   # die area and defect density, to their largest values
            handles.nth(i).focus()
            page.keyboard.press("End")
        page.wait_for_function("(box) => box.querySelector('[aria-live]').textContent.includes('no die works')",
                               arg=widget.element_handle(), timeout=20_000)
        text = widget.locator("[aria-live]").first.text_content()
        assert "about 0 dies" not in text and "each good die costs" not in text, text
        size, height = widget.locator("[aria-live] p").first.evaluate(
            "e => [parseFloat(getComputedStyle(e).fontSize), parseFloat(getComputedStyle(e).lineHeight)]")
        assert height / size < 1.6, f"the widget's sentence is double-spaced: {height} px lines for {size} px text"
        widget.screenshot(path=str(tmp_path / "fab-simulator.png"))
    finally:
        context.close()
    assert outside == []


# --------------------------------------------------------------------------- chart layout

#: the boxes of Vega's marks in a drawn SVG: text labels, point symbols, and range lines
MARK_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const name = e => e.getAttribute('aria-label') || '';
  return {
    texts: [...document.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim())
             .map(t => ({name: t.textContent, box: box(t)})),
    markers: [...document.querySelectorAll('g.mark-symbol.role-mark path')].map(p => ({name: name(p), box: box(p)})),
    ranges: [...document.querySelectorAll('g.mark-rule.role-mark line, g.mark-rule.role-mark path')]
             .filter(l => parseFloat(l.getAttribute('stroke-width') || '1') >= 2).map(l => ({name: name(l), box: box(l)})),
  };
}"""


def _overlap(a, b, margin=0.5):
    return min(a[2], b[2]) - max(a[0], b[0]) > margin and min(a[3], b[3]) - max(a[1], b[1]) > margin


def _boxes(browser, chart):  # noqa: F811
    page = browser.new_page()
    outside = []
    page.route("**/*", lambda route: (outside.append(route.request.url), route.abort()))
    try:
        page.set_content(f"<html><body style='margin:0'>{charts.svg(charts.prepare(chart, chart.description))}"
                         "</body></html>")
        return page.evaluate(MARK_BOXES), page
    finally:
        assert outside == []


CROWDED = {
    "qubits_and_quantum_volume": lambda: charts.qubits_and_quantum_volume(data.load("quantum_processors")),
    "density_by_company": lambda: charts.density_by_company(nodes.summary(data.load("nodes"))),
}


@pytest.mark.parametrize("name", list(CROWDED))
def test_no_label_or_marker_covers_another(browser, name, tmp_path):  # noqa: F811
    _need_browser()
    found, page = _boxes(browser, CROWDED[name]())
    try:
        texts, markers, ranges = found["texts"], found["markers"], found["ranges"]
        assert texts and markers
        problems = [f"label {t['name']!r} covers {o['name'][:70]!r}" for t in texts
                    for o in markers + ranges + [u for u in texts if u is not t] if _overlap(t["box"], o["box"])]
        problems += [f"markers {a['name'][:60]!r} and {b['name'][:60]!r} overlap"
                     for i, a in enumerate(markers) for b in markers[i + 1:] if _overlap(a["box"], b["box"], 2)]
        page.locator("svg").first.screenshot(path=str(tmp_path / f"{name}.png"))
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


def test_class_report_misconception_labels_are_whole(browser):  # noqa: F811
    from chipcourse import misconceptions
    from chipcourse.classroom import report

    _need_browser()
    longest = sorted(misconceptions.catalogue().values(), key=lambda m: -len(m.title))[:8]
    hits = pd.DataFrame({"key": [m.key for m in longest], "title": [m.title for m in longest],
                         "students": list(range(8, 0, -1)), "questions": ["q"] * 8})
    empty = pd.DataFrame(columns=["kind", "score", "assignment", "grade_id", "max_score"])
    svg, _text = report._charts(empty, hits, pd.DataFrame(columns=["share", "assignment"]))["misconceptions"]
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())
    try:
        page.set_content(f"<html><body>{svg}</body></html>")
        labels = page.evaluate("() => [...document.querySelectorAll('g.role-axis-label text')]"
                               ".map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ')"
                               " || t.textContent)")
        shown = {" ".join(label.split()) for label in labels}
        for m in longest:
            assert m.title in shown, f"{m.title!r} is not shown whole: {sorted(shown)}"
        assert not any(label.endswith("…") for label in shown)
    finally:
        page.close()
