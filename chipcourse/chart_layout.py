"""Where a chart's markers and labels go, so that none covers another.

Vega-Lite draws every point where its data says and every label at a fixed offset from
its point, so two machines of the same year and size print over each other, and a label
runs across a neighbouring marker. These pure functions work in the chart's pixels (an
:class:`Axis` maps data to pixels as Vega's scale does, for an explicit domain):

* :func:`dodge` moves markers that would overlap apart sideways, as a beeswarm does, and
  returns the x positions to draw them at (the data keep their true values, for tooltips);
* :func:`place_labels` picks for each label the first place beside its marker where it
  covers no marker and no other label, stays inside the plot and is nearer its own marker
  than any other; where there is none, a place further out joined by a line
  (:func:`leader_line`).

The charts then draw at the returned positions with ordinary Vega-Lite marks; the browser
tests measure the drawn SVG to check that nothing overlaps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

__all__ = ["Axis", "log_domain", "dodge", "LABEL_PLACES", "LEADER_PLACES", "PLACES", "place_labels", "leader_line",
           "text_box", "marker_box", "label_layers"]


@dataclass(frozen=True)
class Axis:
    """A linear or logarithmic scale from ``domain`` (data units) onto ``pixels`` pixels."""

    domain: tuple[float, float]
    pixels: float
    log: bool = False
    reverse: bool = False  # y axes grow upwards: pixel 0 is the domain's top

    def _t(self, value: float) -> float:
        low, high = self.domain
        if self.log:
            return (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
        return (value - low) / (high - low)

    def to_px(self, value: float) -> float:
        t = self._t(float(value))
        return (1 - t if self.reverse else t) * self.pixels

    def from_px(self, px: float) -> float:
        t = px / self.pixels
        t = 1 - t if self.reverse else t
        low, high = self.domain
        if self.log:
            return 10 ** (math.log10(low) + t * (math.log10(high) - math.log10(low)))
        return low + t * (high - low)


def log_domain(low: float, high: float) -> tuple[float, float]:
    """The tightest 1-2-5 bounds around ``low``–``high`` for a log axis (5–2000 for 5–1225):
    whole decades (1–10000) leave most of the axis empty and crowd the points together."""
    def steps(value: float):
        decade = 10.0 ** math.floor(math.log10(value))
        return [decade * m for m in (1, 2, 5, 10)]
    bottom = max(v for v in steps(low) if v <= low * (1 + 1e-12))
    top = min(v for v in steps(high) if v >= high * (1 - 1e-12))
    return (bottom, top) if top > bottom else (bottom / 2, top * 2)


def dodge(xs: Sequence[float], ys: Sequence[float], x_axis: Axis, y_axis: Axis,
          size_px: float = 12.0, order: Sequence | None = None) -> list[float]:
    """The x values (data units) to draw markers at so that none overlaps another.

    Markers at the same x whose y positions are closer than ``size_px`` pixels (chained:
    a, b close and b, c close make one group) are set side by side, ``size_px`` apart,
    centred on their x, in the order of ``order`` (then y). The rest keep their x.
    """
    xs, ys = [float(x) for x in xs], [float(y) for y in ys]
    keys = list(order) if order is not None else [0] * len(xs)
    shown = list(xs)
    by_x: dict[float, list[int]] = {}
    for i, x in enumerate(xs):
        by_x.setdefault(x, []).append(i)
    for x, members in by_x.items():
        members.sort(key=lambda i: y_axis.to_px(ys[i]))
        groups, current = [], [members[0]]
        for i in members[1:]:
            if abs(y_axis.to_px(ys[i]) - y_axis.to_px(ys[current[-1]])) < size_px:
                current.append(i)
            else:
                groups.append(current)
                current = [i]
        groups.append(current)
        for group in groups:
            if len(group) == 1:
                continue
            group.sort(key=lambda i: (keys[i], ys[i]))
            centre = x_axis.to_px(x)
            for k, i in enumerate(group):
                shown[i] = x_axis.from_px(centre + (k - (len(group) - 1) / 2) * size_px)
    return shown


#: where a label may go, tried in this order: (dx, dy) from its marker's centre in pixels, and
#: the text's alignment (the text is drawn with baseline "middle")
LABEL_PLACES = {"left": (-8, 0, "right"), "right": (8, 0, "left"), "above": (0, -12, "center"),
                "below": (0, 12, "center"), "above-left": (-7, -11, "right"), "above-right": (7, -11, "left"),
                "below-left": (-7, 11, "right"), "below-right": (7, 11, "left")}
#: places further out, tried when no place next to the marker is free: a thin line then joins
#: the label to its marker (see :func:`leader_line`)
LEADER_PLACES = {"lead-above-left": (-34, -26, "right"), "lead-above-right": (34, -26, "left"),
                 "lead-below-left": (-34, 26, "right"), "lead-below-right": (34, 26, "left"),
                 "lead-above": (0, -34, "center"), "lead-below": (0, 34, "center")}
PLACES = {**LABEL_PLACES, **LEADER_PLACES}


def text_box(x_px: float, y_px: float, text: str, place: str, font_px: float = 11.0):
    """The pixel box (left, top, right, bottom) of ``text`` drawn at ``place`` from a marker at (x, y).

    Width is estimated at 0.6 of the font size per character, a little wider than Helvetica's
    average, so that the estimate errs towards keeping labels apart."""
    dx, dy, align = PLACES[place]
    width, height = 0.6 * font_px * len(text), 1.4 * font_px
    left = {"left": x_px + dx, "right": x_px + dx - width, "center": x_px + dx - width / 2}[align]
    top = y_px + dy - height / 2
    return (left, top, left + width, top + height)


def marker_box(x_px: float, y_px: float, size_px: float = 12.0):
    half = size_px / 2
    return (x_px - half, y_px - half, x_px + half, y_px + half)


def leader_line(place: str, font_px: float = 11.0) -> tuple[float, float, float, float] | None:
    """The line from a marker to its label at ``place``, as pixel offsets (x0, y0, x1, y1) from
    the marker's centre; None for a place next to the marker, which needs no line."""
    if place not in LEADER_PLACES:
        return None
    dx, dy, align = LEADER_PLACES[place]
    end_x = dx + {"right": 2, "left": -2, "center": 0}[align]
    end_y = dy if align != "center" else dy - math.copysign(0.7 * font_px, dy)
    length = math.hypot(end_x, end_y)
    return (end_x / length * 7, end_y / length * 7, end_x, end_y)


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _distance(box, x: float, y: float) -> float:
    return math.hypot(max(box[0] - x, 0, x - box[2]), max(box[1] - y, 0, y - box[3]))


