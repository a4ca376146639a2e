from __future__ import annotations

import pytest

from chipcourse.units import UnitError, quantity, to_magnitude


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
