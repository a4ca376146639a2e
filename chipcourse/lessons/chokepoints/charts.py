"""Charts for lesson 06, Who holds the chokepoints?

Every chart marks rows from a weak source where the learner looks, not only in a note: a weak
source's bars are pale with a dashed outline and its points are hollow, and its label ends in
"(weak source)".
"""

from __future__ import annotations

import pandas as pd

from ...charting import alt, MUTED_TEXT, OUTLINE, PALETTE, described
from ..alliance.alliance import filter_events
from .chokepoints import bounds, layer_names

__all__ = ["layer_shares_chart", "hhi_chart", "lever_timeline", "lever_events", "stacked_shares", "series_order"]

#: the countries each chart colours; every other country shares one colour, lumped rows another
COUNTRY_COLOURS = {"Japan": PALETTE[5], "United States": PALETTE[0], "Netherlands": PALETTE[1],
                   "Taiwan": PALETTE[2], "South Korea": PALETTE[4], "China": PALETTE[3]}
OTHER_COUNTRY = "another country or region"
LUMPED = "others, lumped together"
#: a weak source's point is hollow: its outline only, drawn thicker
_HOLLOW_IF_WEAK = alt.condition("datum.weak", alt.value(0.0), alt.value(0.9))
_THICK_IF_WEAK = alt.condition("datum.weak", alt.value(2.0), alt.value(0.75))
#: what the lever timeline shows: the timeline's categories for export controls and supply shocks
LEVER_CATEGORIES = ("export-control", "supply-shock")


def _colour_scale() -> alt.Scale:
    return alt.Scale(domain=[*COUNTRY_COLOURS, OTHER_COUNTRY, LUMPED],
                     range=[*COUNTRY_COLOURS.values(), PALETTE[6], "#d9d9d9"])


def series_order(table: pd.DataFrame, layers: pd.DataFrame) -> list[str]:
    """The series' labels in chart order: by layer (the chain's order), then by segment, firms before
    countries, newest first, so that the sources for one segment sit side by side."""
    rank = {k: i for i, k in enumerate(layer_names(layers))}
    segments = {seg: i for i, seg in enumerate(dict.fromkeys(table["segment"]))}
    frame = table.assign(_layer=table["layer"].map(rank), _segment=table["segment"].map(segments),
                         _kind=table["kind"].map({"firm": 0, "country": 1}), _year=-table["year"].astype(float))
    return list(frame.sort_values(["_layer", "_segment", "_kind", "_year"], kind="stable")["label"])


