"""Charts for lesson 01, What's in a nanometer?"""

from __future__ import annotations

import math


from ...chart_layout import Axis, dodge, label_layers, place_labels
from ...charting import alt, MUTED_TEXT, TEXT, described
from .nodes import METRICS, SUMMARY_RULE, name_vs_measure

_COMPANY_ORDER = ["Intel", "TSMC", "Samsung", "IBM"]


def node_divergence(history) -> alt.LayerChart:
    """Node name and physical gate length by year (log scale): where the two part ways."""
    frame = history.dropna(subset=["year"])[["year", "node_nm", "gate_length_nm", "source"]]
    names = frame.drop_duplicates(subset=["year", "node_nm"])
    gates = frame.dropna(subset=["gate_length_nm"])
    y = alt.Y("length:Q", scale=alt.Scale(type="log"), title="Length (nm, logarithmic)")
    x = alt.X("year:Q", title="Year", axis=alt.Axis(format="d"))
    name_line = alt.Chart(names).transform_calculate(length="datum.node_nm", what="'node name'").mark_line(
        point=True).encode(x=x, y=y, color=alt.Color("what:N", title=None),
                           tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("node_nm:Q", title="node name (nm)"),
                                    "source:N"])
    gate_points = alt.Chart(gates).transform_calculate(length="datum.gate_length_nm", what="'gate length'").mark_point(
        filled=True, size=70, shape="diamond").encode(
        x=x, y=y, color=alt.Color("what:N", title=None),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("node_nm:Q", title="node name (nm)"),
                 alt.Tooltip("gate_length_nm:Q", title="gate length (nm)"), "source:N"])
    return described(
        alt.layer(name_line, gate_points).properties(
            width=560, height=320, title="Node names and gate lengths, 1971 onwards"),
        "Node names (line) and measured gate lengths (diamonds) by year on a logarithmic "
        "scale. They match until the mid-1990s; then gate lengths fall below the names, "
        "and from the early 2010s the names fall below the gate lengths.", ["node_history"])


def label_vs_measure(summary_table, metric: str = "cpp_nm", companies=None) -> alt.LayerChart:
    """Node label (x) against a measured length (y), with the line where they would be equal."""
    table = name_vs_measure(summary_table, metric)
    if companies is not None:
        table = table[table["company"].isin(list(companies))]
    label = METRICS[metric]
    top = max(float(table[metric].max()) if len(table) else 100.0, 100.0)
    honest = alt.Chart({"values": [{"x": 1, "y": 1}, {"x": top, "y": top}]}).mark_line(
        strokeDash=[6, 4], color=MUTED_TEXT).encode(x="x:Q", y="y:Q")
    honest_text = alt.Chart({"values": [{"x": 2, "y": 2, "t": "if names were honest"}]}).mark_text(
        align="left", dx=10, dy=6, color=MUTED_TEXT).encode(x="x:Q", y="y:Q", text="t:N")
    points = alt.Chart(table).mark_point(filled=True, size=90).encode(
        x=alt.X("label_nm:Q", scale=alt.Scale(type="log", domain=[1, top]),
                title="Number in the node name (nm, log)"),
        y=alt.Y(f"{metric}:Q", scale=alt.Scale(type="log", domain=[1, top]),
                title=f"Measured {label} (log)"),
        color=alt.Color("company:N", sort=_COMPANY_ORDER, title="Company"),
        shape=alt.Shape("company:N", sort=_COMPANY_ORDER, legend=None),
        tooltip=["company:N", "node:N", alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip(f"{metric}:Q", title=label), alt.Tooltip("ratio:Q", format=".1f",
                                                                        title="measured ÷ name")])
    return described(
        alt.layer(honest, honest_text, points).properties(
            width=460, height=360, title=f"Node name vs {label.split(',')[0]}"),
        f"Each point is a node: the number in its name across, its measured {label} up. "
        f"The dashed line marks where the two would be equal; every node sits far above it.",
        ["nodes"])


