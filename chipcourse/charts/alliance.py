"""Charts for lesson 04, Rivals to allies."""

from __future__ import annotations

import altair as alt

from . import _described

_REGION_ORDER = ["Japan", "United States", "North America", "South Korea", "Taiwan", "China", "Europe",
                 "Asia-Pacific", "Asia", "East Asia", "Other"]


def timeline_chart(timeline) -> alt.Chart:
    """Events as points on a time axis, one row per category; drag across it to highlight a window."""
    frame = timeline[["date", "event", "countries", "category", "date_kind", "source"]].copy()
    window = alt.selection_interval(encodings=["x"], name="window")
    return _described(alt.Chart(frame).mark_point(filled=True, size=80).encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("category:N", title=None),
        color=alt.Color("category:N", legend=None),
        shape=alt.Shape("date_kind:N", title="What the date marks"),
        opacity=alt.condition(window, alt.value(1.0), alt.value(0.25)),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "event:N", "countries:N", "date_kind:N",
                 "source:N"],
    ).add_params(window).properties(width=620, height=260, title="US–Japan chip relations: events"),
        "Timeline of events by category. Each point is an event; hover for its description, date "
        "and source, and drag across the chart to highlight a window of time.", ["timeline"])


def market_share_chart(market_share, timeline, basis: str = "sales by company headquarters",
                       regions=("Japan", "United States", "North America", "South Korea", "Taiwan",
                                "Europe", "China")) -> alt.LayerChart:
    """Reported shares of chosen regions on one basis, with milestone events marked."""
    from ..alliance import milestones

    rows = market_share[(market_share["basis"] == basis) & (market_share["kind"] == "reported")
                        & market_share["region"].isin(list(regions))].copy()
    if rows.empty:
        raise ValueError(f"No reported shares on the basis {basis!r} for these regions.")
    rows["date"] = rows["year"].astype(int).astype(str) + "-07-01"
    lines = alt.Chart(rows).mark_line(point=True).encode(
        x=alt.X("date:T", title="Year"),
        y=alt.Y("share_pct:Q", title=f"Share of world total (%), {basis}"),
        color=alt.Color("region:N", sort=_REGION_ORDER, title="Region"),
        detail="source:N",
        tooltip=["region:N", "year:Q", alt.Tooltip("share_pct:Q", title="share (%)"), "source:N"],
    )
    marks = milestones(timeline)
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 4], color="#777777").encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "event:N", "source:N"])
    labels = alt.Chart(marks).mark_text(angle=270, align="left", dx=4, dy=-4, fontSize=10,
                                        color="#555555").encode(x="date:T", y=alt.value(300), text="label:N")
    return _described(
        alt.layer(lines, rules, labels).properties(
            width=620, height=320, title="Who sells the world's chips? Shares by region"),
        f"Share of the world semiconductor market by region ({basis}), one line per region and "
        f"source, with dashed lines at milestone events. Japan's share rises to about half in the "
        f"late 1980s and falls steadily afterwards.", ["market_share", "timeline"])
