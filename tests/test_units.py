from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from chipcourse.units import UnitError, finite_number, positive_number, quantity, to_magnitude


@pytest.mark.parametrize("text", ["13.5 nm", "0.0135 µm", "0.0135 μm", "0.0135 um", "1.35e-8 m"])
def test_same_length_in_any_unit(text):
    assert to_magnitude(text, "nm") == pytest.approx(13.5)


def test_plain_number_takes_the_asked_unit():
    assert to_magnitude("13.5", "nm") == pytest.approx(13.5)
    assert quantity(13.5, "nm").to("µm").magnitude == pytest.approx(0.0135)


def test_wrong_kind_is_explained():
    with pytest.raises(UnitError, match="measures a time.*asks for a length"):
        to_magnitude("3 s", "nm")


def test_unit_on_a_plain_number_question():
    with pytest.raises(UnitError, match="plain number"):
        to_magnitude("3 nm", None)


@pytest.mark.parametrize("bad", ["abc", "13.5 furlongz", ""])
def test_unreadable_text(bad):
    with pytest.raises(UnitError):
        to_magnitude(bad, "nm")


@pytest.mark.parametrize("value", [3, 2.5, np.float32(2.5), np.int64(3), Fraction(5, 2), Decimal("2.5")])
def test_any_kind_of_number_is_read_as_a_float(value):
    assert finite_number(value, "die area") == pytest.approx(float(value))
    assert isinstance(finite_number(value, "die area"), float)


@pytest.mark.parametrize("value, words", [
    ("5", "The die area must be a number; you gave '5'."),
    (True, "The die area must be a number; you gave True."),
    (None, "The die area must be a number; you gave None."),
    ([5], "The die area must be a number; you gave [5]."),
    (np.bool_(True), "The die area must be a number"),
    (float("nan"), "The die area must be a finite number; you gave nan."),
    (-float("inf"), "The die area must be a finite number; you gave -inf."),
])
def test_what_is_not_a_finite_number_gets_a_sentence(value, words):
    with pytest.raises(ValueError) as caught:
        finite_number(value, "die area")
    assert str(caught.value).startswith(words)


def test_positive_number_names_the_unit_once():
    assert positive_number(0.5, "wavelength", "nm") == 0.5
    with pytest.raises(ValueError, match=r"^The wavelength must be more than 0 nm: you gave -13.5 nm\.$"):
        positive_number(-13.5, "wavelength", " nm")
    with pytest.raises(ValueError, match=r"^The density must be more than 0: you gave 0\.$"):
        positive_number(0, "density")
    with pytest.raises(ValueError, match="must be a number"):
        positive_number("13.5", "wavelength", "nm")
