"""A widget that tells the kernel how wide its box is in the browser, so a story can give narrow
screens their own layout (not a squeezed desktop one) and switch when the box is resized."""

from __future__ import annotations

import anywidget
import traitlets

STEP_PX = 1
"""Width changes smaller than this (CSS px) are not reported."""
THROTTLE_MS = 100
"""While a box is being resized, its width is reported at most this often (the last one wins)."""

_ESM = f"""
export default {{
  render({{ model, el }}) {{
    Object.assign(el.style, {{width: "100%", height: "0", margin: "0", padding: "0"}});
    let timer = null;
    const send = () => {{
      timer = null;
      const width = Math.floor(el.getBoundingClientRect().width);
      if (width > 0 && Math.abs(width - model.get("width")) >= {STEP_PX}) {{
        model.set("width", width);
        model.save_changes();
      }}
    }};
    const report = () => {{ if (timer === null) timer = setTimeout(send, {THROTTLE_MS}); }};
    const watch = new ResizeObserver(report);
    watch.observe(el);
    report();
    return () => {{ watch.disconnect(); clearTimeout(timer); }};
  }},
}};
"""


class BoxWidth(anywidget.AnyWidget):
    """An invisible, full-width widget whose ``width`` trait is the width of its box in CSS
    pixels (rounded down), as the browser lays it out: 0 until a browser has drawn it (in tests,
    a static export). Observe ``width`` to follow resizes (reported at most every
    :data:`THROTTLE_MS`). The last browser view to report wins when several show it."""

    _esm = _ESM
    width = traitlets.Int(0).tag(sync=True)
