"""The answer checker: right answers pass, wrong ones get specific sentences."""

from __future__ import annotations

import math
import os
import traceback
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from chipcourse import checks, lessons
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
    ("1,000", "could be 1000 or 1.000"),
    ("12,345,678", "without thousands separators"),
    ("1.234,5", "a decimal point rather than a comma"),
    ("1,5,3", "a decimal point rather than a comma"),
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


@pytest.mark.parametrize("value, shown", [(12345.6, "12346"), (0.0135, "0.0135"), (13.5, "13.5"),
                                          (1e6, "1000000"), (2.0, "2"), (1e-7, "1e-07"), (-0.25, "-0.25")])
def test_numbers_in_sentences_are_written_out(value, shown):
    assert str(fails(checks.check_number, value, 7.0)).startswith(f"You gave {shown};")


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


def test_a_wrong_number_is_the_learners_not_a_fact():
    """"You gave 13.5 nm; that is too large", never "the gate length ... is 13.5 nm"."""
    err = fails(checks.check_number, 13.5, 3, unit="nm", what="the gate length of IBM's 2 nm test chip")
    assert str(err).startswith("You gave 13.5 nm for the gate length of IBM's 2 nm test chip; that is too large")
    assert "chip is 13.5" not in str(err)
    assert str(fails(checks.check_number, "13.5 nm", 20, unit="nm")).startswith(
        "You gave 13.5 nm; that is too small")
    assert "Your answer for the gate length of X is NaN" in str(
        fails(checks.check_number, math.nan, 3, unit="nm", what="the gate length of X"))


@pytest.mark.parametrize("answer", [-13.5, "-13.5 nm", -3.0])
def test_a_negative_length_is_said_to_be_impossible(answer):
    err = fails(checks.check_number, answer, 13.5, unit="nm", what="the gate length")
    assert "a length cannot be negative" in str(err)
    assert "too small" not in str(err)
    assert "an area cannot be negative" in str(fails(checks.check_number, -2, 88, unit="mm^2"))


@pytest.mark.parametrize("answer, value", [("13,5", 13.5), ("13,5 nm", 13.5), ("0,64", 0.64), ("-2,25", -2.25)])
def test_an_unambiguous_decimal_comma_is_read_as_a_point(answer, value):
    assert checks.check_number(answer, value, unit="nm", rel_tol=1e-9).startswith("✓")
    assert "You gave 13.5 nm" in str(fails(checks.check_number, "13,5", 3, unit="nm"))


@pytest.mark.parametrize("answer", [10**400, -(10**400), Fraction(10**400, 3)])
def test_a_number_too_large_for_a_float_gets_a_sentence(answer):
    fails(checks.check_number, answer, 13.5, unit="nm", match="far too large")
    fails(checks.check_is_number, answer, match="far too large")
    fails(checks.check_items, [answer], [1.0], match="far too large")
    fails(checks.check_text, answer, "atom", match="far too large")


def test_a_huge_text_answer_is_refused_at_once():
    """A pasted page is not parsed as a number (it took pint about 6 s); the sentence does not echo it.
    No timing is asserted here: the answer is refused before pint sees it (see the mock)."""
    essay = "1" * 30_000
    from unittest import mock

    from chipcourse import checking

    with mock.patch.object(checking, "to_magnitude", side_effect=AssertionError("parsed")):
        err = fails(checks.check_number, essay, 13.5, unit="nm")
    assert "30,000 characters" in str(err) and len(str(err)) < 300
    for fn, args in [(checks.check_text, ("atom",)), (checks.check_choice, ("a", ["a", "b"])),
                     (checks.check_items, (["a"],))]:
        assert len(str(fails(fn, essay if fn is not checks.check_items else [essay], *args))) < 400