def stacked_shares(shares: pd.DataFrame, layers: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """One row per holder of every series, with where its bar starts and ends when the series'
    shares are stacked (largest first, lumped rows last), and its colour group (the holder's
    country; a firm is coloured by its home country)."""
    names = layer_names(layers)
    frame = shares[shares["series"].isin(labels)].copy()
    low, high = bounds(frame)
    frame["low"], frame["high"] = low, high
    frame["lumped"] = frame["holder_kind"] == "other"
    frame = frame.sort_values(["series", "lumped", "low"], ascending=[True, True, False], kind="stable")
    frame["x0"] = frame.groupby("series")["low"].cumsum() - frame["low"]
    frame["x1"] = frame["x0"] + frame["low"]
    frame["x1_high"] = frame["x0"] + frame["high"]
    group = frame["country"].where(frame["country"].isin(list(COUNTRY_COLOURS)), OTHER_COUNTRY)
    frame["colour"] = group.where(~frame["lumped"], LUMPED)
    frame["label"] = frame["series"].map(labels)
    frame["layer_name"] = frame["layer"].map(names)
    frame["weak"] = frame["source_strength"] == "weak"
    frame["share"] = [f"{a:g}%" if a == b else f"{a:g}-{b:g}%" for a, b in zip(frame["low"], frame["high"])]
    frame["country"] = frame["country"].fillna("")   # lumped rows have none (and JSON has no NaN)
    return frame[["layer", "layer_name", "series", "label", "holder", "holder_kind", "country", "colour", "share",
                  "low", "high", "x0", "x1", "x1_high", "share_kind", "metric", "year", "source",
                  "source_strength", "weak"]]


def layer_shares_chart(shares: pd.DataFrame, layers: pd.DataFrame, table: pd.DataFrame) -> alt.FacetChart:
    """Who holds each layer: one stacked bar per source (series), grouped by layer.

    ``shares`` are the lesson's rows (:func:`~chipcourse.lessons.chokepoints.chokepoints.chain_shares`),
    ``table`` their :func:`~chipcourse.lessons.chokepoints.chokepoints.series_table` (its labels
    name each bar). Bars of one layer sit together, so where sources disagree the bars differ.
    A thin line past a bar's end is the top of a range a source gives ("75-90%").
    """
    labels = dict(zip(table["series"], table["label"]))
    frame = stacked_shares(shares, layers, labels)
    order = [name for name in layer_names(layers).values() if name in set(frame["layer_name"])]
    y = alt.Y("label:N", title=None, sort=series_order(table, layers), axis=alt.Axis(labelLimit=420))
    tooltip = ["holder:N", "country:N", "share:N", "layer_name:N", "label:N", "metric:N", "year:Q",
               "source_strength:N", "source:N"]
    bars = alt.Chart().mark_bar(stroke=OUTLINE, strokeWidth=0.6).encode(
        x=alt.X("x0:Q", title="Share of the segment (%), stacked; each bar is one source",
                scale=alt.Scale(domain=[0, 100])),
        x2="x1:Q", y=y,
        color=alt.Color("colour:N", title="Holder's country", scale=_colour_scale(),
                        legend=alt.Legend(orient="top", columns=4)),
        opacity=alt.condition("datum.weak", alt.value(0.4), alt.value(1.0)),
        strokeDash=alt.condition("datum.weak", alt.value([3, 2]), alt.value([1, 0])),
        tooltip=tooltip)
    # aria=False: in a layer with no range the empty mark group would be an image without a name;
    # the ranges are in the bars' tooltips and in the chart's description
    ranges = alt.Chart().transform_filter("datum.x1_high > datum.x1").mark_rule(
        color=OUTLINE, strokeWidth=2, aria=False).encode(x="x1:Q", x2="x1_high:Q", y=y, tooltip=tooltip)
    n_series, n_layers = frame["series"].nunique(), len(order)
    weak = sorted(set(frame.loc[frame["weak"], "label"]))
    return described(
        alt.layer(bars, ranges, data=frame).properties(width=380, height=alt.Step(15)).facet(
            row=alt.Row("layer_name:N", sort=order, title=None,
                        header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                          labelFontWeight="bold", labelFontSize=13, labelColor=MUTED_TEXT)),
            spacing=8).resolve_scale(y="independent").properties(
            title="Who holds each layer of the chip supply chain? One bar per source"),
        f"Stacked bars of market shares, {n_series} bars from the sources in {n_layers} layers of the supply "
        f"chain, from design software to assembly and test. Each bar is one source's figures for one segment, "
        f"such as EUV scanners, by firm or by country; a firm is coloured by its home country, and grey is "
        f"the rest lumped together. Bars of the same layer sit together, so where the sources disagree the "
        f"bars differ. Pale bars with a dashed outline come from a weak source: {'; '.join(weak) or 'none'}. "
        f"A thin line after a bar marks the top of a range. Hover over a bar for the holder, its share "
        f"and the source.", ["supply_chain_shares", "critical_inputs", "supply_chain_layers"])


def _band_rules(bands: pd.DataFrame) -> pd.DataFrame:
    rules = bands[bands["hhi_min"] > 0].sort_values(["hhi_min", "guidelines"]).copy()
    rules["year"] = rules["guidelines"].str.extract(r"(\d{4})", expand=False)
    rules["text"] = rules["year"] + ": " + rules["band"] + " above " + rules["hhi_min"].map("{:,.0f}".format)
    rules["dy"] = [-4 - 13 * (len(rules) - 1 - i) for i in range(len(rules))]
    return rules[["guidelines", "band", "hhi_min", "hhi_max", "year", "text", "dy", "source", "source_strength"]]


