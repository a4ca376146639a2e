"""Accessible names for ipywidgets controls that do not have one.

ipywidgets ties a control's ``description`` to text boxes and drop-downs with
``<label for>``, but not to a slider: the slider's handle (``role="slider"``), the
editable number beside it and the group of a ``ToggleButtons`` reach a screen reader with
no name, so it hears "slider, 13.5" and not "Length (nm), slider, 13.5". And in
JupyterLab's notebook a key pressed on a focused control also reaches the notebook's
shortcuts: ArrowDown on a drop-down selects the next cell instead of the next option,
and "d d" deletes the cell.

Every course widget (:class:`chipcourse.widgets.Panel`) carries one invisible
:class:`ControlNames`, whose front-end code gives each of those elements its description
as ``aria-label`` (``aria-pressed`` on toggle buttons, too), marks every control with
Lumino's ``data-lm-suppress-shortcuts`` so its keys stay with it, and keeps doing so
when the widget redraws. It only adds attributes: the controls, their keys and their
values are ipywidgets' own.
"""

from __future__ import annotations

import anywidget
import ipywidgets

_ESM = r"""
function describe(row) {
  const label = row.querySelector(':scope > .widget-label');
  return label ? label.textContent.trim() : '';
}

function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function nameControls(root) {
  // keys pressed on a control go to the control: not to JupyterLab's notebook shortcuts, where
  // ArrowUp/ArrowDown would move to another cell and "d d" would delete this one
  for (const control of root.querySelectorAll('select, input, button, textarea, .noUi-handle, .widget-readout')) {
    setAttr(control, 'data-lm-suppress-shortcuts', 'true');
  }
  for (const row of root.querySelectorAll('.widget-inline-hbox')) {
    const text = describe(row);
    if (!text) continue;
    const handles = row.querySelectorAll('.noUi-handle');
    handles.forEach((handle, i) => setAttr(handle, 'aria-label',
      handles.length > 1 ? `${text} (${i === 0 ? 'from' : 'to'})` : text));
    const readout = row.querySelector('.widget-readout');
    if (readout) {
      setAttr(readout, 'role', 'textbox');
      setAttr(readout, 'aria-label', `${text}: type a value`);
    }
    const group = row.querySelector('.widget-toggle-buttons, .btn-group');
    if (group && row.classList.contains('widget-toggle-buttons')) {
      setAttr(group, 'role', 'group');
      setAttr(group, 'aria-label', text);
      for (const button of group.querySelectorAll('button')) {
        setAttr(button, 'aria-pressed', String(button.classList.contains('mod-active')));
      }
    }
  }
}

export default {
  render({ el }) {
    let observer = null;
    let tries = 0;
    const start = () => {
      const root = el.closest('.chipcourse-widget');
      if (!root) {
        if (tries++ < 200) setTimeout(start, 50);
        return;
      }
      nameControls(root);
      observer = new MutationObserver(() => nameControls(root));
      observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
    };
    start();
    return () => observer && observer.disconnect();
  },
};
"""


class ControlNames(anywidget.AnyWidget):
    """Invisible helper: names the sliders and toggle groups of the widget it sits in, and keeps
    its controls' keys from JupyterLab's notebook shortcuts."""

    _esm = _ESM

    def __init__(self, **kwargs):
        super().__init__(layout=ipywidgets.Layout(display="none"), **kwargs)
