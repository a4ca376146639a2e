"""Charts for lesson 05, Industrial policy by the numbers (and the wafer-map picture)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ...charting import alt, PALETTE, described
from .fab import MODELS, yield_for
from .policy import NORMALISATIONS


def fab_cost_chart(fab_cost: pd.DataFrame) -> alt.Chart:
    """Every fab cost with a USD figure, one row per scope: one fab, several fabs, a project, a programme."""
    rows = fab_cost.dropna(subset=["cost_usd_bn"])[
        ["company", "fab", "segment", "scope", "year_announced", "cost_usd_bn", "kind", "source", "note"]].copy()
    scopes = ["one fab", "several fabs", "project (R&D and fab)", "company programme"]
    return described(alt.Chart(rows).mark_point(filled=True, size=90, opacity=0.8).encode(
        x=alt.X("cost_usd_bn:Q", title="Cost (USD bn, as the source states it)", scale=alt.Scale(type="log", nice=False, padding=12)),
        y=alt.Y("scope:N", sort=scopes, title="What the figure covers"),
        color=alt.Color("segment:N", title="Segment"),
        shape=alt.Shape("kind:N", title="Kind of figure"),
        tooltip=["company:N", "fab:N", "segment:N", alt.Tooltip("year_announced:Q", title="year"),
                 alt.Tooltip("cost_usd_bn:Q", title="USD bn"), "kind:N", "source:N", "note:N"],
    ).properties(width=560, height=200, title="What a fab costs: one fab, a site, or a whole programme"),
        "Fab costs in billions of US dollars on a logarithmic axis, one row per scope: one fab, several fabs "
        "on a site, a project including R&D, or a company's national programme. Colour is the market "
        "segment and shape whether the figure is an announcement or an estimate; hover for the source.",
        ["fab_cost"])


def yield_curves(defect_densities: dict[str, float], max_area_mm2: float = 858.0) -> alt.Chart:
    """Poisson and Murphy yield against die area, one pair of curves per labelled defect density."""
    if not defect_densities:
        raise ValueError("Give at least one defect density, as {label: defects per cm²}.")
    areas = np.linspace(1, float(max_area_mm2), 120)
    rows = pd.DataFrame([{"die_area_mm2": a, "model": m, "process": f"{label} ({d0:g}/cm²)",
                          "yield_pct": 100 * yield_for(m, a, d0)}
                         for label, d0 in defect_densities.items() for m in MODELS for a in areas])
    return described(alt.Chart(rows).mark_line(strokeWidth=3).encode(
        x=alt.X("die_area_mm2:Q", title="Die area (mm²)"),
        y=alt.Y("yield_pct:Q", title="Dies with no killer defect (%)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("process:N", title="Defect density"),
        strokeDash=alt.StrokeDash("model:N", title="Yield model", sort=list(MODELS),
                                  scale=alt.Scale(domain=list(MODELS), range=[[1, 0], [6, 4]])),
        detail="model:N",
        tooltip=["process:N", "model:N", alt.Tooltip("die_area_mm2:Q", format=".0f", title="die area (mm²)"),
                 alt.Tooltip("yield_pct:Q", format=".1f", title="yield (%)")],
    ).properties(width=520, height=280, title="Yield against die area"),
        "Share of good dies against die area for "
        + " and ".join(f"{label} at {d0:g} defects per cm²" for label, d0 in defect_densities.items())
        + ", for the Poisson model (solid) and the Murphy model (dashed). The curves bend: yield falls "
          "exponentially with area, not in a straight line, and the higher the defect density the sharper the bend.",
        ["yield_params"])


def subsidy_chart(table: pd.DataFrame, countries, kinds, how: str = "usd_bn") -> alt.Chart:
    """Bars of :func:`chipcourse.policy.comparison_table`, filtered and normalised by chart parameters.

    The parameters ``countries``, ``kinds`` (lists) and ``how`` (a key of
    ``policy.NORMALISATIONS``) can be moved without redrawing the chart.
    """
    frame = table[["label", "country", "kind", "amount", "currency", "year", "usd_basis", "fx_rate", "fx_quote",
                   "fx_period", "source", "source_url", *[f"value_{key}" for key in NORMALISATIONS]]].copy()
    units = {key: unit for key, (_label, unit) in NORMALISATIONS.items()}
    p_countries = alt.param(name="countries", value=list(countries))
    p_kinds = alt.param(name="kinds", value=list(kinds))
    p_how = alt.param(name="how", value=how)
    unit_expr = " : ".join(f"how == '{k}' ? '{u}'" for k, u in units.items()) + " : ''"
    return described(alt.Chart(frame).transform_filter(
        "indexof(countries, datum.country) >= 0 && indexof(kinds, datum.kind) >= 0"
    ).transform_calculate(value="datum['value_' + how]", unit=unit_expr).transform_filter(
        "isValid(datum.value)"
    ).mark_bar().encode(
        x=alt.X("value:Q", title="Amount, in the unit chosen under 'Compare as'"),
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360)),
        # the legend sits above the bars: to the right, long labels push it out of the output area
        color=alt.Color("country:N", title="Country", legend=alt.Legend(orient="top")),
        tooltip=["country:N", "label:N", alt.Tooltip("value:Q", format=",.3g"), "unit:N", "amount:Q",
                 "currency:N", "year:Q", "kind:N", "usd_basis:N", "fx_rate:Q", "fx_quote:N", "fx_period:N",
                 "source:N", "source_url:N"],
    ).add_params(p_countries, p_kinds, p_how).properties(
        width=420, height=alt.Step(18), title="Government support for chipmaking, each measure counted once"),
        "Bar chart of government support measures, largest at the top, coloured by country, in the unit chosen: "
        "USD billions at each year's exchange rate, USD per person or a share of GDP. Hover over a bar for the "
        "original amount, the exchange rate used and the source.", ["subsidies", "fx_rates", "population_gdp"])


def foundry_share_chart(rows: pd.DataFrame, hhi: float) -> alt.Chart:
    """Bars of one source's foundry shares in one quarter, titled with their HHI."""
    frame = rows[["company", "share_pct", "year", "quarter", "source"]].copy()
    label = f"{frame['quarter'].iloc[0]} {frame['year'].iloc[0]}" if len(frame) else ""
    return described(alt.Chart(frame).mark_bar().encode(
        x=alt.X("share_pct:Q", title="Share of foundry revenue (%)"),
        y=alt.Y("company:N", sort="-x", title=None),
        color=alt.value(PALETTE[0]),
        tooltip=["company:N", alt.Tooltip("share_pct:Q", title="share (%)"), "quarter:N", "year:Q", "source:N"],
    ).properties(width=460, height=alt.Step(20), title=f"Foundry shares, {label}: HHI {hhi:,.0f}"),
        f"Bar chart of contract-foundry revenue shares by company in {label}, one source; the firms' "
        f"Herfindahl-Hirschman index is {hhi:,.0f} on a scale to 10,000.", ["foundry_share"])


