"""The benchmarks' helpers, and a smoke run of every benchmark in its quick configuration.

Timings are never asserted here (they are results, reported by `make bench`); these
tests only make sure the benchmarks keep running and their pure parts are right.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import ipywidgets
import pytest

from benchmarks import common
from benchmarks import widget_latency as wl
from chipcourse import notebooks, widgets

from .conftest import ROOT


def test_percentile_interpolates_like_numpy():
    np = pytest.importorskip("numpy")
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 7.5]
    for q in (0, 25, 50, 90, 95, 100):
        assert common.percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert common.percentile([3.0], 95) == 3.0
    with pytest.raises(ValueError):
        common.percentile([], 50)


def test_tables_align_numbers_and_escape_markdown():
    text = common.format_table(["name", "ms"], [["a", 1.5], ["longer", 12.25]])
    lines = text.splitlines()
    assert lines[0].startswith("name") and set(lines[1]) <= {"-", " "}
    assert lines[2].endswith(" 1.5") and lines[3].endswith("12.2")   # numbers right-aligned, 3 digits
    md = common.format_table(["x", "y"], [["a|b", float("inf")]], markdown=True)
    assert md.splitlines() == ["| x | y |", "|---|---|", "| a\\|b | – |"]


def test_readme_block_is_replaced_between_the_markers_only():
    text = f"intro\n{common.START}\nold\n{common.END}\noutro\n"
    new = common.replace_block(text, "new table")
    assert new == f"intro\n{common.START}\nnew table\n{common.END}\noutro\n"
    assert common.replace_block(new, "new table") == new
    with pytest.raises(ValueError):
        common.replace_block("no markers here", "x")


def test_sections_are_saved_merged_and_rendered(tmp_path):
    first = common.Section("widget_latency", "Widgets", "cmd", quick=False, measured_at="2026-01-01 10:00 UTC",
                           machine={"cores": 2, "memory_gb": 8.0, "cpu": "X", "os": "Linux", "python": "3.11"},
                           budgets=[common.Budget("p95", "< 20 ms", "3 ms", True)],
                           tables=[common.Table(["widget", "p95 ms"], [["scale_explorer", 3.0]])],
                           notes=["a note"])
    second = common.Section("course_execution", "Course", "cmd", measured_at="2026-01-02 10:00 UTC",
                            machine=first.machine, budgets=[common.Budget("ratio", "≤ 1.5×", "1.7×", False)])
    common.save(first, tmp_path)
    results = common.save(second, tmp_path)
    assert set(json.loads((tmp_path / "results.json").read_text())) == {"widget_latency", "course_execution"}
    md = (tmp_path / "results.md").read_text()
    assert md.index("## Course") < md.index("## Widgets")          # the fixed order, not insertion order
    assert "| scale_explorer | 3 |" in md and "a note" in md and "❌ not met" in md and "✅ met" in md
    readme = tmp_path / "README.md"
    readme.write_text(f"# Course\n{common.START}\n{common.END}\nrest\n")
    assert common.update_readme(results, readme)
    text = readme.read_text()
    assert "2026-01-01 to 2026-01-02" in text and "2 cores" in text and text.endswith("rest\n")
    assert not common.update_readme(results, tmp_path / "missing.md")


def test_every_widget_factory_is_measured_and_no_helper():
    found = wl.factories()
    for name in ("scale_explorer", "node_explorer", "timeline_explorer", "circuit_builder"):
        assert name in found
    assert not {"panel", "slider", "placeholder", "as_widget", "descendants", "show_rows"} & set(found)
    assert all(getattr(widgets, name) is factory for name, factory in found.items())


@pytest.mark.usefixtures("live_widgets")
def test_random_changes_are_valid_for_every_control():
    rng = random.Random(3)
    for factory in wl.factories().values():
        for control in wl.controls(factory()):
            for _ in range(5):
                trait, value = wl.random_change(control, rng)
                if trait == "click":
                    assert isinstance(control, ipywidgets.Button)
                elif trait == "index":
                    indices = value if isinstance(value, tuple) else (value,)
                    assert indices and all(0 <= i < len(control.options) for i in indices)
                else:
                    for v in (value if isinstance(value, tuple) else (value,)):
                        if hasattr(control, "min") and not isinstance(control, ipywidgets.FloatLogSlider):
                            assert control.min <= v <= control.max, (control.description, v)


def test_simulated_students_get_some_answers_wrong():
    source = __import__("nbformat").read(notebooks.exercises()[1], as_version=4)
    graded = notebooks.graded_answer_cells(source)
    student = notebooks.with_wrong_answers(source, every=3, offset=1)
    wrong = [i for i, cell in enumerate(notebooks.graded_answer_cells(student)) if "12345" in cell.source]
    assert wrong == [i for i in range(len(graded)) if i % 3 == 1]
    assert source.cells == __import__("nbformat").read(notebooks.exercises()[1], as_version=4).cells  # a copy


def smoke(name: str, tmp_path, *extra):
    result = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--quick", "--results", str(tmp_path),
                             "--readme", "none", *extra], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    saved = json.loads((tmp_path / "results.json").read_text())[name]
    assert saved["quick"] and saved["budgets"] and saved["tables"]
    return saved


@pytest.mark.parametrize("name", ["widget_latency", "quantum_simulator", "setup_time"])
def test_quick_benchmark_runs(name, tmp_path):
    smoke(name, tmp_path)


@pytest.mark.notebooks
def test_quick_course_execution_runs(tmp_path):
    saved = smoke("course_execution", tmp_path)
    assert saved["budgets"][0]["met"] in (True, False)


@pytest.mark.pipeline
def test_quick_autograde_runs_and_grades_every_submission(tmp_path):
    saved = smoke("autograde", tmp_path)
    assert all(b["met"] in (True, False) for b in saved["budgets"])
    budgets = {b["name"]: b for b in saved["budgets"]}
    assert budgets["a class of 2 graded in one command"]["met"], "every submission of the class is graded"
    assert "s per submission" in budgets["confinement overhead (bubblewrap vs audit hooks only)"]["measured"]
    assert "scores identical to serial grading" in next(b["measured"] for name, b in budgets.items()
                                                        if name.startswith("stretch"))


@pytest.mark.browser
def test_quick_browser_latency_runs(tmp_path):
    from .test_browser import _need_browser

    _need_browser()
    saved = smoke("browser_latency", tmp_path)
    assert saved["budgets"][0]["met"] is not None


def test_make_bench_runs_the_benchmarks_package():
    dry = subprocess.run(["make", "-n", "bench", "BENCH_PYTHON=python", "BENCH_ARGS=--quick"], cwd=ROOT,
                         capture_output=True, text=True)
    assert dry.returncode == 0 and "-m benchmarks --quick" in dry.stdout
