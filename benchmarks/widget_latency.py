"""Measure each widget's update function in-process: p50 and p95 over random valid inputs.

Budget (COURSE_DESIGN.md): p95 under 20 ms. Run: .venv/bin/python benchmarks/widget_latency.py
"""

from __future__ import annotations

import os
import random
import statistics
import time

os.environ.setdefault("CHIPCOURSE_CHARTS", "interactive")

from chipcourse import widgets  # noqa: E402

import ipywidgets  # noqa: E402


def measure(factory, runs: int = 300, seed: int = 1):
    rng = random.Random(seed)
    app = factory()
    controls = widgets.descendants(
        app, (ipywidgets.FloatSlider, ipywidgets.FloatLogSlider, ipywidgets.IntSlider))
    times = []
    for _ in range(runs):
        control = rng.choice(controls)
        value = rng.uniform(control.min, control.max)
        if isinstance(control, ipywidgets.FloatLogSlider):
            value = control.base ** value
        start = time.perf_counter()
        control.value = value
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


WIDGETS = {"scale_explorer": widgets.scale_explorer}

if __name__ == "__main__":
    print(f"{'widget':<20} {'p50 ms':>8} {'p95 ms':>8}  budget p95 < 20 ms")
    for name, factory in WIDGETS.items():
        p50, p95 = measure(factory)
        print(f"{name:<20} {p50:8.2f} {p95:8.2f}  {'met' if p95 < 20 else 'NOT MET'}")
