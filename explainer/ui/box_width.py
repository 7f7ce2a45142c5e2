"""A widget that tells the kernel how wide its box is in the browser, so a story can give narrow
screens their own layout (not a squeezed desktop one) and switch when the box is resized."""

from __future__ import annotations

import anywidget
import traitlets

STEP_PX = 8
"""Width changes smaller than this (CSS px) are not reported: scroll bars coming and going."""

_ESM = f"""
export default {{
  render({{ model, el }}) {{
    Object.assign(el.style, {{width: "100%", height: "0", margin: "0", padding: "0"}});
    const report = () => {{
      const width = Math.round(el.getBoundingClientRect().width);
      if (width > 0 && Math.abs(width - model.get("width")) >= {STEP_PX}) {{
        model.set("width", width);
        model.save_changes();
      }}
    }};
    const watch = new ResizeObserver(report);
    watch.observe(el);
    report();
    return () => watch.disconnect();
  }},
}};
"""


class BoxWidth(anywidget.AnyWidget):
    """An invisible, full-width widget whose ``width`` trait is the width of its box in CSS
    pixels, as the browser lays it out (0 until a browser has drawn it, e.g. in tests or a
    static export). Observe ``width`` to follow resizes; changes under :data:`STEP_PX` are
    not reported. The last browser view to report wins when several show it."""

    _esm = _ESM
    width = traitlets.Int(0).tag(sync=True)