def density_by_company(summary_table) -> alt.LayerChart:
    """Transistor density of each node by year, one colour a company: a point at the summary's
    figure (the median of the sources) and, where sources disagree, a line from the lowest
    figure to the highest whose tooltip lists each source. Nodes of the same year and density
    stand side by side, and each name goes where it covers no marker (:mod:`chipcourse.chart_layout`)."""
    table = summary_table.dropna(subset=["density_mtr_mm2", "year"]).copy()
    width, height = 520, 320
    x_axis = Axis((float(table["year"].min()) - 0.7, float(table["year"].max()) + 0.7), width)
    top = 50.0 * math.ceil(float(table[["density_mtr_mm2", "density_max_mtr_mm2"]].max().max()) * 1.05 / 50)
    y_axis = Axis((0.0, top), height, reverse=True)
    order = [_COMPANY_ORDER.index(c) if c in _COMPANY_ORDER else len(_COMPANY_ORDER) for c in table["company"]]
    table["year_shown"] = dodge(table["year"], table["density_mtr_mm2"], x_axis, y_axis, order=order)
    points_px = [(x_axis.to_px(x), y_axis.to_px(d)) for x, d in zip(table["year_shown"], table["density_mtr_mm2"])]
    ranges = []   # the lines from lowest to highest figure, and their end ticks, are kept clear too
    for year, low, high in zip(table["year_shown"], table["density_min_mtr_mm2"], table["density_max_mtr_mm2"]):
        if high > low:
            px, top_px, bottom_px = x_axis.to_px(year), y_axis.to_px(high), y_axis.to_px(low)
            ranges += [(px - 2, top_px, px + 2, bottom_px), (px - 7, top_px - 2, px + 7, top_px + 2),
                       (px - 7, bottom_px - 2, px + 7, bottom_px + 2)]
    table["place"] = place_labels([(px, py, node) for (px, py), node in zip(points_px, table["node"])],
                                  points_px, width, height, font_px=10, boxes=ranges)
    x = alt.X("year_shown:Q", title="Year of volume production", scale=alt.Scale(domain=list(x_axis.domain)),
              axis=alt.Axis(format="d", values=sorted(set(table["year"].astype(int)))))
    y_scale = alt.Scale(domain=list(y_axis.domain))
    color = alt.Color("company:N", sort=_COMPANY_ORDER, title="Company")
    sources = [alt.Tooltip("density_sources:N", title="each source (MTr/mm²)")]
    points = alt.Chart(table).mark_point(filled=True, size=90).encode(
        x=x, y=alt.Y("density_mtr_mm2:Q", title="Transistor density (MTr/mm²)", scale=y_scale), color=color,
        shape=alt.Shape("company:N", sort=_COMPANY_ORDER, legend=None),
        tooltip=["company:N", "node:N", alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip("density_mtr_mm2:Q", title="MTr/mm² (median of the sources)"), *sources])
    disputed = table[table["density_max_mtr_mm2"] > table["density_min_mtr_mm2"]]
    spread_tooltip = ["company:N", "node:N", alt.Tooltip("density_min_mtr_mm2:Q", title="lowest (MTr/mm²)"),
                      alt.Tooltip("density_max_mtr_mm2:Q", title="highest (MTr/mm²)"), *sources]
    spread = alt.Chart(disputed).mark_rule(strokeWidth=2).encode(
        x=x, y=alt.Y("density_min_mtr_mm2:Q", scale=y_scale), y2="density_max_mtr_mm2:Q", color=color,
        tooltip=spread_tooltip)
    ends = [alt.Chart(disputed).mark_tick(orient="horizontal", size=12, thickness=2).encode(
        x=x, y=alt.Y(f"{end}:Q", scale=y_scale), color=color, tooltip=spread_tooltip)
        for end in ("density_min_mtr_mm2", "density_max_mtr_mm2")]
    names = label_layers(table, x=x, y=alt.Y("density_mtr_mm2:Q", scale=y_scale), x_field="year_shown",
                         y_field="density_mtr_mm2", text_field="node", x_axis=x_axis, y_axis=y_axis, font_px=10,
                         color=TEXT, line_color=MUTED_TEXT)
    return described(
        alt.layer(spread, *ends, points, *names).properties(
            width=width, height=height, title="Transistor density by node and company"),
        "Transistor density claimed or estimated for each node, by year of volume production. "
        f"Each point is the summary figure, {SUMMARY_RULE}; where sources disagree, a vertical "
        "line runs from the lowest figure to the highest. Nodes with the same name sit at "
        "different densities, and a smaller number is not always denser.", ["nodes"])
