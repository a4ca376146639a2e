"""Misconceptions: Lesson 00, Start here."""

from . import Misconception

ENTRIES = [
    Misconception(
        "nm-is-a-millionth", "start",
        "A nanometre is a millionth of a metre",
        "A nanometre is a billionth of a metre (10⁻⁹ m); a micrometre (µm) is a "
        "millionth. There are 1000 nm in one µm.",
    ),
]
