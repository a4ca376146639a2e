"""Charts for lesson 04, Rivals to allies."""

from __future__ import annotations


from ...charting import alt, MUTED_TEXT, described
from .alliance import milestones

_REGION_ORDER = ["Japan", "United States", "North America", "South Korea", "Taiwan", "China", "Europe",
                 "Asia-Pacific", "Asia", "East Asia", "Other"]


def timeline_chart(timeline) -> alt.Chart:
    """Events as points on a time axis, one row per category, each with its source in the tooltip.

    (No drag-to-select brush: it works with a mouse only, and Vega draws it as unnamed images
    for a screen reader. The timeline explorer's "Years" slider chooses the window instead.)
    """
    frame = timeline[["date", "event", "countries", "category", "date_kind", "source"]].copy()
    return described(alt.Chart(frame).mark_point(filled=True, size=80).encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("category:N", title=None),
        color=alt.Color("category:N", legend=None),
        shape=alt.Shape("date_kind:N", title="What the date marks"),
        tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "event:N", "countries:N", "date_kind:N",
                 "source:N"],
    ).properties(width=620, height=260, title="US–Japan chip relations: events"),
        "Timeline of events by category. Each point is an event; its shape says whether the date marks "
        "an announcement, a signature, entry into force or another kind of date. Hover over a point for "
        "its description, date and source.", ["timeline"])


def market_share_chart(market_share, timeline, basis: str = "sales by company headquarters",
                       regions=("Japan", "United States", "North America", "South Korea", "Taiwan",
                                "Europe", "China")) -> alt.LayerChart:
    """Reported shares of chosen regions on one basis, with milestone events marked."""
    rows = market_share[(market_share["basis"] == basis) & (market_share["kind"] == "reported")
                        & market_share["region"].isin(list(regions))].copy()
    if rows.empty:
        raise ValueError(f"No reported shares on the basis {basis!r} for these regions.")
    rows["date"] = rows["year"].astype(int).astype(str) + "-07-01"
    x = alt.X("date:T", title="Year")
    y = alt.Y("share_pct:Q", title=f"Share of world total (%), {basis}")
    # one line per region and source; the points carry a shape per region too, so the legend
    # does not depend on colour alone
    # (colour and shape share one legend only when they share one explicit domain)
    order = alt.Scale(domain=[r for r in _REGION_ORDER if r in set(rows["region"])]
                      + sorted(set(rows["region"]) - set(_REGION_ORDER)))
    lines = alt.Chart(rows).mark_line().encode(
        x=x, y=y, color=alt.Color("region:N", scale=order, title="Region"), detail="source:N")
    points = alt.Chart(rows).mark_point(filled=True, size=45).encode(
        x=x, y=y,
        color=alt.Color("region:N", scale=order, title="Region"),
        shape=alt.Shape("region:N", scale=order, title="Region"),
        tooltip=["region:N", "year:Q", alt.Tooltip("share_pct:Q", title="share (%)"), "source:N"],
    )
    marks = milestones(timeline)
    rules = alt.Chart(marks).mark_rule(strokeDash=[4, 4], color="#777777").encode(
        x="date:T", tooltip=[alt.Tooltip("date:T", format="%d %b %Y"), "event:N", "source:N"])
    # milestones less than three years after the previous one are labelled higher up, clear of it
    marks = marks.sort_values("date").reset_index(drop=True)
    close = marks["date"].diff().dt.days.lt(3 * 365)
    levels = []
    for near in close:
        levels.append(150 if near and levels and levels[-1] == 300 else 300)
    marks["label_y"] = levels
    labels = alt.Chart(marks).mark_text(angle=270, align="left", dx=4, dy=-4, fontSize=10,
                                        color=MUTED_TEXT).encode(
        x="date:T", y=alt.Y("label_y:Q", scale=None), text="label:N")
    return described(
        alt.layer(lines, points, rules, labels).properties(
            width=620, height=320, title="Who sells the world's chips? Shares by region"),
        f"Share of the world semiconductor market by region ({basis}), one line per region and "
        f"source, with dashed lines at milestone events. Japan's share rises to about half in the "
        f"late 1980s and falls steadily afterwards.", ["market_share", "timeline"])
