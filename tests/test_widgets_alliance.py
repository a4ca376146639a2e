"""Lesson 04 widgets respond to their controls and explain bad choices."""

from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import widgets

from .test_widgets import controls, htmls


pytestmark = pytest.mark.usefixtures("live_widgets")


def test_timeline_explorer_filters_and_explains():
    app = widgets.timeline_explorer()
    years = next(c for c in controls(app) if isinstance(c, ipywidgets.IntRangeSlider))
    picks = [c for c in controls(app) if isinstance(c, ipywidgets.SelectMultiple)]
    assert years.description == "Years" and {p.description for p in picks} == {"Countries", "Categories"}
    before = htmls(app)
    years.value = (1985, 1990)
    after = htmls(app)
    assert after != before and "from 1985 to 1990" in after
    shown = app.children[-1].chart.spec["datasets"]
    dates = [row["date"] for rows in shown.values() for row in rows if "date" in row]
    assert dates and all(str(d)[:4] <= "1990" for d in dates)
    picks[0].value = ()
    assert "Choose at least one country" in htmls(app)


def test_quiz_scores_answers_and_moves_on():
    app = widgets.before_or_after_quiz(seed=2)
    buttons = {b.description: b for b in app.children[2].children}
    assert set(buttons) == {"Before", "After", "Next pair"}
    first_question = app.children[1].value
    buttons["Before"].click()
    assert "Score: " in htmls(app) and ("✓" in htmls(app) or "✗" in htmls(app))
    buttons["Next pair"].click()
    assert app.children[1].value != first_question