def _crosses(line, box, steps: int = 20) -> bool:
    x0, y0, x1, y1 = line
    return any(box[0] <= x0 + (x1 - x0) * k / steps <= box[2] and box[1] <= y0 + (y1 - y0) * k / steps <= box[3]
               for k in range(steps + 1))


def place_labels(labels: Sequence[tuple[float, float, str]], markers: Sequence[tuple[float, float]],
                 width: float, height: float, size_px: float = 12.0, font_px: float = 11.0,
                 boxes: Sequence[tuple[float, float, float, float]] = ()) -> list[str]:
    """A place (a key of :data:`PLACES`) for each label ``(x_px, y_px, text)``.

    A label takes the first place next to its marker (:data:`LABEL_PLACES`) where its box
    covers no marker in ``markers`` (pixel centres) and no label placed before it, stays
    inside ``width`` × ``height``, and is nearer its own marker than any other (so it cannot
    be read as another's name). Failing that, the first place further out
    (:data:`LEADER_PLACES`, joined by a line) whose box and line cover nothing; failing
    that, the place that covers least. ``boxes`` are other marks to keep clear of (pixel
    boxes: a range line, say)."""
    obstacles = [marker_box(x, y, size_px) for x, y in markers] + [tuple(b) for b in boxes]
    placed, chosen = [], []
    for x, y, text in labels:
        best, best_cost = None, math.inf
        for place in PLACES:
            box = text_box(x, y, text, place, font_px)
            cost = sum(_overlap(box, o) for o in obstacles + placed)
            cost += 0 if box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height else 0.5
            line = leader_line(place, font_px)
            if line is None:
                own = _distance(box, x, y)
                cost += 0.25 * any(_distance(box, mx, my) < own for mx, my in markers
                                   if (mx, my) != (x, y))
            else:
                segment = (x + line[0], y + line[1], x + line[2], y + line[3])
                cost += sum(_crosses(segment, o) for o in obstacles if not _overlap(o, marker_box(x, y, size_px)))
                cost += 0.1  # a line is a little worse than a free place next to the marker
            if cost < best_cost:
                best, best_cost = place, cost
            if cost == 0:
                break
        chosen.append(best)
        placed.append(text_box(x, y, text, best, font_px))
    return chosen


def label_layers(frame, *, x, y, x_field: str, y_field: str, text_field: str, x_axis: Axis, y_axis: Axis,
                 font_px: float, color: str, line_color: str) -> list:
    """The altair layers that draw ``frame``'s labels at the places in its ``place`` column
    (from :func:`place_labels`): one text layer per place, and the lines to labels placed
    further out. ``x`` and ``y`` are the chart's position channels (their scales are shared);
    ``x_field``/``y_field`` hold each marker's drawn position in data units."""
    import altair as alt
    import pandas as pd

    layers = [alt.Chart(frame[frame["place"] == place]).mark_text(
        align=align, dx=dx, dy=dy, baseline="middle", fontSize=font_px, color=color).encode(
        x=x, y=y, text=f"{text_field}:N")
        for place, (dx, dy, align) in PLACES.items() if (frame["place"] == place).any()]
    rows = []
    for x_value, y_value, place in zip(frame[x_field], frame[y_field], frame["place"]):
        line = leader_line(place, font_px)
        if line is not None:
            px, py = x_axis.to_px(x_value), y_axis.to_px(y_value)
            rows.append({"x0": x_axis.from_px(px + line[0]), "y0": y_axis.from_px(py + line[1]),
                         "x1": x_axis.from_px(px + line[2]), "y1": y_axis.from_px(py + line[3])})
    if rows:
        def same(channel, field):   # the chart's scale, axis and title, on the line's own field
            return type(channel)(field, **{k: channel[k] for k in ("scale", "axis", "title") if k in channel._kwds
                                           and channel[k] is not alt.Undefined})

        layers.append(alt.Chart(pd.DataFrame(rows)).mark_rule(color=line_color, strokeWidth=1).encode(
            x=same(x, "x0:Q"), y=same(y, "y0:Q"), x2="x1:Q", y2="y1:Q"))
    return layers
