"""Answer key for notebooks/00-start-here.ipynb."""

from __future__ import annotations

from ... import checking, data
from .. import Question


def _euv_wavelength_nm() -> float:
    table = data.load("length_scales")
    row = table[table["object"].str.contains("EUV", case=False)]
    return float(row["size_nm"].iloc[0])


def _nm_per_um(answer):
    return checking.check_number(
        answer, 1000, what="the number of nanometres in a micrometre",
        misconceptions={"nm-is-a-millionth": 1},
        success="1 µm = 1000 nm, so 1 nm = 10⁻⁹ m.",
        reveal=True,
    )


def _euv_in_um(answer):
    return checking.check_number(
        answer, _euv_wavelength_nm() / 1000, unit="µm", rel_tol=0.01,
        what="the EUV wavelength in micrometres",
        success="The answer is unit-aware: '13.5 nm' and '0.0135 µm' are the same length.",
    )


def _smallest_object(answer):
    table = data.load("length_scales")
    smallest = str(table.loc[table["size_nm"].idxmin(), "object"])
    largest = str(table.loc[table["size_nm"].idxmax(), "object"])
    return checking.check_text(
        answer, smallest, what="the smallest object in the table",
        misconceptions={largest: "ratio-inverted"},
        hint="sort the table by size_nm, or use .idxmin() on that column.",
        success="Sorting or idxmin() on size_nm finds it.",
    )


QUESTIONS = [
    Question("start_nm_per_um", "How many nanometres are in one micrometre?",
             _nm_per_um, "nm_per_um = 1000"),
    Question("start_euv_wavelength_um",
             "Write the EUV wavelength from the length_scales table in micrometres.",
             _euv_in_um, 'euv_wavelength = "0.0135 µm"'),
    Question("start_smallest_object",
             "Which object in the length_scales table is the smallest?",
             _smallest_object,
             'smallest = lengths.sort_values("size_nm")["object"].iloc[0]'),
]
