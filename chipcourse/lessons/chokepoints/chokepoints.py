"""Lesson 06, Who holds the chokepoints?: the model, pure functions over the ``chokepoints`` table.

(Made by ``make new-lesson`` as an example: SI prefixes. Replace it with the
lesson's own functions; each gets a unit test in tests/test_chokepoints.py.)
"""

from __future__ import annotations

import pandas as pd

from ...units import finite_number

__all__ = ["exponent", "convert"]


def exponent(table: pd.DataFrame, prefix: str) -> int:
    """The power of ten of an SI ``prefix`` (``"nano"`` -> -9), from ``table``."""
    rows = table[table["prefix"] == str(prefix).strip().lower()]
    if rows.empty:
        raise ValueError(f"There is no prefix {prefix!r} in the table. Choose one of: "
                         f"{', '.join(table['prefix'])}.")
    return int(rows["exponent"].iloc[0])


def convert(table: pd.DataFrame, value: float, from_prefix: str, to_prefix: str) -> float:
    """``value`` in ``from_prefix`` units, in ``to_prefix`` units (2 micro -> 2000 nano)."""
    number = finite_number(value, "value")
    return number * 10.0 ** (exponent(table, from_prefix) - exponent(table, to_prefix))
