"""Widgets for lesson 06, Who holds the chokepoints?

Both are thin views over :mod:`chipcourse.lessons.chokepoints.chokepoints`: the tables are read
and the slow parts (series, country shares) computed once when the widget is built; each change
only filters them and writes the result.
"""

from __future__ import annotations

import html

import ipywidgets

from ... import data
from ...panel import STYLE, grading, panel, placeholder, report_errors, slider
from . import chokepoints

_WIDE = ipywidgets.Layout(width="40em")
_EVERY_SEGMENT = ""
_KINDS = {"firm": "firms", "country": "countries"}
_SIMPLIFICATIONS = ("The model's simplifications: a share of revenue, units or capacity is taken as a share of "
                    "supply; nobody else steps in to make up the loss; nobody has stockpiles; and each source "
                    "describes one year.")
_TABLE = "border-collapse:collapse;font-size:0.9em;margin-top:0.4em"
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"


def _tables():
    shares = chokepoints.chain_shares(data.load("supply_chain_shares"), data.load("critical_inputs"))
    return shares, data.load("supply_chain_layers")


def _strength(value: str) -> str:
    """A source's strength as the learner reads it: a weak source is flagged, not only noted."""
    return "<b>⚠ weak source</b>" if value == "weak" else html.escape(value)


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    """An HTML table (cells already escaped), with a caption and column headers for screen readers."""
    if not rows:
        return ""
    th = "".join(f"<th scope='col' style='{_CELL}'>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td style='{_CELL}'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table style='{_TABLE}'><caption style='text-align:left'>{html.escape(caption)}</caption>"
            f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>")


def _pct(low: float, high: float) -> str:
    return f"{low:g}%" if low == high else f"{low:g}–{high:g}%"


def _holders_text(shares) -> dict[str, str]:
    """Series -> its named holders and shares, largest first ("Tokyo Electron 92.6%, Screen 2.6%, ...")."""
    out = {}
    named = chokepoints.holders(shares).sort_values("share_pct", ascending=False, kind="stable")
    low, high = chokepoints.bounds(named)
    for series, holder, a, b in zip(named["series"], named["holder"], low, high):
        out.setdefault(series, []).append(f"{holder} {_pct(a, b)}")
    return {series: ", ".join(items[:4]) + (f", and {len(items) - 4} more" if len(items) > 4 else "")
            for series, items in out.items()}


def _halting(rows, country: bool) -> str:
    items = [f"{r['segment']}" + ("" if country else f" ({chokepoints.country_name(r['country'])})")
             + (" [weak source only]" if r["weak_only"] else "") for r in rows]
    return "; ".join(items)


def chokepoint_map(threshold: int = chokepoints.HALT_THRESHOLD) -> ipywidgets.Widget:
    """Choose a layer or a country: who holds what, how concentrated it is, and what one country could halt."""
    title = "Chokepoint map"
    if grading():
        return placeholder(title)
    shares, layers = _tables()
    table = chokepoints.series_table(shares, data.load("concentration_bands"))
    summary = chokepoints.country_summary(shares)
    names = chokepoints.layer_names(layers)
    present = [key for key in names if key in set(table["layer"])]
    countries = sorted(set(summary["country"]))
    options = ([(f"Layer: {names[key]}", f"layer:{key}") for key in present]
               + [(f"Country: {name}", f"country:{name}") for name in countries])
    choice = ipywidgets.Dropdown(options=options, value="layer:coater_developer", description="Layer or country",
                                 style=STYLE, layout=_WIDE)
    cut = slider(ipywidgets.IntSlider, "Could halt at (% of world supply)", value=int(threshold), min=50, max=100,
                 step=5)
    result, detail = ipywidgets.HTML(), ipywidgets.HTML()
    series_rows = {layer: rows.to_dict("records") for layer, rows in table.groupby("layer", sort=False)}
    holders_text = _holders_text(shares)

    def show_layer(layer: str, halt) -> None:
        rows = series_rows[layer]
        top = max(rows, key=lambda r: (r["source_strength"] != "weak", r["hhi"]))   # a weak source last
        here = halt[halt["layer"] == layer]
        halts = here[here["status"] == "could halt"].to_dict("records")
        disputed = here[here["status"] == "sources disagree"].to_dict("records")
        sentence = (f"{names[layer]}: {len(rows)} series from {len({r['source'] for r in rows})} sources. "
                    f"Most concentrated: {top['segment']}, counted by {_KINDS[top['kind']]} in "
                    f"{chokepoints.short_source(top['source'])}{' (a weak source)' if top['source_strength'] == 'weak' else ''} ({top['top_holder']} {top['top1_pct']:g}%, HHI at "
                    f"least {top['hhi']:,.0f}: {top['band']} by the {chokepoints.GUIDELINES}). ")
        sentence += (f"With at least {cut.value}% in every source, one country could halt: {_halting(halts, False)}."
                     if halts else f"No country reaches {cut.value}% of a segment here in every source.")
        if disputed:
            sentence += f" Sources disagree on: {_halting(disputed, False)}."
        result.value = f"<p aria-live='polite'>{html.escape(sentence)}</p>"
        detail.value = _table(
            f"Every series in {names[layer]}: one source's shares of one segment", 
            ["segment", "counted by", "source", "shares (named holders)", "top 3", "HHI (lowest–highest)", "band",
             "source strength"],
            [[html.escape(r["segment"]), _KINDS[r['kind']], html.escape(f"{chokepoints.short_source(r['source'])} "
                                                                    f"{'' if r['year'] is None else r['year']}"),
              html.escape(holders_text.get(r["series"], "")), f"{r['top3_pct']:g}%",
              f"{r['hhi']:,.0f}" + ("" if r["hhi_high"] - r["hhi"] < 1 else f"–{r['hhi_high']:,.0f}"),
              html.escape(r["band"]), _strength(r["source_strength"])] for r in rows])

    def show_country(country: str, halt) -> None:
        here = halt[halt["country"] == country].sort_values("low", ascending=False, kind="stable").to_dict("records")
        halts = [r for r in here if r["status"] == "could halt"]
        disputed = [r for r in here if r["status"] == "sources disagree"]
        who = chokepoints.country_name(country)
        sentence = (f"The sources give {who} a share of {len(here)} segments in "
                    f"{len({r['layer'] for r in here})} layers. ")
        if halts:
            weak = sum(r["weak_only"] for r in halts)
            sentence += (f"With at least {cut.value}% in every source it could halt {len(halts)}: "
                         f"{_halting(halts, True)}" + (f" ({weak} of them on a weak source only)." if weak else "."))
        else:
            sentence += f"It reaches {cut.value}% of no segment in every source."
        if disputed:
            sentence += f" Sources disagree on: {_halting(disputed, True)}."
        result.value = f"<p aria-live='polite'>{html.escape(sentence[:1].upper() + sentence[1:])}</p>"
        detail.value = _table(
            f"{country}'s share of each segment, from the sources that count the segment whole",
            ["layer", "segment", "share (lowest–highest)", "sources", f"at {cut.value}%", "weak source only"],
            [[html.escape(names.get(r["layer"], r["layer"])), html.escape(r["segment"]), _pct(r["low"], r["high"]),
              str(r["sources"]), html.escape(r["status"] or "no"), "<b>⚠ yes</b>" if r["weak_only"] else "no"]
             for r in here])

    def update(_change=None):
        with report_errors(result):
            halt = chokepoints.halt_table(shares, cut.value, summary=summary)
            kind, _, key = choice.value.partition(":")
            (show_layer if kind == "layer" else show_country)(key, halt)

    for control in (choice, cut):
        control.observe(update, "value")
    update()
    return panel(title, "Choose a layer to see who holds each of its segments and how concentrated each is, or a "
                        "country to see which segments it could halt. Move the slider to change the lesson's rule.",
                 [choice, cut], [result, detail])


def disruption_simulator() -> ipywidgets.Widget:
    """Remove a supplier or a country from a layer: the share of world supply lost, and who is exposed downstream."""
    title = "Disruption simulator"
    if grading():
        return placeholder(title)
    shares, layers = _tables()
    names = chokepoints.layer_names(layers)
    present = [key for key in names if key in set(shares["layer"])]
    by_layer = {key: shares[shares["layer"] == key] for key in present}
    countries = dict(zip(shares["holder"], shares["country"]))
    layer = ipywidgets.Dropdown(options=[(names[key], key) for key in present], value="coater_developer",
                                description="Layer", style=STYLE, layout=_WIDE)
    segment = ipywidgets.Dropdown(description="Segment", style=STYLE, layout=_WIDE)
    remove = ipywidgets.Dropdown(description="Remove", style=STYLE, layout=_WIDE)
    result, detail = ipywidgets.HTML(), ipywidgets.HTML()
    busy = [False]

    def segment_options(key: str) -> list:
        return [("every segment of this layer", _EVERY_SEGMENT)] + [
            (name, name) for name in dict.fromkeys(by_layer[key]["segment"])]

    def remove_options(key: str, seg: str) -> list:
        pairs = chokepoints.removable(by_layer[key], key, seg or None)
        return [(f"{name} (country)" if kind == "country" else f"{name} (firm, {countries.get(name) or 'country not given'})",
                 name) for name, kind in pairs]

    def refill(options_for_segment: bool) -> None:
        busy[0] = True
        try:
            if options_for_segment:
                segment.options = segment_options(layer.value)
                segment.value = _EVERY_SEGMENT
            kept = remove.value
            remove.options = remove_options(layer.value, segment.value)
            values = [value for _, value in remove.options]
            remove.value = kept if kept in values else values[0]
        finally:
            busy[0] = False

    def update(_change=None):
        if busy[0]:
            return
        with report_errors(result):
            found = chokepoints.disruption(by_layer[layer.value], layers, remove.value, layer.value,
                                           segment.value or None)
            result.value = f"<p aria-live='polite'>{html.escape(found.sentence())}</p>"
            rows = [[html.escape(r["segment"]), html.escape(f"{chokepoints.short_source(r['source'])} "
                                                           f"{'' if r['year'] is None else r['year']}"),
                     html.escape(r["metric"]), _pct(r["lost_low"], r["lost_high"]), html.escape(r["basis"]),
                     "yes" if r["counts"] else "no: names too few firms", _strength(r["source_strength"])]
                    for r in found.loss_rows]
            exposed = "".join(f"<li>{html.escape(r['name'])} (via {html.escape(r['via'])})</li>"
                              for r in found.exposed_rows)
            detail.value = (_table("What each source says would be lost",
                                   ["segment", "source", "what it counts", "lost", "from", "counted", "source strength"],
                                   rows)
                            + (f"<p>Exposed downstream:</p><ul>{exposed}</ul>" if exposed else "")
                            + f"<p><small>{html.escape(_SIMPLIFICATIONS)}</small></p>")

    def change_layer(_change=None):
        if not busy[0]:
            refill(True)
            update()

    def change_segment(_change=None):
        if not busy[0]:
            refill(False)
            update()

    refill(True)
    layer.observe(change_layer, "value")
    segment.observe(change_segment, "value")
    remove.observe(update, "value")
    update()
    return panel(title, "Choose a layer, one of its segments (or all of them) and a country or firm to take out. "
                        "The sentence says how much of the world's supply each source says would be lost, and "
                        "which layers downstream would be short.", [layer, segment, remove], [result, detail])
