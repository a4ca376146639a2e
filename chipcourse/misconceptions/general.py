"""Misconceptions: Mistakes any numeric answer can show: units, percentages, ratios, signs."""

from . import Misconception

ENTRIES = [
    Misconception(
        "unit-factor-1000", "general",
        "The answer is in the wrong unit (off by a factor of 1000)",
        "Your number is 1000 times too large or too small, the step between nm and µm "
        "or between µm and mm. Check which unit the question asks for.",
    ),
    Misconception(
        "percent-vs-fraction", "general",
        "A fraction and a percentage were mixed up (off by a factor of 100)",
        "0.25 and 25 % are the same share. Check whether the question wants a fraction "
        "(between 0 and 1) or a percentage.",
    ),
    Misconception(
        "ratio-inverted", "general",
        "The ratio was divided the wrong way round",
        "You seem to have computed B / A instead of A / B. Read again which quantity "
        "goes on top.",
    ),
    Misconception(
        "sign-flipped", "general",
        "The sign is flipped",
        "Your number has the right size but the wrong sign. Check the order of the "
        "subtraction (new minus old, for a change).",
    ),
]