def hhi_chart(table: pd.DataFrame, layers: pd.DataFrame, bands: pd.DataFrame) -> alt.LayerChart:
    """The HHI of each series against the US antitrust bands in ``concentration_bands``.

    A point is the lowest HHI the series allows (its named holders only), and the line from it
    reaches the highest (everything not named in one more supplier): see
    :func:`~chipcourse.lessons.chokepoints.chokepoints.series_hhi`. Circles count firms,
    squares countries; hollow marks come from a weak source.
    """
    frame = table.assign(weak=table["source_strength"] == "weak",
                         counts=table["kind"].map({"firm": "firms", "country": "countries"}))
    frame = frame[["label", "layer", "segment", "counts", "hhi", "hhi_high", "band", "top_holder", "top1_pct",
                   "source", "source_strength", "weak", "metric"]]
    y = alt.Y("label:N", sort=series_order(table, layers), title=None, axis=alt.Axis(labelLimit=420))
    x = alt.X("hhi:Q", title="Herfindahl-Hirschman index (0 to 10,000)", scale=alt.Scale(domain=[0, 10_000]))
    tooltip = ["label:N", alt.Tooltip("hhi:Q", format=",.0f", title="HHI (named holders)"),
               alt.Tooltip("hhi_high:Q", format=",.0f", title="HHI (at most)"), "band:N", "top_holder:N",
               alt.Tooltip("top1_pct:Q", title="largest share (%)"), "metric:N", "source_strength:N", "source:N"]
    kinds = alt.Scale(domain=["firms", "countries"], range=[PALETTE[0], PALETTE[5]])
    spans = alt.Chart(frame).mark_rule(strokeWidth=1.5, color=MUTED_TEXT).encode(
        x=x, x2="hhi_high:Q", y=y, tooltip=tooltip)
    points = alt.Chart(frame).mark_point(filled=True, size=70).encode(
        x=x, y=y,
        color=alt.Color("counts:N", scale=kinds, title="Shares of"),
        shape=alt.Shape("counts:N", scale=alt.Scale(domain=["firms", "countries"], range=["circle", "square"]),
                        title="Shares of"),
        fillOpacity=_HOLLOW_IF_WEAK, strokeWidth=_THICK_IF_WEAK,
        tooltip=tooltip)
    rules_frame = _band_rules(bands)
    rules = alt.Chart(rules_frame).mark_rule(color=OUTLINE, strokeWidth=1).encode(
        x="hhi_min:Q",
        strokeDash=alt.StrokeDash("guidelines:N", title="US merger guidelines",
                                  scale=alt.Scale(domain=sorted(set(rules_frame["guidelines"]), reverse=True),
                                                  range=[[1, 0], [5, 3]])),
        tooltip=["guidelines:N", "band:N", alt.Tooltip("hhi_min:Q", format=",.0f", title="above"),
                 "source_strength:N", "source:N"])
    # one layer per threshold, each label on its own line above the plot (a mark's dy cannot vary by row)
    texts = [alt.Chart(rules_frame.iloc[[i]]).mark_text(align="left", baseline="bottom", dx=3, dy=int(dy),
                                                        fontSize=10, color=MUTED_TEXT).encode(
        x="hhi_min:Q", y=alt.value(0), text="text:N") for i, dy in enumerate(rules_frame["dy"])]
    n = len(frame)
    high = frame[frame["hhi"] > rules_frame["hhi_min"].max()]
    weak = sorted(set(frame.loc[frame["weak"], "label"]))
    return described(
        alt.layer(rules, spans, points, *texts).properties(
            width=420, height=alt.Step(15),
            title=alt.TitleParams("How concentrated is each segment? HHI by source",
                                  offset=14 + 13 * len(rules_frame))),
        f"Dot plot of the Herfindahl-Hirschman index of {n} series of shares, one row per source and segment, "
        f"grouped by layer, on a scale from 0 to 10,000 (one holder with everything). Circles are shares of "
        f"firms, squares shares of countries; a line to the right of a point reaches the highest index the "
        f"source allows when it does not name every supplier. Vertical lines mark the thresholds of the US "
        f"merger guidelines' concentration bands. {len(high)} of the {n} series are above the highest threshold "
        f"even at their lowest index. Hollow points come from a weak source: {'; '.join(weak) or 'none'}.",
        ["supply_chain_shares", "critical_inputs", "concentration_bands"])


