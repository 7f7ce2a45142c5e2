"""Layout checks measured in the DOM of a page in a real browser: text that overlaps other text,
elements cut off, figures that do not fill their box. Any door (``explainer dashboard``, Binder's
``/voila/render/``, JupyterLab) can run them on its own page: :func:`layout_report` returns
what is wrong, :func:`save_screenshot` keeps a picture for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

WIDTHS = (360, 390, 768, 1366, 1920)
"""Screen widths (CSS px) every door is checked at: two phones, a tablet, a laptop, a projector."""
HEIGHTS = {360: 740, 390: 844, 768: 1024, 1366: 768, 1920: 1080}

ARTIFACTS_ENV = "EXPLAINER_TEST_ARTIFACTS"
"""Folder for screenshots (default ``tests/artifacts/``, ignored by git)."""

LAYOUT_REPORT = r"""
(options) => {
  const tol = options.tolerance;
  const vw = document.documentElement.clientWidth;
  const shown = el => el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const describe = el => {
    const cls = (el.getAttribute('class') || '').split(/\s+/).filter(Boolean).slice(0, 3).join('.');
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '');
  };
  const within = (el) => !options.root || el.closest(options.root);
  const boxes = [];
  // text in HTML: one box per line of each text node
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg, script, style, noscript, title')) continue;
    if (!within(el) || !shown(el)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5) boxes.push({el, text: node.textContent.trim(), r});
    }
  }
  // text in SVG (plotly's titles, labels, legends, ticks)
  for (const el of document.querySelectorAll('svg text')) {
    if (!el.textContent.trim() || !within(el) || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0.5 && r.height > 0.5) boxes.push({el, text: el.textContent.trim(), r});
  }
  // text in form controls (their value or label is drawn inside them)
  for (const el of document.querySelectorAll('input[type=text], select, textarea')) {
    if (!within(el) || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0.5) boxes.push({el, text: '<' + describe(el) + '>', r, control: true});
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > tol && h > Math.max(tol, 0.25 * Math.min(a.r.height, b.r.height))) {
        if (a.control && b.control) continue;
        overlaps.push(`${JSON.stringify(a.text.slice(0, 40))} (${describe(a.el)}) overlaps `
                      + `${JSON.stringify(b.text.slice(0, 40))} (${describe(b.el)}) by ${w.toFixed(0)}x${h.toFixed(0)} px`);
      }
    }
  }
  // the box an SVG clip path (plotly clips maps and plot areas) leaves visible, in client px
  const clipBox = (el) => {
    const c = el.closest('[clip-path]');
    const id = c && /url\(["']?#([^"')]+)/.exec(c.getAttribute('clip-path'));
    const shape = id && document.getElementById(id[1])?.querySelector('rect');
    if (!shape) return null;
    const ctm = c.getScreenCTM();
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map(k => shape[k].baseVal.value);
    const a = new DOMPoint(x, y).matrixTransform(ctm), b = new DOMPoint(x + w, y + h).matrixTransform(ctm);
    return {left: Math.min(a.x, b.x), right: Math.max(a.x, b.x), top: Math.min(a.y, b.y), bottom: Math.max(a.y, b.y)};
  };
  const clipped = [];
  // text outside the screen, or outside an ancestor that hides its overflow
  for (const {el, text, r, control} of boxes) {
    if (control) continue;
    const clip = el instanceof SVGElement && clipBox(el);
    if (clip) {
      const inside = r.left >= clip.left - tol && r.right <= clip.right + tol && r.top >= clip.top - tol && r.bottom <= clip.bottom + tol;
      const outside = r.right <= clip.left || r.left >= clip.right || r.bottom <= clip.top || r.top >= clip.bottom;
      if (!inside && !outside) {
        clipped.push(`${JSON.stringify(text.slice(0, 40))} (${describe(el)}) is cut off by the edge of its plot`);
        continue;
      }
      if (outside) continue;  // not drawn at all (e.g. a place off the map)
    }
    if (r.left < -tol || r.right > vw + tol) {
      clipped.push(`${JSON.stringify(text.slice(0, 40))} (${describe(el)}) runs off the screen: ${r.left.toFixed(0)}..${r.right.toFixed(0)} of ${vw} px`);
      continue;
    }
    const svg = el.closest('svg');
    let scrolls = false;
    for (let up = svg || el.parentElement; up && up !== document.body; up = up.parentElement) {
      // text below a box that scrolls vertically (a tab panel, the page) is shown by scrolling,
      // whatever its outer boxes hide; a box that hides or scrolls its overflow sideways cuts
      // text off on a phone
      const style = getComputedStyle(up);
      const cutX = up === svg || style.overflowX !== 'visible';
      const cutY = up === svg || (!scrolls && ['hidden', 'clip'].includes(style.overflowY));
      scrolls = scrolls || ['auto', 'scroll'].includes(style.overflowY);
      if (!cutX && !cutY) continue;
      const box = up.getBoundingClientRect();
      if ((cutX && (r.left < box.left - tol || r.right > box.right + tol))
          || (cutY && (r.top < box.top - tol || r.bottom > box.bottom + tol))) {
        clipped.push(`${JSON.stringify(text.slice(0, 40))} (${describe(el)}) is cut off by ${describe(up)}`);
        break;
      }
    }
  }
  // boxes whose content is wider than the box (truncated with an ellipsis, or a scroll bar)
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !within(el) || !shown(el)) continue;
    if (el.scrollWidth > el.clientWidth + tol && getComputedStyle(el).overflowX !== 'visible'
        && el.clientWidth > 0 && el.textContent.trim()) {
      clipped.push(`${describe(el)} ${JSON.stringify(el.textContent.trim().slice(0, 40))} is ${el.scrollWidth} px wide in a ${el.clientWidth} px box`);
    }
  }
  if (document.documentElement.scrollWidth > vw + tol) {
    clipped.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${vw} px screen`);
  }
  // figures: as wide as their box, and the drawing fills the figure
  const figures = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    if (!within(plot) || !shown(plot)) continue;
    const svg = plot.querySelector('.main-svg');
    const box = plot.parentElement.getBoundingClientRect();
    const fig = svg.getBoundingClientRect();
    const areas = [...plot.querySelectorAll('.geo > .bg rect, .geo .bg, .cartesianlayer .bg, .draglayer .nsewdrag')]
      .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
    const drawn = areas.length ? {
      top: Math.min(...areas.map(r => r.top)), bottom: Math.max(...areas.map(r => r.bottom)),
      left: Math.min(...areas.map(r => r.left)), right: Math.max(...areas.map(r => r.right)),
    } : null;
    figures.push({
      name: (plot.closest('[class*="-map"], [class*="-schematic"], [class*="-timeline"], [class*="-chart"]') || plot).className,
      width: fig.width, height: fig.height, boxWidth: box.width,
      plotTop: drawn && drawn.top - fig.top, plotBottom: drawn && fig.bottom - drawn.bottom,
      plotWidth: drawn && drawn.right - drawn.left, plotHeight: drawn && drawn.bottom - drawn.top,
    });
    if (Math.abs(fig.width - box.width) > tol) {
      clipped.push(`a figure is ${fig.width.toFixed(0)} px wide in a ${box.width.toFixed(0)} px box`);
    }
  }
  return {overlaps, clipped, figures};
}
"""


def layout_report(page, root: str | None = None, tolerance: float = 2.0) -> dict:
    """What is wrong with the layout of ``page`` as shown now (inside the CSS selector ``root`` if
    given): ``overlaps`` (text boxes overlapping other text), ``clipped`` (text cut off or off the
    screen, boxes narrower than their content, a page wider than the screen, figures not as wide
    as their box), each a list of readable sentences, and ``figures`` (each visible plotly figure's
    size in px and the blank space above and below its plot area). ``tolerance`` is in CSS px."""
    return page.evaluate(LAYOUT_REPORT, {"root": root, "tolerance": tolerance})


def resize_window(page, width: int, height: int) -> None:
    """Resize the browser window to ``width`` x ``height`` CSS px and let the page render a frame
    at the new size, as a visible browser does at once. Headless Chromium changes the viewport
    without drawing a frame until the page asks for one, so resize observers (the kit's width
    probe, plotly's loader) would not hear of the new size: JupyterLab's ISS map stayed 641 px wide
    in a 568 px box in 2 of 3 runs (the same has been seen by others: siemens/element#462)."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def artifacts_dir() -> Path:
    """The folder for test artifacts: ``$EXPLAINER_TEST_ARTIFACTS`` or ``tests/artifacts``."""
    folder = Path(os.environ.get(ARTIFACTS_ENV) or Path(__file__).resolve().parents[1] / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_screenshot(page, *name_parts, scroller: str | None = None) -> Path:
    """A PNG of the whole of ``page`` (not just the window) in :func:`artifacts_dir`, named from
    ``name_parts``. With ``scroller`` (the selector of the box a long document scrolls in, such as a
    JupyterLab notebook's), the document from its top, in as many PNGs (``-1``, ``-2``, ...) as its
    length needs; the first one's path is returned."""
    name = re.sub(r"[^\w.-]+", "-", "-".join(str(p) for p in name_parts)).strip("-").lower()
    path = artifacts_dir() / "layout" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Voila and JupyterLab scroll inside a box, not the page: grow the window to the content
    # for the picture (only its height changes, so nothing is laid out again)
    size = page.viewport_size
    tall = page.evaluate("""() => Math.max(innerHeight, ...[...document.querySelectorAll('*')]
        .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
        .map(e => e.scrollHeight + e.getBoundingClientRect().top))""")
    resize_window(page, size["width"], min(int(tall) + 20, 8000))
    try:
        if scroller is None:
            page.screenshot(path=str(path), full_page=True)
            return path
        box = page.locator(scroller).first
        box.evaluate("e => { e.scrollTop = 0; }")
        for part in range(1, 100):
            page.wait_for_timeout(300)  # let a windowed notebook draw the cells scrolled in
            page.screenshot(path=str(path.with_name(f"{name}-{part}.png")), full_page=True)
            if box.evaluate("e => { const top = e.scrollTop; e.scrollTop += e.clientHeight - 40;"
                            " return e.scrollTop === top; }"):
                break
        return path.with_name(f"{name}-1.png")
    finally:
        resize_window(page, size["width"], size["height"])