def test_amplitudes_where_probabilities_are_asked_name_the_mistake():
    from chipcourse import quantum

    bell = quantum.run_circuit([("H", 0), ("CNOT", 0, 1)])
    for amplitudes in (list(bell), bell, [float(a.real) for a in bell]):
        err = fails(checks.check, "quantum_bell_probabilities", amplitudes)
        assert err.misconception == "amplitude-is-probability", str(err)
    assert checks.check("quantum_bell_probabilities", list(quantum.probabilities(bell))).startswith("✓")
    err = fails(checks.check_items, [0.6, 0.8], [0.36, 0.64], misconceptions={"amplitude-is-probability": [0.6, 0.8]})
    assert err.misconception == "amplitude-is-probability"
    assert fails(checks.check, "quantum_born_rule", 0.8 + 0j).misconception == "amplitude-is-probability"


def test_one_number_where_a_list_is_asked_gets_a_sentence():
    """The Bell question answered with quantum.probabilities(bell)[0], a NumPy float: a
    TypeError ('float' object is not iterable) before."""
    from chipcourse import quantum

    bell = quantum.run_circuit([("H", 0), ("CNOT", 0, 1)])
    first = quantum.probabilities(bell)[0]
    assert type(first).__module__ == "numpy"
    err = fails(checks.check, "quantum_bell_probabilities", first)
    assert "You gave one number, 0.5," in str(err) and "a list of 4" in str(err)
    fails(checks.check_items, np.float64(0.5), [1, 2], match="one number")
    fails(checks.check_items, np.array(0.5), [1, 2], match="one number")


class Explosive:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __iter__(self):
        raise RuntimeError("no items")

    def __len__(self):
        return 1


@pytest.mark.parametrize("question", sorted(lessons.questions()))
@pytest.mark.parametrize("answer", [..., 10**400, "1" * 30_000, "13,5", np.float64(0.5), -13.5, [1, [2]],
                                    {"a": 1}, Explosive(), 1j, np.array([[1.0]]), pd.DataFrame({"a": [1]}),
                                    float("nan"), b"13.5", range(3), ["x"] * 20_000],
                         ids=lambda a: type(a).__name__)
def test_no_lesson_check_raises_anything_but_a_sentence(question, answer):
    """Every lesson question, any answer: a pass or a CheckFailed, and its traceback holds no
    frame of the answer key (whose code holds the answers)."""
    try:
        checks.check(question, answer)
    except CheckFailed as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        frames = traceback.extract_tb(exc.__traceback__)
        assert not [f for f in frames if f.filename.endswith(f"{os.sep}answer_key.py")], frames
        shown = "".join(traceback.format_exception(exc))
        assert "answer_key" not in shown, shown


def test_other_check_functions_raise_only_check_failed(table):
    for fn, args in [(checks.check_number, (1.0,)), (checks.check_text, ("a",)), (checks.check_choice, ("a", ["a"])),
                     (checks.check_items, ([1],)), (checks.check_table, (table,)), (checks.check_is_number, ()),
                     (checks.check_is_text, ()), (checks.check_is_table, ())]:
        kwargs = {"columns": ["a"]} if fn is checks.check_is_table else {}
        for answer in (Explosive(), 10**400, np.float64(0.5), "1" * 30_000):
            try:
                fn(answer, *args, **kwargs)
            except CheckFailed:
                pass


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
    fails(checks.check_items, "ab", ["a", "b"], match="wants a list")


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


def test_in_a_kernel_a_failed_check_is_one_line_with_no_answer_key(tmp_path):
    """What a learner sees in JupyterLab: the Bell answer given as one NumPy float, and a check
    given a bad question id first (so no check has failed through the checker yet)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in [
        "from chipcourse import checks, quantum\nbell = quantum.run_circuit([('H', 0), ('CNOT', 0, 1)])",
        "checks.check('no_such_question', 1)",
        "checks.check('quantum_bell_probabilities', quantum.probabilities(bell)[0])",
        "checks.check('nodes_ibm_gate_length', 10**400)",
    ]])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells[1:] for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 3
    for error in errors:
        assert error.ename == "CheckFailed", error
        assert len(error.traceback) == 1 and error.traceback[0].startswith("✗ "), error.traceback
        assert "answer_key" not in error.traceback[0] and "float(p)" not in error.traceback[0]
