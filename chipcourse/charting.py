"""The chart machinery every lesson shares: one course style, shown offline, each chart
with its source and a text version. (Each lesson's own chart builders are in
``chipcourse/lessons/<topic>/charts.py``; notebooks reach both through
:mod:`chipcourse.charts`.)

:func:`show` is how every chart reaches the screen. It picks one of two renderings:

``interactive`` (a learner in JupyterLab)
    an :class:`altair.JupyterChart` widget in offline mode: Vega's JavaScript comes from
    the installed ``vl-convert`` package, not from a CDN, and tooltips, selections and
    parameters work. The JavaScript bundle takes a second or two to build, so it is
    cached on disk the first time (:func:`offline_bundle`).
``svg`` (nbgrader grading, static pages, headless runs)
    a static SVG drawn by ``vl-convert`` inside a ``<figure>``: small, self-contained and
    readable in nbgrader's HTML feedback.

The choice is automatic (``svg`` while nbgrader executes a notebook, otherwise
``interactive``) and can be forced with the environment variable
``CHIPCOURSE_CHARTS=svg`` or ``=interactive``. We chose this deliberately over
altair's default renderer, which loads Vega from a CDN and shows "Error loading
script" offline, and over the inline-HTML renderer, which puts about 0.9 MB of
JavaScript into every output.

Every chart carries a caption with its data source and a short description in words
(the SVG's ``aria-label`` and a "Chart in words" note under it).
"""

from __future__ import annotations

import functools
import html
import os
import re
import sys
from pathlib import Path

__all__ = ["PALETTE", "TEXT", "MUTED_TEXT", "OUTLINE", "NO_MATHS", "theme", "mode", "show", "prepare", "svg",
           "offline_bundle", "Figure", "ChartError", "compiled", "with_rows", "described"]


@functools.cache
def _import_altair():
    """altair, imported the first time a chart is built (it takes about 2 s, so the
    setup line does not pay it). jsonschema's optional ``rfc3987_syntax`` check is kept
    out while altair loads: it builds a grammar for 1.4 s at import, and only validates
    the ``iri`` formats, which the Vega-Lite schema never uses (``uri`` is still checked)."""
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import altair
        return altair
    sys.modules["rfc3987_syntax"] = None  # makes `import rfc3987_syntax` fail, which jsonschema expects
    try:
        import altair
    finally:
        del sys.modules["rfc3987_syntax"]
    return altair


class _LazyAltair:
    """Stands for the ``altair`` module (``alt.Chart``, ...) and imports it on first use."""

    def __getattr__(self, name: str):
        return getattr(_import_altair(), name)


#: ``altair``, imported when first used: modules that build charts do ``from chipcourse.charting import alt``
alt = _LazyAltair()

#: Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008) with its yellow (#F0E442,
#: 1.3:1 against white: nearly invisible) replaced by Paul Tol's wine (#882255), which keeps every pair
#: apart for protanopia, deuteranopia and tritanopia (tests/test_palette.py simulates them).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255", "#000000"]
#: Text in charts: labels and notes (12.6:1 against white), and quieter notes (7.5:1); both pass
#: WCAG's 4.5:1 for text. Marks in colour do not carry text.
TEXT = "#333333"
MUTED_TEXT = "#555555"
#: the point and bar outline that gives light palette colours a 3:1 edge against white (WCAG 1.4.11)
OUTLINE = "#333333"


class ChartError(ValueError):
    """A chart was asked for without the source or description every chart needs."""


def theme() -> dict:
    """The course's Vega-Lite config: readable fonts, the palette, no chart border."""
    return {
        "font": "Helvetica, Arial, sans-serif",
        "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 300},
        "range": {"category": PALETTE},
        "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e6e6e6",
                 "labelColor": TEXT, "titleColor": TEXT},
        "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": TEXT, "titleColor": TEXT},
        "title": {"fontSize": 15, "anchor": "start", "color": TEXT, "subtitleColor": MUTED_TEXT},
        "mark": {"color": PALETTE[0]},
        "point": {"stroke": OUTLINE, "strokeWidth": 0.75},
        "bar": {"stroke": OUTLINE, "strokeWidth": 0.5},
    }


def mode() -> str:
    """``"svg"`` or ``"interactive"``: how :func:`show` renders in this process."""
    forced = os.environ.get("CHIPCOURSE_CHARTS", "").strip().lower()
    if forced in ("svg", "interactive"):
        return forced
    return "svg" if os.environ.get("NBGRADER_EXECUTION") else "interactive"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chipcourse"


@functools.lru_cache(maxsize=1)
def offline_bundle() -> str:
    """The JupyterChart JavaScript with Vega bundled in (built once, then read from disk)."""
    import vl_convert

    path = _cache_dir() / f"jupyterchart-altair{alt.__version__}-vlc{vl_convert.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    alt.JupyterChart.enable_offline()
    bundle = alt.JupyterChart._esm
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return bundle


def _go_offline() -> None:
    if not alt.JupyterChart._is_offline:
        alt.JupyterChart._esm = offline_bundle()
        alt.JupyterChart._is_offline = True


