"""Widgets for lesson 04, Rivals to allies."""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...charting import show
from ...panel import STYLE, as_widget, grading, panel, placeholder, report_errors, show_rows, slider
from . import alliance, charts


def _event_list(events, limit: int = 8) -> str:
    items = "".join(
        f"<li>{row.date:%d %b %Y} ({html.escape(row.date_kind)}): {html.escape(row.event)} "
        f"<small>({html.escape(row.source)})</small></li>" for row in events.head(limit).itertuples())
    more = f"<p>… and {len(events) - limit} more.</p>" if len(events) > limit else ""
    return f"<ul>{items}</ul>{more}"


def timeline_explorer() -> ipywidgets.Widget:
    """Filter the timeline by country, category and years; read each event with its source."""
    title = "Timeline explorer"
    if grading():
        return placeholder(title)
    timeline = data.load("timeline")
    years = timeline["date"].dt.year
    pick_countries = ipywidgets.SelectMultiple(options=alliance.countries(timeline), value=("Japan", "US"),
                                               rows=5, description="Countries", style=STYLE)
    categories = sorted(set(timeline["category"]))
    pick_categories = ipywidgets.SelectMultiple(options=categories, value=tuple(categories), rows=5,
                                                description="Categories", style=STYLE)
    window = slider(ipywidgets.IntRangeSlider, "Years", value=(int(years.min()), int(years.max())),
                    min=int(years.min()), max=int(years.max()))
    result = ipywidgets.HTML()
    chart = as_widget(show(charts.timeline_chart(timeline)))
    everything = getattr(getattr(chart, "chart", None), "spec", None)   # every event, as first drawn

    def update(_change=None):
        with report_errors(result):
            if not pick_countries.value or not pick_categories.value:
                raise ValueError("Choose at least one country and one category "
                                 "(Ctrl- or Cmd-click to pick several).")
            start, end = window.value
            events = alliance.filter_events(timeline, pick_countries.value, pick_categories.value, start, end)
            result.value = (f"<div aria-live='polite'><p><b>{len(events)} events</b> from {start} to {end} "
                            f"involving {', '.join(pick_countries.value)}.</p>{_event_list(events)}</div>")
            show_rows(chart, everything, events)

    for control in (pick_countries, pick_categories, window):
        control.observe(update, "value")
    update()
    return panel(title, "Pick countries, categories and years. Hover over a point for its source.",
                 [pick_countries, pick_categories, window], [result, chart])


def before_or_after_quiz(seed: int = 0) -> ipywidgets.Widget:
    """Two events from the timeline: did the first happen before or after the second?"""
    title = "Before or after?"
    if grading():
        return placeholder(title)
    timeline = data.load("timeline")
    state = {"seed": seed, "pair": alliance.quiz_pair(timeline, seed), "right": 0, "asked": 0}
    question = ipywidgets.HTML()
    feedback = ipywidgets.HTML("<p aria-live='polite'>Choose an answer.</p>")
    before = ipywidgets.Button(description="Before", tooltip="Event 1 happened before event 2")
    after = ipywidgets.Button(description="After", tooltip="Event 1 happened after event 2")
    nxt = ipywidgets.Button(description="Next pair", tooltip="Show two new events")

    def show_question():
        pair = state["pair"]
        question.value = (f"<ol><li>{html.escape(pair.first['event'])}</li>"
                          f"<li>{html.escape(pair.second['event'])}</li></ol>"
                          f"<p>Did event 1 happen <b>before</b> or <b>after</b> event 2?</p>")

    def answer(choice):
        with report_errors(feedback):
            correct, why = alliance.judge_order(state["pair"], choice)
            state["asked"] += 1
            state["right"] += int(correct)
            verdict = "✓ Right." if correct else "✗ Not this time."
            feedback.value = (f"<p aria-live='polite'>{verdict} {html.escape(why)} "
                              f"Score: {state['right']} of {state['asked']}.</p>")

    def next_pair(_button=None):
        state["seed"] += 1
        state["pair"] = alliance.quiz_pair(timeline, state["seed"])
        feedback.value = "<p aria-live='polite'>Choose an answer.</p>"
        show_question()

    before.on_click(lambda _b: answer("before"))
    after.on_click(lambda _b: answer("after"))
    nxt.on_click(next_pair)
    show_question()
    return panel(title, "Read the two events and decide which came first; the answer shows the "
                        "dates and sources.", [question, ipywidgets.HBox([before, after, nxt])], [feedback])
