"""Every widget's update, in-process: p50 and p95 over many random valid inputs.

Each lesson's widget factories (``chipcourse/lessons/<topic>/widgets.py``, found by
:func:`chipcourse.widgets.factories`) are built as a learner gets it (interactive charts,
not grading), and its controls are driven at random: sliders and number boxes to a
random value inside their current range (on their step), drop-downs, toggle buttons and
multiple selections to random options, check boxes flipped, text boxes given a number,
buttons clicked. The time from setting the control to the return of its observers (the
widget's whole update, chart parameters included) is one sample. Widgets added later
are picked up without editing this file.

Budget (issue 22): p95 at most 8 ms (half a 60 Hz frame) for every widget.
Run: python -m benchmarks.widget_latency [--runs 300] [--quick]
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict

import ipywidgets

from chipcourse import widgets

from . import common
from .common import Budget, Section, Table, percentile

BUDGET_MS = 8.0
#: text displays: value widgets a learner does not set
_DISPLAYS = (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label, ipywidgets.Valid)


def factories() -> dict:
    """Every lesson's widget factories, by name (:func:`chipcourse.widgets.factories`)."""
    return widgets.factories()


def controls(app) -> list:
    """What a learner can operate inside a widget: enabled value widgets and buttons."""
    return [w for w in widgets.descendants(app, (ipywidgets.ValueWidget, ipywidgets.Button))
            if not isinstance(w, _DISPLAYS) and not getattr(w, "disabled", False)]


def _on_step(rng, low, high, step, whole: bool):
    if step and step > 0:
        value = low + step * rng.randint(0, int((high - low) / step + 1e-9))
        return int(value) if whole else round(value, 12)
    return rng.randint(int(low), int(high)) if whole else rng.uniform(low, high)


def random_change(control, rng: random.Random) -> tuple[str, object]:
    """A random valid change for ``control``: ``(trait, value)``, or ``("click", None)``."""
    if isinstance(control, ipywidgets.Button):
        return "click", None
    if hasattr(control, "options") and hasattr(control, "index"):   # drop-downs, toggles, selections
        n = len(control.options)
        if isinstance(control.index, tuple):                         # a multiple selection
            return "index", tuple(sorted(rng.sample(range(n), rng.randint(1, n))))
        return "index", rng.randrange(n)
    if isinstance(control, ipywidgets.FloatLogSlider):
        return "value", control.base ** _on_step(rng, control.min, control.max, control.step, False)
    if isinstance(control.value, bool):
        return "value", not control.value
    if hasattr(control, "min") and hasattr(control, "max"):
        whole = isinstance(control.min, int) and not isinstance(control.min, bool)
        step = getattr(control, "step", None)
        if isinstance(control.value, tuple):                         # a range slider
            return "value", tuple(sorted(_on_step(rng, control.min, control.max, step, whole) for _ in range(2)))
        return "value", _on_step(rng, control.min, control.max, step, whole)
    if isinstance(control.value, str):
        return "value", f"{rng.uniform(0.1, 1000):.3g}"
    if isinstance(control.value, (int, float)):
        return "value", type(control.value)(rng.uniform(-1000, 1000))
    raise TypeError(f"do not know how to drive a {type(control).__name__}")


def kind(control) -> str:
    return type(control).__name__


def measure(factory, runs: int = 300, seed: int = 1) -> dict:
    """Build the widget, then time ``runs`` random control changes; a summary in ms."""
    rng = random.Random(seed)
    start = time.perf_counter()
    app = factory()
    build_ms = (time.perf_counter() - start) * 1000
    driven = controls(app)
    if not driven:
        return {"build_ms": build_ms, "times": [], "cpu": [], "kinds": {}, "errors": []}
    times, cpu, per_kind, errors = [], [], defaultdict(list), []
    while len(times) < runs:
        control = rng.choice(driven)
        trait, value = random_change(control, rng)
        for _ in range(5):          # setting the value it already has triggers nothing: draw again
            if trait == "click" or value != getattr(control, trait):
                break
            trait, value = random_change(control, rng)
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            if trait == "click":
                control.click()
            else:
                setattr(control, trait, value)
        except Exception as exc:    # a learner would see this as a traceback: report it
            errors.append(f"{kind(control)} {getattr(control, 'description', '')!r}.{trait} = {value!r}: "
                          f"{type(exc).__name__}: {exc}")
        elapsed, elapsed_cpu = (time.perf_counter() - start) * 1000, (time.thread_time() - start_cpu) * 1000
        times.append(elapsed)
        cpu.append(elapsed_cpu)
        per_kind[kind(control)].append(elapsed_cpu)
    return {"build_ms": build_ms, "times": times, "cpu": cpu, "kinds": dict(per_kind), "errors": errors}


def run(args) -> Section:
    os.environ["CHIPCOURSE_CHARTS"] = "interactive"   # widgets as a learner in JupyterLab gets them
    os.environ.pop("NBGRADER_EXECUTION", None)
    runs = 20 if args.quick else args.runs
    rows, budgets_failed, notes, worst = [], [], [], ("", 0.0)
    for name, factory in factories().items():
        result = measure(factory, runs=runs)
        times, cpu = result["times"], result["cpu"]
        if not times:
            rows.append([name, "none", 0, "–", "–", "–", "–", f"{result['build_ms']:.0f}", "no controls"])
            continue
        p50, p95 = percentile(cpu, 50), percentile(cpu, 95)
        slowest = max(result["kinds"], key=lambda k: percentile(result["kinds"][k], 95))
        kinds = ", ".join(f"{k} ×{len(v)}" for k, v in sorted(result["kinds"].items()))
        rows.append([name, kinds, len(times), round(p50, 2), round(p95, 2), round(max(cpu), 1),
                     round(percentile(times, 95), 2), f"{result['build_ms']:.0f}", slowest])
        if p95 > BUDGET_MS or result["errors"]:
            budgets_failed.append(name)
        if p95 > worst[1]:
            worst = (name, p95)
        for error in result["errors"][:3]:
            notes.append(f"{name}: an input raised {error}")
    section = Section("widget_latency", "Widget latency in-process (update functions)", "")
    section.tables.append(Table(
        ["widget", "controls driven (samples)", "n", "p50 ms", "p95 ms", "max ms", "wall p95 ms", "build ms",
         "slowest control (p95)"], rows))
    section.budgets.append(Budget(
        "every widget update, in-process (p95)", f"≤ {BUDGET_MS:g} ms",
        f"worst p95 {worst[1]:.2f} ms ({worst[0]}), {len(rows)} widgets",
        not budgets_failed, ("over budget or raising: " + ", ".join(budgets_failed)) if budgets_failed else ""))
    section.notes += notes + [
        f"{runs} random valid inputs per widget (seeded); a sample is one control change, from setting "
        "its value (or clicking) to the return of its observers, charts' parameters included; "
        "the first, cold samples are included.",
        "p50, p95 and max are the CPU time of the update (time.thread_time): on a quiet machine that is "
        "its wall time, and it does not count time the scheduler gave to other people's processes on "
        "this shared machine. The wall-clock p95 is shown beside it.",
        "Widgets are found in every lesson's package (chipcourse.widgets.factories()), "
        "so new lessons' widgets are measured without editing the benchmark."]
    return section


if __name__ == "__main__":
    common.main("widget_latency", run, __doc__,
                lambda p: p.add_argument("--runs", type=int, default=300, help="random inputs per widget"))
