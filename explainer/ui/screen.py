"""The size of the screen a widget is shown on, told to the kernel, so an app can lay itself out
for a phone or a projector (a plotly map's aspect and the tab titles are decided in Python)."""

from __future__ import annotations

import anywidget
import traitlets

NARROW_PX = 600
"""Boxes narrower than this (CSS px) get the narrow (phone) layout."""


def is_narrow(width_px: int) -> bool:
    """True for a box ``width_px`` CSS px wide that gets the narrow (phone) layout; 0 means no
    browser has told the width yet (the wide layout)."""
    return 0 < width_px < NARROW_PX

_PROBE_ESM = r"""
function render({ model, el }) {
  Object.assign(el.style, {width: "100%", height: "0", margin: "0", padding: "0", overflow: "hidden"});
  let pending = null;
  const report = () => {
    pending = null;
    const width = Math.round(el.getBoundingClientRect().width);
    const height = Math.round(window.innerHeight);
    if (width > 0 && (width !== model.get("width") || height !== model.get("screen_height"))) {
      model.set({width, screen_height: height});
      model.save_changes();
    }
  };
  // a hidden tab measures 0: wait until it is shown; while a window is being resized, report
  // once it rests
  const watch = new ResizeObserver(() => {
    if (model.get("width") === 0) report();
    else if (pending === null) pending = setTimeout(report, 150);
  });
  watch.observe(el);
  return () => { watch.disconnect(); clearTimeout(pending); };
}
export default { render };
"""


class WidthProbe(anywidget.AnyWidget):
    """An invisible widget reporting the width of the box it sits in and the height of the
    browser window, in CSS px (0 until a browser shows it). Observe ``width`` to re-lay out."""

    _esm = _PROBE_ESM
    width = traitlets.Int(0).tag(sync=True)
    screen_height = traitlets.Int(0).tag(sync=True)

    @property
    def narrow(self) -> bool:
        """True once a browser has shown the probe in a box narrower than :data:`NARROW_PX`."""
        return is_narrow(self.width)
