"""Charts for lesson 06, Who holds the chokepoints?."""

from __future__ import annotations

import altair as alt

from ...charting import described


def chokepoints_chart(table) -> alt.Chart:
    """Each prefix's power of ten, as a bar."""
    chart = alt.Chart(table).mark_bar().encode(
        x=alt.X("exponent:Q", title="Power of ten"),
        y=alt.Y("prefix:N", sort="-x", title=None),
        tooltip=["prefix:N", "symbol:N", "exponent:Q"],
    ).properties(width=420, height=180, title="SI prefixes and their powers of ten")
    return described(chart, "A bar for each SI prefix, from pico (the most negative power of "
                            "ten) to kilo (the only positive one).", ["chokepoints"])
