"""Charts for lesson 02, Printing with light."""

from __future__ import annotations

import pandas as pd

from ...charting import alt, MUTED_TEXT, TEXT, described
from . import litho

_COMPANY_ORDER = ["Intel", "TSMC", "Samsung", "IBM"]


def resolution_timeline(gens: pd.DataFrame, summary_table: pd.DataFrame, k1: float) -> alt.LayerChart:
    """Each tool's smallest single-exposure pitch (a horizontal line from its first year) against real nodes' pitches.

    ``gens`` is :func:`chipcourse.litho.generations`; ``summary_table`` is
    :func:`chipcourse.nodes.summary`. Technologies without a sourced NA are left out;
    those without a sourced year are drawn from the left edge (all of them predate it).
    """
    tools = gens.dropna(subset=["na", "wavelength_nm"]).copy()
    tools["min_pitch_nm"] = [litho.min_pitch(w, na, k1) for w, na in zip(tools["wavelength_nm"], tools["na"])]
    pitches = pd.concat([litho.node_pitches(summary_table, "mmp_nm").assign(what="minimum metal pitch"),
                         litho.node_pitches(summary_table, "cpp_nm").assign(what="contacted gate pitch")])
    years = [int(y) for y in tools["year"].dropna()] + [int(y) for y in pitches["year"].dropna()]
    start, end = min(years) - 1, max(years) + 1
    tools["x"] = [int(y) if pd.notna(y) else start for y in tools["year"]]
    tools["x2"] = end
    tools["label"] = [f"{t} (NA {na:g}): {p:.0f} nm" for t, na, p in
                      zip(tools["technology"], tools["na"], tools["min_pitch_nm"])]
    tools["first_year"] = [f"{int(y)} ({b})" if pd.notna(y) else "before the chart starts (no sourced year)"
                           for y, b in zip(tools["year"], tools["year_basis"])]
    tools = tools[["technology", "na", "wavelength_nm", "min_pitch_nm", "x", "x2", "label", "first_year"]]
    top = max(float(tools["min_pitch_nm"].max()), float(pitches["pitch_nm"].max())) * 1.6
    y = alt.Y("min_pitch_nm:Q", scale=alt.Scale(type="log", domain=[8, top], nice=False),
              title="Pitch (nm, logarithmic)")
    x = alt.X("x:Q", scale=alt.Scale(domain=[start, end]), title="Year", axis=alt.Axis(format="d"))
    rules = alt.Chart(tools).mark_rule(strokeWidth=2.5, color=MUTED_TEXT).encode(
        x=x, x2="x2:Q", y=y,
        tooltip=["technology:N", alt.Tooltip("wavelength_nm:Q", title="wavelength (nm)"),
                 alt.Tooltip("na:Q", title="NA"),
                 alt.Tooltip("min_pitch_nm:Q", title="smallest pitch, one exposure (nm)", format=".1f"),
                 alt.Tooltip("first_year:N", title="first year")])
    # lines below 30 nm have real nodes' points just above them: their labels go below the line
    labels = alt.layer(*(alt.Chart(part).mark_text(align="right", dy=dy, fontSize=11, color=TEXT).encode(
        x="x2:Q", y="min_pitch_nm:Q", text="label:N")
        for part, dy in ((tools[tools["min_pitch_nm"] >= 30], -7), (tools[tools["min_pitch_nm"] < 30], 13))))
    points = alt.Chart(pitches).mark_point(filled=True, size=80).encode(
        x=alt.X("year:Q"), y=alt.Y("pitch_nm:Q"),
        color=alt.Color("company:N", sort=_COMPANY_ORDER, title="Company"),
        shape=alt.Shape("what:N", title="Node pitch", sort=["minimum metal pitch", "contacted gate pitch"]),
        tooltip=["name:N", alt.Tooltip("year:Q", format="d"), "what:N",
                 alt.Tooltip("pitch_nm:Q", title="pitch (nm)")])
    return described(
        alt.layer(rules, labels, points).properties(
            width=600, height=380,
            title=f"Smallest pitch one exposure can print (k1 = {k1:g}) and the pitches of real nodes"),
        f"Horizontal lines: the smallest pitch each lithography technology prints in one exposure at "
        f"k1 = {k1:g} and its highest NA in the data, starting in its first sourced year. Points: real "
        f"nodes' minimum metal pitches and contacted gate pitches by year. Points below a line cannot be "
        f"printed by that technology in one exposure.", ["lithography", "nodes"])


def pattern_split(target_pitch_nm: float, exposures: int, lines: int = 12) -> alt.LayerChart:
    """The lines of a pitch-split pattern: one row per mask, and the combined pattern on the wafer.

    The target pitch and the number of exposures are the Vega parameters ``pitch_nm`` and
    ``exposures``, so a widget changes them without redrawing (:func:`widgets.set_param`).
    """
    pitch = alt.param(name="pitch_nm", value=float(target_pitch_nm))
    n = alt.param(name="exposures", value=int(exposures))
    base = alt.Chart(pd.DataFrame({"i": range(lines)})).transform_calculate(
        x="datum.i * pitch_nm", x2="datum.i * pitch_nm + pitch_nm / 2",
        mask="datum.i % exposures + 1")
    x = alt.X("x:Q", title="Position across the wafer (nm)")
    color = alt.Color("mask:N", title="Exposure (mask)", sort="ascending")
    tooltip = [alt.Tooltip("mask:O", title="exposure (mask)"), alt.Tooltip("x:Q", title="line starts at (nm)", format=".0f")]
    per_mask = base.mark_bar(height=14).encode(
        x=x, x2="x2:Q", y=alt.Y("mask:O", title=None, axis=alt.Axis(labelExpr="'Mask ' + datum.value")),
        color=color,
        tooltip=tooltip).add_params(pitch, n)
    wafer = base.transform_calculate(row="'On the wafer'").mark_bar(height=14).encode(
        x=x, x2="x2:Q", y=alt.Y("row:N", title=None), color=color, tooltip=tooltip)
    return described(
        alt.vconcat(per_mask.properties(width=560, title="Each exposure prints every n-th line"),
                    wafer.properties(width=560, title="Together they make the target pitch")),
        "Lines of a pattern at the target pitch, coloured by the exposure (mask) that prints them. Top: "
        "each mask on its own row, with its lines n times the target pitch apart. Bottom: all lines "
        "together on the wafer.", ["lithography", "litho_facts"])


def euv_shipments_chart(shipments: pd.DataFrame) -> alt.Chart:
    """ASML EUV systems per year, one bar per basis (shipped, exported, revenue-recognised)."""
    frame = shipments[["year", "euv_systems", "basis", "source"]].copy()
    frame["year"] = frame["year"].astype(int).astype(str)
    return described(alt.Chart(frame).mark_bar().encode(
        x=alt.X("year:N", title="Year"),
        xOffset=alt.XOffset("basis:N"),
        y=alt.Y("euv_systems:Q", title="EUV systems"),
        color=alt.Color("basis:N", title="Counted as"),
        tooltip=["year:N", "basis:N", alt.Tooltip("euv_systems:Q", title="systems"), "source:N"],
    ).properties(width=420, height=260, title="ASML EUV systems per year"),
        "Bars: EUV systems ASML shipped, exported or was paid for (revenue recognised) in each year with "
        "a sourced figure. The count grows over the years; in 2022, more were shipped than paid for.",
        ["euv_shipments"])
