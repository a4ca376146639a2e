"""Answer key for notebooks/06-chokepoints.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question
from . import chokepoints


def _table():
    return data.load("chokepoints")


def _nano_exponent(answer):
    power = chokepoints.exponent(_table(), "nano")
    return checking.check_number(
        answer, power, what="the power of ten of nano",
        misconceptions={"chokepoints-exponent-sign": -power},
        success="Nano is 10⁻⁹: a billionth.",
    )


def _micro_in_nano(answer):
    return checking.check_number(
        answer, chokepoints.convert(_table(), 1, "micro", "nano"), rel_tol=0.001,
        what="the number of nano units in one micro unit",
        success="A micrometre is a thousand nanometres.",
    )


def _largest_prefix(answer):
    table = _table()
    largest = str(table.loc[table["exponent"].idxmax(), "prefix"])
    return checking.check_text(
        answer, largest, what="the prefix with the largest power of ten",
        success="Kilo is the only prefix in the table above one.",
    )


QUESTIONS = [
    Question("chokepoints_nano_exponent", "What is the power of ten of the prefix nano?",
             _nano_exponent, 'nano_power = chokepoints.exponent(prefixes, "nano")'),
    Question("chokepoints_micro_in_nano", "How many nano units are in one micro unit?",
             _micro_in_nano, 'nano_per_micro = chokepoints.convert(prefixes, 1, "micro", "nano")'),
    Question("chokepoints_largest_prefix", "Which prefix in the table has the largest power of ten?",
             _largest_prefix, 'largest = prefixes.sort_values("exponent")["prefix"].iloc[-1]'),
]
