"""Lengths from the atom to the hair: the "powers of ten" used in the start-here lesson.

Pure functions over the ``length_scales`` table (``object``, ``size_nm``), so the
widget in :mod:`chipcourse.widgets` is only a view.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...units import positive_number

__all__ = ["NM_PER", "to_nm", "ScaleComparison", "compare_length"]

#: nanometres in one of each length unit (SI prefixes: exact by definition)
NM_PER = {"pm": 1e-3, "nm": 1.0, "µm": 1e3, "mm": 1e6, "cm": 1e7, "m": 1e9}


def to_nm(value: float, unit: str) -> float:
    """``value`` expressed in ``unit`` (pm, nm, µm, mm, cm or m), converted to nanometres."""
    unit = {"um": "µm", "μm": "µm"}.get(unit, unit)
    if unit not in NM_PER:
        raise ValueError(f"{unit!r} is not a length unit this course uses: {', '.join(NM_PER)}.")
    return float(value) * NM_PER[unit]


@dataclass(frozen=True)
class ScaleComparison:
    """Where a length sits among the tabled objects.

    ``smaller`` / ``larger`` are the nearest objects below and above (None at the ends);
    the ratios say how many times larger ``size_nm`` is than ``smaller``, and how many
    times smaller than ``larger``.
    """

    size_nm: float
    smaller: str | None
    smaller_nm: float | None
    larger: str | None
    larger_nm: float | None

    @property
    def times_smaller_object(self) -> float | None:
        return self.size_nm / self.smaller_nm if self.smaller_nm else None

    @property
    def times_larger_object(self) -> float | None:
        return self.larger_nm / self.size_nm if self.larger_nm else None

    def sentence(self) -> str:
        """The comparison in words, for the widget and for screen readers."""
        parts = [f"{format_length(self.size_nm)}"]
        if self.smaller:
            times = self.times_smaller_object
            parts.append(f"is about the size of {self.smaller} ({format_length(self.smaller_nm)})"
                         if times < 1.05 else
                         f"is {times:,.3g}× {self.smaller} ({format_length(self.smaller_nm)})")
        if self.larger:
            joint = "and" if self.smaller else "is"
            times = self.times_larger_object
            parts.append(f"{joint} about the size of {self.larger} ({format_length(self.larger_nm)})"
                         if times < 1.05 else
                         f"{joint} 1/{times:,.3g} of {self.larger} ({format_length(self.larger_nm)})")
        return " ".join(parts) + "."


def format_length(size_nm: float) -> str:
    """A length in the most readable unit: ``format_length(13.5) == '13.5 nm'``."""
    for unit in ("m", "mm", "µm", "nm"):
        if abs(size_nm) >= NM_PER[unit]:
            return f"{size_nm / NM_PER[unit]:.3g} {unit}"
    return f"{size_nm / NM_PER['pm']:.3g} pm"


def compare_length(size_nm: float, table: pd.DataFrame) -> ScaleComparison:
    """Place ``size_nm`` (nanometres, > 0) between the objects of ``table``.

    ``table`` needs the columns ``object`` and ``size_nm``. An object exactly the
    given size counts as the smaller neighbour.
    """
    size_nm = positive_number(size_nm, "length in nanometres")
    rows = table.dropna(subset=["size_nm"]).sort_values("size_nm")
    at_or_below = rows["size_nm"] <= size_nm * (1 + 1e-9)  # a slider's 13.4999... is 13.5
    below, above = rows[at_or_below], rows[~at_or_below]
    s = below.iloc[-1] if len(below) else None
    b = above.iloc[0] if len(above) else None
    return ScaleComparison(
        size_nm=float(size_nm),
        smaller=None if s is None else str(s["object"]),
        smaller_nm=None if s is None else float(s["size_nm"]),
        larger=None if b is None else str(b["object"]),
        larger_nm=None if b is None else float(b["size_nm"]),
    )
