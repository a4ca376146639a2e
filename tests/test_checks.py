"""The answer checker: right answers pass, wrong ones get specific sentences."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from chipcourse import checks
from chipcourse.checks import CheckFailed, Unanswered
from chipcourse.misconceptions import catalogue, named_in


def fails(fn, *args, match=None, **kwargs) -> CheckFailed:
    with pytest.raises(CheckFailed, match=match) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, AssertionError)
    return info.value


@pytest.mark.parametrize("answer", [13.5, 13, np.float32(13.5), np.int64(13), "13.5", "13.5 nm",
                                    "0.0135 µm", " 0.0135 um ", Decimal("13.5")])
def test_number_accepted_in_any_form(answer):
    assert checks.check_number(answer, 13.5, unit="nm", rel_tol=0.05).startswith("✓")


def test_success_is_printed_once(capsys):
    result = checks.check_number(2, 2, success="Well done.")
    assert capsys.readouterr().out.strip() == "✓ Correct. Well done."
    assert result == "✓ Correct. Well done." and result._ipython_display_() is None


@pytest.mark.parametrize("answer, sentence", [
    (..., "You have not answered yet"),
    (None, "is None"),
    ("", "is empty"),
    ("   ", "is empty"),
])
def test_unanswered(answer, sentence):
    err = fails(checks.check_number, answer, 1.0, match=sentence)
    assert isinstance(err, Unanswered)


@pytest.mark.parametrize("answer, sentence", [
    (float("nan"), "NaN"),
    (math.inf, "infinite"),
    ("abc", "not a number with a unit"),
    ("1,000", "thousands separators"),
    (True, "True, but this question wants a number"),
    ([1, 2], "list of 2 items"),
    (pd.Series([1.0]), r"\.item\(\)"),
    (pd.Series([1.0, 2.0]), "2 values"),
    (np.array([1.0, 2.0]), "NumPy array"),
    ({"a": 1}, "dict of 1 items"),
    (object(), "should be a number"),
    ("3 s", "measures a time"),
])
def test_bad_input_gets_a_sentence(answer, sentence):
    fails(checks.check_number, answer, 1000.0, unit="nm", match=sentence)


def test_huge_number_says_how_far_off():
    fails(checks.check_number, 1e300, 5.0, match="more than a million times off")


def test_too_large_and_too_small():
    fails(checks.check_number, 6, 5, match="too large")
    fails(checks.check_number, 4, 5, match="too small")


def test_reveal_only_when_asked():
    assert "expected value" not in str(fails(checks.check_number, 4, 5))
    assert "expected value is 5" in str(fails(checks.check_number, 4, 5, reveal=True))


@pytest.mark.parametrize("answer, key", [
    (13500, "unit-factor-1000"),
    (0.0135, "unit-factor-1000"),
    (1350, "percent-vs-fraction"),
    (-13.5, "sign-flipped"),
])
def test_generic_slips_are_named(answer, key):
    err = fails(checks.check_number, answer, 13.5, unit="nm")
    assert err.misconception == key
    assert catalogue()[key].explanation in str(err)


def test_inverted_ratio_is_named():
    assert fails(checks.check_number, 0.25, 4.0).misconception == "ratio-inverted"


def test_listed_misconception_wins():
    err = fails(checks.check_number, 1, 1000, misconceptions={"nm-is-a-millionth": 1})
    assert err.misconception == "nm-is-a-millionth"
    assert named_in(str(err)) == ["nm-is-a-millionth"]
    assert "nm-is-a-millionth" not in str(err), "the key is for teachers; the learner reads the title"


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class Liar:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 13.5


def test_objects_that_claim_equality_gain_nothing():
    fails(checks.check_number, AlwaysEqual(1.0), 13.5)          # reduced to its float value
    fails(checks.check_number, Liar(), 13.5, match="should be a number")
    fails(checks.check_text, Liar(), "TSMC", match="should be text")
    fails(checks.check_choice, Liar(), "a", ["a", "b"], match="should be text")


def test_choice():
    assert checks.check_choice(" b ", "B", ["A", "B"]).startswith("✓")
    fails(checks.check_choice, "C", "B", ["A", "B"], match="not one of the options")
    err = fails(checks.check_choice, "A", "B", ["A", "B"], misconceptions={"A": "ratio-inverted"})
    assert err.misconception == "ratio-inverted"


def test_text():
    assert checks.check_text("Intel-7", ["intel 7"]).startswith("✓")
    err = fails(checks.check_text, "hair", "atom", misconceptions={"Hair": "ratio-inverted"})
    assert err.misconception == "ratio-inverted"
    fails(checks.check_text, "x", "atom", hint="look again", match="Hint: look again")


def test_items_ordered_and_unordered():
    assert checks.check_items(["a", "b"], ["A", "B"]).startswith("✓")
    fails(checks.check_items, ["b", "a"], ["a", "b"], match="out of order")
    assert checks.check_items(["b", "a"], ["a", "b"], ordered=False).startswith("✓")
    fails(checks.check_items, ["a"], ["a", "b"], match="has 1 items")
    fails(checks.check_items, ["a", "z"], ["a", "b"], ordered=False, match="'z' should not be")
    assert checks.check_items(np.array([1.0, 2.0]), [1, 2]).startswith("✓")
    fails(checks.check_items, "ab", ["a", "b"], match="should be a list")


@pytest.fixture
def table():
    return pd.DataFrame({"object": ["atom", "virus"], "size_nm": [0.5, 100.0]})


def test_table_passes_and_ignores_row_order_when_sorted(table):
    assert checks.check_table(table.copy(), table).startswith("✓")
    shuffled = table.iloc[::-1]
    assert checks.check_table(shuffled, table, sort_by="size_nm").startswith("✓")


def test_table_feedback_names_the_difference(table):
    fails(checks.check_table, table[["object"]], table, match="has columns")
    fails(checks.check_table, table.head(1), table, match="has 1 rows; expected 2")
    other = table.copy()
    other.loc[1, "size_nm"] = 99.0
    fails(checks.check_table, other, table, match="row 2, column 'size_nm'")
    fails(checks.check_table, table["object"], table, match="is a Series")
    fails(checks.check_table, [1, 2], table, match="should be a pandas DataFrame")


def test_table_subclass_is_refused(table):
    class Sneaky(pd.DataFrame):
        def equals(self, other):
            return True

    fails(checks.check_table, Sneaky({"object": ["x"]}), table, match="should be a pandas DataFrame")


def test_visible_form_checks(table):
    assert checks.check_is_text("G54M36", what="label").startswith("✓")
    fails(checks.check_is_text, 54, what="label", match="should be text")
    fails(checks.check_is_text, ..., match="not answered")
    assert checks.check_is_number("5 nm", unit="nm").startswith("✓")
    fails(checks.check_is_number, ..., match="not answered")
    assert checks.check_is_table(table, columns=["size_nm", "object"]).startswith("✓")
    fails(checks.check_is_table, table, columns=["object"], match="should have")


def test_lesson_question_by_id():
    assert checks.check("start_nm_per_um", 1000).startswith("✓")
    fails(checks.check, "no_such_question", 1, match="no question called")


def test_every_catalogue_entry_is_complete():
    for key, entry in catalogue().items():
        assert entry.key == key and entry.title and entry.explanation.endswith(".")
        assert named_in(entry.feedback()) == [key], "the feedback is found again by its title alone"


def test_visible_tests_do_not_call_a_form_check_correct(capsys):
    """A visible test only checks the kind of answer; its line must not read as a verdict."""
    checks.check_is_number(3.5, what="m1_dies")
    checks.check_is_text("TSMC", what="leader")
    checks.check_is_table(pd.DataFrame({"a": [1]}), columns=["a"], what="t")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("✓ Right kind of answer: ") for line in lines), lines
    assert not any("Correct" in line for line in lines)