def wafer_svg(dies: pd.DataFrame, wafer_diameter_mm: float = 300.0, size_px: int = 260,
              summary: str = "") -> str:
    """An inline SVG picture of :func:`chipcourse.fab.wafer_map`: good dies filled, bad dies crossed.

    Not colour alone: a good die is a filled square, a bad one an outlined square with a
    cross. The ``<title>`` carries ``summary`` as the text alternative. Coordinates are
    whole numbers in tenths of a pixel (a 10× viewBox), which keeps a map of thousands
    of dies quick to build.
    """
    unit = 10 * size_px / float(wafer_diameter_mm)  # viewBox units per mm
    full = 10 * size_px
    side = float(dies["side_mm"].iloc[0]) * unit if len(dies) else 0.0
    gap = max(1, min(6, round(side * 0.12)))
    s = max(1, round(side) - gap)

    def corners(rows):
        # SVG's y axis points down: flip so the picture matches the maths (y up)
        xs = np.round((rows["x_mm"].to_numpy() + wafer_diameter_mm / 2) * unit + gap / 2).astype(int).tolist()
        ys = np.round(full - (rows["y_mm"].to_numpy() + rows["side_mm"].to_numpy() + wafer_diameter_mm / 2) * unit
                      + gap / 2).astype(int).tolist()
        return list(zip(xs, ys))

    good, bad = corners(dies[dies["good"]]), corners(dies[~dies["good"]])
    filled = "".join([f"M{x} {y}h{s}v{s}h-{s}z" for x, y in good])
    crossed = "".join([f"M{x} {y}h{s}v{s}h-{s}zl{s} {s}m0 -{s}l-{s} {s}" for x, y in bad])
    stroke = max(4, min(12, s // 8))
    legend = full + 180
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{size_px}" height="{size_px + 26}" '
        f'viewBox="0 0 {full} {full + 260}"><title>{html.escape(summary)}</title>'
        f'<circle cx="{full // 2}" cy="{full // 2}" r="{full // 2 - 5}" fill="#f4f4f4" stroke="#555" stroke-width="10"/>'
        f'<path d="{filled}" fill="{PALETTE[0]}"/>'
        f'<path d="{crossed}" fill="#ffffff" stroke="{PALETTE[5]}" stroke-width="{stroke}"/>'
        f'<path d="M40 {legend - 90}h100v100h-100z" fill="{PALETTE[0]}"/>'
        f'<text x="180" y="{legend}" font-size="110">good die</text>'
        f'<path d="M900 {legend - 90}h100v100h-100zl100 100m0 -100l-100 100" fill="#fff" stroke="{PALETTE[5]}" '
        f'stroke-width="10"/><text x="1040" y="{legend}" font-size="110">die with a killer defect</text></svg>'
    )
