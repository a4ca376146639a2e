"""The course palette stays apart for colour-blind readers, and chart text is readable.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes,
"A physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6),
2009 (severity 1.0: protanopia, deuteranopia, tritanopia), applied to linear sRGB. Colours
are compared with CIEDE2000 in CIELAB (D65). Contrast is WCAG 2's contrast ratio.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from chipcourse import charts

WHITE = "#ffffff"

MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
#: smallest CIEDE2000 difference allowed between two palette colours, for every kind of vision.
#: About 10 is "clearly different at a glance" for marks of a chart.
MIN_DELTA_E = 10.0


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> tuple[float, float, float]:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(
        linear_rgb, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e_2000(lab1, lab2) -> float:
    """CIEDE2000 (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_lp, d_cp = l2 - l1, c2p - c1p
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, c_barp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_barp, 1 + 0.015 * c_barp * t
    r_t = (-2 * math.sqrt(c_barp ** 7 / (c_barp ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))))
    return math.sqrt((d_lp / s_l) ** 2 + (d_cp / s_c) ** 2 + (d_hp / s_h) ** 2
                     + r_t * (d_cp / s_c) * (d_hp / s_h))


def contrast(foreground: str, background: str = WHITE) -> float:
    """WCAG 2 contrast ratio."""
    def luminance(c):
        r, g, b = _linear(c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_delta_e_2000_matches_the_published_test_data():
    # Sharma, Wu and Dalal (2005), table 1, pairs 1 and 7
    assert delta_e_2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e_2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)


def test_contrast_ratio_of_known_pairs():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("vision", ["normal", *MACHADO_2009])
def test_palette_colours_stay_apart(vision):
    matrix = np.eye(3) if vision == "normal" else np.array(MACHADO_2009[vision])
    labs = {c: _lab(matrix @ _linear(c)) for c in charts.PALETTE}
    closest = min((delta_e_2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(charts.PALETTE, 2))
    assert closest[0] >= MIN_DELTA_E, f"with {vision} vision {closest[1]} and {closest[2]} look alike: {closest}"


def test_no_palette_colour_fades_into_the_background():
    # Okabe-Ito's yellow (#F0E442) is 1.3:1 against white: a point or line in it nearly disappears
    faint = {c: round(contrast(c), 2) for c in charts.PALETTE if contrast(c) < 2.0}
    assert not faint, f"palette colours too close to the white background: {faint}"


def test_light_palette_colours_get_a_dark_outline():
    # WCAG 1.4.11 asks 3:1 for the parts of a chart needed to read it; the lighter palette colours
    # reach it through an outline on every point and bar
    config = charts.theme()
    if any(contrast(c) < 3.0 for c in charts.PALETTE):
        for mark in ("point", "bar"):
            assert contrast(config[mark]["stroke"]) >= 3.0 and config[mark]["strokeWidth"] > 0


def _text_colours(spec) -> list[str]:
    """Every colour a chart spec gives to text: text marks, titles, axes and legends."""
    found = []
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if mark == "text" or (isinstance(mark, dict) and mark.get("type") == "text"):
            for source in (mark if isinstance(mark, dict) else {}, spec.get("encoding", {}).get("color", {})):
                for key in ("color", "fill", "value"):
                    if isinstance(source.get(key), str) and source[key].startswith("#"):
                        found.append(source[key])
        for key, value in spec.items():
            if key.endswith(("Color", "color")) and key not in ("gridColor", "domainColor", "tickColor") \
                    and isinstance(value, str) and value.startswith("#") and key != "color":
                found.append(value)
            elif key != "data":
                found += _text_colours(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _text_colours(item)
    return found


def _all_charts():
    from chipcourse import chokepoints, data, litho, nodes

    summary = nodes.summary(data.load("nodes"))
    gens = litho.generations(data.load("lithography"))
    k1 = litho.fact(data.load("litho_facts"), "k1_min_single_exposure")
    chain = chokepoints.chain_shares(data.load("supply_chain_shares"), data.load("critical_inputs"))
    layers = data.load("supply_chain_layers")
    table = chokepoints.series_table(chain, data.load("concentration_bands"))
    return {
        "length_scales": charts.length_scales(data.load("length_scales")),
        "node_divergence": charts.node_divergence(data.load("node_history")),
        "label_vs_measure": charts.label_vs_measure(summary),
        "density_by_company": charts.density_by_company(summary),
        "resolution_timeline": charts.resolution_timeline(gens, summary, k1),
        "pattern_split": charts.pattern_split(28, 2),
        "euv_shipments_chart": charts.euv_shipments_chart(data.load("euv_shipments")),
        "qubits_and_quantum_volume": charts.qubits_and_quantum_volume(data.load("quantum_processors")),
        "cooling_needed": charts.cooling_needed(data.load("quantum_facts")),
        "bloch_projections": charts.bloch_projections(),
        "shot_histogram": charts.shot_histogram({"0": 40, "1": 60}, {"0": 0.4, "1": 0.6}),
        "market_share_chart": charts.market_share_chart(data.load("market_share"), data.load("timeline")),
        "timeline_chart": charts.timeline_chart(data.load("timeline")),
        "layer_shares_chart": charts.layer_shares_chart(chain, layers, table),
        "hhi_chart": charts.hhi_chart(table, layers, data.load("concentration_bands")),
        "lever_timeline": charts.lever_timeline(data.load("timeline")),
    }


def test_text_in_every_chart_reaches_4_5_to_1():
    colours = {}
    for name, chart in _all_charts().items():
        spec = charts.prepare(chart, "description").to_dict(validate=False)
        for colour in _text_colours(spec):
            colours.setdefault(colour, set()).add(name)
    assert charts.TEXT in colours and charts.MUTED_TEXT in colours  # the walk found the theme's text
    weak = {c: sorted(names) for c, names in colours.items() if contrast(c) < 4.5}
    assert not weak, f"text colours under 4.5:1 against white: {weak}"


def test_caption_and_warning_text_reach_4_5_to_1():
    import re

    from chipcourse import widgets

    caption = charts.Figure("<svg></svg>", "A description.", "Source: a table")._repr_html_()
    target = __import__("ipywidgets").HTML()
    with widgets.report_errors(target):
        raise ValueError("an impossible value")
    for html in (caption, target.value):
        for colour in re.findall(r"color:\s*(#[0-9a-fA-F]{3,6})", html):
            full = colour if len(colour) == 7 else "#" + "".join(ch * 2 for ch in colour[1:])
            assert contrast(full) >= 4.5, f"{colour} in {html[:80]!r}"
