"""Property-based fuzzing of what a learner's input reaches (issue 21): a result or one
friendly sentence, never another exception, never NaN/inf shown as a number."""

from __future__ import annotations

import re

import ipywidgets
import pytest
from hypothesis import given, strategies as st

from chipcourse import checking, checks, lessons, units, widgets
from tests import strategies as S

NAN_SHOWN = re.compile(r"(?<![A-Za-z])(nan|inf|-inf)(?![A-Za-z])", re.IGNORECASE)


def _friendly(call):
    try:
        return call()
    except checking.CheckFailed as exc:
        assert str(exc).strip(), "an empty sentence"
        return str(exc)


@given(S.answers, S.numbers.filter(S.finite), st.one_of(st.none(), S.units))
def test_check_number_gives_a_result_or_a_sentence(answer, expected, unit):
    try:
        expected = float(expected)
    except OverflowError:
        return
    _friendly(lambda: checking.check_number(answer, expected, unit=unit or None))


@given(S.answers)
def test_text_choice_items_checkers(answer):
    _friendly(lambda: checking.check_choice(answer, "TSMC N7", ["Intel 10nm", "TSMC N7"]))
    _friendly(lambda: checking.check_text(answer, "lithography"))
    _friendly(lambda: checking.check_items(answer, [1.0, 2.0, 3.0]))
    _friendly(lambda: checking.check_items(answer, ["a", "b"], ordered=False))
    _friendly(lambda: checking.check_is_number(answer, unit="nm"))
    _friendly(lambda: checking.check_is_text(answer))


@given(S.answers)
def test_check_table_refuses_anything_not_a_table(answer):
    import pandas as pd

    _friendly(lambda: checking.check_table(answer, pd.DataFrame({"a": [1.0]})))
    _friendly(lambda: checking.check_is_table(answer, columns=["a"]))


QUESTION_IDS = sorted(lessons.questions())


@pytest.mark.parametrize("question_id", QUESTION_IDS)
@given(answer=S.answers)
def test_every_lesson_question(question_id, answer):
    _friendly(lambda: checks.check(question_id, answer))


@given(S.texts, st.one_of(st.none(), S.units))
def test_unit_parsing_raises_only_unit_errors(text, unit):
    try:
        value = units.to_magnitude(text, unit)
    except (units.UnitError, ValueError, OverflowError, ArithmeticError):
        return  # what checking turns into a sentence
    assert isinstance(value, float)


def _controls(widget):
    return [w for w in widgets.descendants(widget, ipywidgets.ValueWidget)
            if not isinstance(w, (ipywidgets.HTML, ipywidgets.Label)) and not w.disabled]


def _shown(widget):
    return "\n".join(str(w.value) for w in widgets.descendants(widget, ipywidgets.HTML))


_BUILT: dict = {}


def _built(name):
    if name not in _BUILT:
        _BUILT[name] = widgets.factories()[name]()
    return _BUILT[name]


@pytest.mark.parametrize("name", sorted(widgets.factories()))
@given(data=st.data())
def test_every_widget_over_its_controls(name, data, monkeypatch_session):
    widget = _built(name)
    for control in _controls(widget):
        control.value = data.draw(S.control_values(control), label=control.description)
    text = re.sub(r"<[^>]+>", " ", _shown(widget))
    text = re.sub(r"data:[^\s\"']+", " ", text)
    assert not NAN_SHOWN.search(text), text[:300]
