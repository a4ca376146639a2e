"""Benchmarks for the course's performance budgets (see benchmarks/README.md).

Run them all with ``make bench`` (or ``python -m benchmarks``); each module also runs
alone, e.g. ``python -m benchmarks.widget_latency --quick``.
"""
