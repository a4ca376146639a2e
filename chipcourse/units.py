"""Physical quantities with units, for answers such as ``"13.5 nm"`` or ``"0.0135 µm"``.

A thin layer over `pint <https://pint.readthedocs.io>`_: one shared unit registry,
created on first use (it takes a fraction of a second, so it is not built at import).

>>> from chipcourse.units import quantity
>>> quantity("0.0135 µm").to("nm").magnitude   # doctest: +SKIP
13.5
"""

from __future__ import annotations

import decimal
import functools
import math
import numbers

__all__ = ["registry", "quantity", "UnitError", "to_magnitude", "finite_number", "positive_number",
           "kind_of_unit"]


class UnitError(ValueError):
    """A value or unit cannot be read, or is not of the kind asked for."""


def finite_number(value, what: str) -> float:
    """``value`` as a float; a ValueError naming ``what`` if it is not a finite number.

    Accepts Python and NumPy numbers; refuses True/False and text (``"5"``), which are
    usually a slip rather than a quantity.
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise ValueError(f"The {what} must be a number; you gave {value!r}.")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"The {what} must be a finite number; you gave {value}.")
    return value


def positive_number(value, what: str, unit: str = "") -> float:
    """``value`` as a float greater than 0; a ValueError naming ``what`` (and ``unit``) if not."""
    value = finite_number(value, what)
    if value <= 0:
        unit = f" {unit.strip()}" if unit.strip() else ""
        raise ValueError(f"The {what} must be more than 0{unit}: you gave {value:g}{unit}.")
    return value


@functools.lru_cache(maxsize=1)
def registry():
    """The course's single pint ``UnitRegistry`` (built lazily, then reused)."""
    import pint

    ureg = pint.UnitRegistry(cache_folder=":auto:")
    ureg.formatter.default_format = "~P"
    return ureg


def _clean(text: str) -> str:
    # Learners type micro as "u", "µ" (micro sign) or "μ" (Greek mu); pint knows "u" and "µ".
    return text.strip().replace("μ", "µ").replace("²", "**2").replace("³", "**3")


def quantity(value, unit: str | None = None):
    """A pint Quantity from ``"13.5 nm"``, from ``(13.5, "nm")`` or from a Quantity.

    Raises :class:`UnitError` with a readable sentence if the text is not a quantity.
    """
    ureg = registry()
    if isinstance(value, str):
        text = _clean(value)
        try:
            q = ureg.Quantity(text)
        except Exception:
            raise UnitError(f"{value!r} is not a number with a unit, such as '13.5 nm'.") from None
        if not hasattr(q, "magnitude"):
            raise UnitError(f"{value!r} is not a number with a unit, such as '13.5 nm'.")
        if unit and q.dimensionless and q.units == ureg.dimensionless:
            return ureg.Quantity(q.magnitude, unit)
        return q
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        try:
            return ureg.Quantity(value.magnitude, str(value.units))
        except Exception:
            raise UnitError(f"The unit {value.units!s} is not one this course knows.") from None
    if unit is None:
        return ureg.Quantity(value)
    try:
        return ureg.Quantity(value, _clean(unit))
    except Exception:
        raise UnitError(f"{unit!r} is not a unit this course knows.") from None


def to_magnitude(value, unit: str | None) -> float:
    """The number of ``unit`` in ``value`` (a Quantity or text with a unit).

    ``UnitError`` says in words when the kinds differ, e.g. a time given for a length.
    """
    q = quantity(value, unit)
    if unit is None:
        if not q.dimensionless:
            raise UnitError(f"This answer is a plain number, but you gave it a unit ({q.units:~P}).")
        return float(q.to("dimensionless").magnitude)
    target = registry().Unit(_clean(unit))
    if q.dimensionality != target.dimensionality:
        if q.dimensionless:
            return float(q.magnitude)
        raise UnitError(
            f"Your answer is in {q.units:~P}, which measures {_kind(q.dimensionality)}, "
            f"but this question asks for {_kind(target.dimensionality)} (in {unit})."
        )
    return float(q.to(target).magnitude)


_KINDS = {
    "[length]": "a length",
    "[length] ** 2": "an area",
    "[time]": "a time",
    "[mass]": "a mass",
    "[temperature]": "a temperature",
    "1 / [length] ** 2": "a number per area",
    "[currency]": "money",
}


def kind_of_unit(unit: str) -> str | None:
    """What ``unit`` measures, in words ("a length" for ``"nm"``); None if the course has no word for it."""
    try:
        dimensionality = registry().Unit(_clean(unit)).dimensionality
    except Exception:
        return None
    return _KINDS.get(str(dimensionality))


def _kind(dimensionality) -> str:
    return _KINDS.get(str(dimensionality), f"something with dimensions {dimensionality}")