#: HTML class that keeps MathJax (JupyterLab's and the static edition's) from reading the
#: dollar signs of "$8 billion ... $6 billion" as the edges of a formula
NO_MATHS = "tex2jax_ignore mathjax_ignore"


def _caption_html(description: str, source: str) -> str:
    # line-height: in JupyterLab the caption sits in a widget whose line height is a control's
    # (28 px), which double-spaced a caption that wraps
    return (
        f'<figcaption class="{NO_MATHS}" style="font-size:0.85em;color:#444;max-width:42em;line-height:1.4">'
        f"{html.escape(source)}"
        f"<details><summary>Chart in words</summary><p>{html.escape(description)}</p></details>"
        f"</figcaption>"
    )


class Figure:
    """A chart drawn as static SVG with its caption; displays as HTML in any frontend."""

    def __init__(self, svg: str, description: str, source: str):
        self.svg, self.description, self.source = svg, description, source

    def _repr_html_(self) -> str:
        # the picture is one image named by its description; the caption (source, and the
        # description again under "Chart in words") stays readable and focusable beside it
        label = html.escape(self.description, quote=True)
        picture = re.sub(r"^\s*<svg\b", f'<svg role="img" aria-label="{label}"', self.svg, count=1)
        return (f'<figure class="chipcourse-chart" style="margin:0">{picture}'
                f"{_caption_html(self.description, self.source)}</figure>")

    def __repr__(self) -> str:
        return f"<chart: {self.description} ({self.source})>"


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart drawn as SVG text by vl-convert (no browser, no network)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.vegalite_to_svg(chart.to_json(), vl_version=vl_version_for_vl_convert())


def prepare(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    """Apply the course theme and the accessible description to a chart."""
    if not isinstance(description, str) or not description.strip():
        raise ChartError("Every chart needs a short description in words (description=...).")
    return chart.properties(description=description).configure(**theme())


def compiled(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec :func:`show` sends for a builder's ``chart`` (theme and description applied)."""
    return prepare(chart, chart.description).to_dict()


def with_rows(spec: dict, frame) -> dict:
    """A copy of a compiled ``spec`` that draws ``frame``'s rows in place of its main table's.

    The main table is the dataset whose fields are all columns of ``frame`` (the widest
    one); its encodings, scales and text stay as they are. A widget that only filters
    rows redraws this way in about a millisecond, where rebuilding the chart in altair
    (which validates every encoding) takes tens of milliseconds.
    """
    from altair.utils.data import to_values

    columns = set(frame.columns)
    fitting = [(len(rows[0]), name) for name, rows in spec.get("datasets", {}).items()
               if rows and set(rows[0]) <= columns]
    if not fitting:
        raise ValueError("The chart has no table with these columns to redraw.")
    name = max(fitting)[1]
    fields = list(spec["datasets"][name][0])
    return {**spec, "datasets": {**spec["datasets"], name: to_values(frame[fields])["values"]}}


def described(chart, description: str, tables: list[str], source: str | None = None) -> alt.TopLevelMixin:
    """Attach a builder's description and the tables it draws from (read by :func:`show`).

    ``source`` replaces the caption :func:`show` would build from the tables, for a chart that
    draws only some rows of a table and cites those rows' own sources.
    """
    meta = {"tables": tables, **({"source": source} if source else {})}
    return chart.properties(description=description, usermeta=meta)


def _source_of(chart) -> str | None:
    from . import data

    meta = chart.usermeta if chart.usermeta is not alt.Undefined else {}
    if isinstance(meta, dict) and isinstance(meta.get("source"), str):
        return meta["source"]
    tables = meta.get("tables") if isinstance(meta, dict) else None
    return "; ".join(data.citation(t) for t in tables) if tables else None


def show(chart: alt.TopLevelMixin, *, description: str | None = None, source: str | None = None):
    """Render ``chart`` with its source caption and description (see module doc).

    Charts from the lessons' builders carry both (see :func:`described`), so ``charts.show(charts.x(...))`` is
    enough; other charts must pass ``description`` and ``source`` (usually
    ``data.citation(table)``). Returns an ipywidget (interactive) or a :class:`Figure`
    (svg); the notebook cell displays whichever it gets.
    """
    if description is None and isinstance(chart.description, str):
        description = chart.description
    if source is None:
        source = _source_of(chart)
    if not isinstance(source, str) or not source.strip():
        raise ChartError("Every chart needs its data source (source=data.citation(...)).")
    chart = prepare(chart, description)
    if mode() == "svg":
        return Figure(svg(chart), description, source)
    import ipywidgets

    _go_offline()
    # no actions menu: its icon-only button has no accessible name, and "Open in Vega Editor" goes online
    widget = alt.JupyterChart(chart, embed_options={"actions": False})
    caption = ipywidgets.HTML(_caption_html(description, source))
    box = ipywidgets.VBox([widget, caption])
    box.add_class("chipcourse-chart")
    box.chart = widget
    return box
