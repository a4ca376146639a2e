"""chipcourse.chokepoints (lesson 06), its widget and its answer key: made by make new-lesson,
to be replaced with the lesson's own tests."""

from __future__ import annotations

import ipywidgets
import pytest

from chipcourse import checks, data, lessons, widgets, chokepoints


@pytest.fixture
def table():
    return data.load("chokepoints")


def test_exponent_reads_the_table(table):
    nano = table.loc[table["prefix"] == "nano", "exponent"].item()
    assert chokepoints.exponent(table, "Nano ") == nano


def test_convert_multiplies_by_the_difference_of_powers(table):
    assert chokepoints.convert(table, 2, "micro", "nano") == pytest.approx(2000)
    assert chokepoints.convert(table, 2000, "nano", "micro") == pytest.approx(2)


def test_bad_input_is_a_sentence(table):
    with pytest.raises(ValueError, match="no prefix 'mega'"):
        chokepoints.exponent(table, "mega")
    with pytest.raises(ValueError, match="must be a number"):
        chokepoints.convert(table, "two", "micro", "nano")


def test_widget_updates_its_sentence(live_widgets):
    app = widgets.chokepoints_explorer()
    value = next(w for w in widgets.descendants(app, ipywidgets.FloatSlider))
    text = next(w for w in widgets.descendants(app, ipywidgets.HTML) if "aria-live" in w.value)
    before = text.value
    value.value = 7.5
    assert text.value != before and "7.5 micro" in text.value


def test_answer_key_passes_and_names_its_mistake(table, capsys):
    for question in lessons.questions("06-chokepoints").values():
        namespace = {"prefixes": table, "chokepoints": chokepoints}
        exec(question.solution, namespace)
        answer = namespace[question.solution.split("=")[0].strip()]
        assert question.check(answer).startswith("✓")
    with pytest.raises(checks.CheckFailed, match="Common mistake"):
        checks.check("chokepoints_nano_exponent", -chokepoints.exponent(table, "nano"))
