"""Hypothesis strategies for what a learner can type or set (used by tests/test_fuzz.py)."""

from __future__ import annotations

import math

import ipywidgets
from hypothesis import strategies as st

numbers = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.decimals(allow_nan=False, allow_infinity=False, places=6), st.fractions())
units = st.sampled_from(["nm", "µm", "μm", "um", "mm", "m", "s", "kg", "nm²", "mm**2", "", "%", "banana", "1/mm²"])
typed_numbers = st.builds(lambda n, u, sep: f"{n}{sep}{u}", numbers, units, st.sampled_from(["", " ", "  "]))
texts = st.one_of(st.text(max_size=40), typed_numbers, st.sampled_from(["13,5", "1,000", "1e400", "nan", "inf", "-", "..."]))
answers = st.one_of(st.none(), st.just(...), st.booleans(), numbers, texts, st.complex_numbers(),
                    st.lists(st.one_of(numbers, texts), max_size=5), st.tuples(numbers, numbers),
                    st.dictionaries(st.text(max_size=3), numbers, max_size=3))


def control_values(control) -> st.SearchStrategy:
    """Values for one widget control: its whole range, from its own min/max/options."""
    if isinstance(control, (ipywidgets.FloatLogSlider,)):
        return st.floats(control.base ** control.min, control.base ** control.max)
    if isinstance(control, (ipywidgets.IntSlider, ipywidgets.BoundedIntText)):
        return st.integers(control.min, control.max)
    if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.BoundedFloatText)):
        return st.floats(control.min, control.max)
    if isinstance(control, (ipywidgets.IntRangeSlider,)):
        return st.tuples(st.integers(control.min, control.max), st.integers(control.min, control.max)).map(sorted).map(tuple)
    if isinstance(control, ipywidgets.SelectMultiple):
        return st.lists(st.sampled_from(list(control._options_values)), unique=True).map(tuple) \
            if control._options_values else st.just(())
    if hasattr(control, "_options_values") and control._options_values:
        return st.sampled_from(list(control._options_values))
    if isinstance(control, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        return st.booleans()
    if isinstance(control, (ipywidgets.FloatText, ipywidgets.IntText)):
        return st.floats(-1e12, 1e12) if isinstance(control, ipywidgets.FloatText) else st.integers(-10**9, 10**9)
    if isinstance(control, ipywidgets.Text):
        return st.text(max_size=30)
    return st.nothing()


def finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