def _rows_citation(rows: pd.DataFrame, table: str, most: int = 3) -> str:
    """A caption citing the sources of the rows a chart draws (not the first rows of the whole table)."""
    cited = list(dict.fromkeys(rows["source"].dropna()))
    more = f"; and {len(cited) - most} more (each in its point's tooltip; data/{table}.csv)" if len(cited) > most else ""
    return "Source: " + "; ".join(cited[:most]) + more


def lever_events(timeline: pd.DataFrame, categories=LEVER_CATEGORIES) -> pd.DataFrame:
    """The timeline's events in ``categories`` (export controls and supply shocks), one row per event
    and country involved, so each country's lane shows the events it took part in."""
    events = filter_events(timeline, categories=list(categories)).copy()
    events["country"] = events["countries"].str.split(";")
    rows = events.explode("country")
    rows["country"] = rows["country"].str.strip()
    rows["weak"] = rows["source_strength"] == "weak"
    return rows[["date", "event", "countries", "country", "category", "date_kind", "source", "source_strength",
                 "weak"]].reset_index(drop=True)


def lever_timeline(timeline: pd.DataFrame, categories=LEVER_CATEGORIES) -> alt.Chart:
    """Chokepoints used as levers: the timeline's export controls and supply shocks, by country.

    The events are the rows of ``timeline`` in ``categories`` (nothing is copied); an event
    involving several countries appears in each one's lane.
    """
    rows = lever_events(timeline, categories)
    if rows.empty:
        raise ValueError(f"The timeline has no events in the categories {list(categories)}.")
    lanes = list(rows["country"].value_counts().index)
    tooltip = [alt.Tooltip("date:T", format="%d %b %Y"), "event:N", "countries:N", "category:N", "date_kind:N",
               "source_strength:N", "source:N"]
    colours = alt.Scale(domain=list(categories), range=[PALETTE[0], PALETTE[5], PALETTE[2], PALETTE[6]][:len(categories)])
    chart = alt.Chart(rows).mark_point(filled=True, size=90).encode(
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("country:N", sort=lanes, title="Country involved"),
        color=alt.Color("category:N", scale=colours, title="Category"),
        shape=alt.Shape("date_kind:N", title="What the date marks"),
        fillOpacity=_HOLLOW_IF_WEAK, strokeWidth=_THICK_IF_WEAK,
        tooltip=tooltip,
    ).properties(width=600, height=alt.Step(28), title="Chokepoints used as levers: export controls and supply shocks")
    events = rows.drop_duplicates(["date", "event"])
    weak = events[events["weak"]]
    marked = (f"hollow points mark a weak source ({len(weak)} events)" if len(weak)
              else "none comes from a weak source (those would be hollow)")
    first, last = events["date"].min(), events["date"].max()
    per = ", ".join(f"{c} {n}" for c, n in rows["country"].value_counts().items())
    return described(
        chart,
        f"Timeline of {len(events)} events from {first:%B %Y} to {last:%B %Y} in the categories "
        f"{' and '.join(categories)}, one lane per country involved (an event with several countries appears in "
        f"each of their lanes; events per lane: {per}). Colour is the category, shape whether the date marks an "
        f"announcement, entry into force or an occurrence; {marked}. Hover over a "
        f"point for the event, its date and its source.", ["timeline"], source=_rows_citation(events, "timeline"))
