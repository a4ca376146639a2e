"""Charts for lesson 00, Start here."""

from __future__ import annotations


from ...charting import alt, PALETTE, TEXT, described


def length_scales(table, marker_nm: float = 13.5) -> alt.LayerChart:
    """Objects of the ``length_scales`` table on a log length axis, with a movable marker.

    The marker is the Vega parameter ``marker_nm``, so a widget moves it without
    redrawing the chart (:func:`chipcourse.widgets.set_param`).
    """
    import pandas as pd

    frame = table[["object", "size_nm", "kind"]].dropna().sort_values("size_nm")
    # neighbours in a row take turns above and below their points, so long names do not collide
    frame["level"] = frame.groupby("kind").cumcount() % 3
    marker = alt.param(name="marker_nm", value=float(marker_nm))
    x = alt.X("size_nm:Q", scale=alt.Scale(type="log", domain=[0.1, 1e6]),
              title="Length (nm, logarithmic: each grid line is 10× the last)")
    points = alt.Chart(frame).mark_point(filled=True, size=90).encode(
        x=x,
        y=alt.Y("kind:N", title=None),
        color=alt.Color("kind:N", legend=None),
        shape=alt.Shape("kind:N", legend=None),
        tooltip=[alt.Tooltip("object:N", title="object"),
                 alt.Tooltip("size_nm:Q", title="size (nm)", format=",.4g")],
    )
    labels = [points.transform_filter(f"datum.level == {level}").mark_text(
        align="left", dx=7, dy=dy, fontSize=11, angle=0).encode(text="object:N", color=alt.value(TEXT))
        for level, dy in ((0, -10), (1, 16), (2, -26))]
    rule = (alt.Chart(pd.DataFrame({"anchor": [0]}))
            .transform_calculate(size_nm="marker_nm")
            .mark_rule(color=PALETTE[5], strokeWidth=2)
            .encode(x=x)
            .add_params(marker))
    return described(
        alt.layer(points, *labels, rule).properties(width=560, height=220, title="From atoms to hairs"),
        "Objects from the length_scales table placed on a logarithmic length axis in "
        "nanometres, with a red line at the chosen length.", ["length_scales"])
