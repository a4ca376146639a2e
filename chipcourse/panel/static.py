"""The static copy of a course widget, for pages where no kernel runs (see :class:`Panel`).

It lists the widget's settings with their current values and repeats its output (the
result text and, with ``CHIPCOURSE_CHARTS=svg``, the chart as SVG), under the same title
and instruction as the live widget and a note that it is interactive in JupyterLab.
"""

from __future__ import annotations

import html

import ipywidgets

from ..charting import NO_MATHS


def head_html(title: str, intro: str) -> str:
    """A widget's title and instruction as HTML."""
    # h3: widgets sit in a lesson's h2 sections (or after an h3), so no heading level is skipped
    return (f"<h3 style='margin:0.2em 0;font-size:1.1em'>{html.escape(title)}</h3>"
            f"<p style='margin:0.2em 0'>{html.escape(intro)}</p>")


def descendants(widget, kinds=ipywidgets.Widget) -> list:
    """Every widget inside ``widget`` (itself included) that is an instance of ``kinds``,
    in the order they appear on screen. Used by the tests and the latency benchmarks."""
    found, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, kinds):
            found.append(w)
        stack.extend(reversed(getattr(w, "children", ())))
    return found


def static_copy(panel) -> str:
    """A :class:`chipcourse.widgets.Panel` as plain HTML."""
    parts, settings = [], []
    for widget in (w for c in panel.controls for w in descendants(c)):
        name, value = _setting(widget)
        if name:
            settings.append(f"<li>{html.escape(name)}: {html.escape(value)}</li>")
        elif isinstance(widget, (ipywidgets.HTML, ipywidgets.HTMLMath)):  # e.g. a quiz question
            parts.append(_static_output(widget))
    listed = f"<ul class='{NO_MATHS}'>{''.join(settings)}</ul>" if settings else ""
    shown = "".join(_static_output(w) for w in panel.outputs)
    return (f"<div class='chipcourse-widget chipcourse-static'>"
            f"{head_html(panel.title, panel.intro)}"
            f"<p><em>An interactive widget: open the lesson in JupyterLab to use it. "
            f"Shown here as it starts.</em></p>{listed}{''.join(parts)}{shown}</div>")


def _setting(control) -> tuple[str, str]:
    """(description, value as shown) of a control, or ("", "") for buttons, labels and boxes."""
    name = getattr(control, "description", "")
    if not name or isinstance(control, (ipywidgets.Button, ipywidgets.Box)) or not hasattr(control, "value"):
        return "", ""
    value = control.value
    if hasattr(control, "label") and isinstance(control.label, tuple):   # multiple selection
        return name, ", ".join(control.label) or "none"
    if hasattr(control, "label") and control.label is not None:            # drop-down, toggle buttons
        return name, str(control.label)
    if isinstance(value, tuple):                                            # a range
        return name, " to ".join(str(v) for v in value)
    fmt = getattr(control, "readout_format", "")
    try:
        return name, format(value, fmt) if fmt else str(value)
    except (TypeError, ValueError):
        return name, str(value)


def _static_output(widget) -> str:
    """The HTML a widget shows: formulas typeset for HTMLMath, and for HTML plain text, where
    two dollar amounts must not become a formula."""
    if isinstance(widget, ipywidgets.HTMLMath):
        return widget.value
    if isinstance(widget, ipywidgets.HTML):
        return f"<div class='{NO_MATHS}'>{widget.value}</div>"
    if isinstance(widget, ipywidgets.Box):
        return "".join(_static_output(w) for w in widget.children)
    return ""
