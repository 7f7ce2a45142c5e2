"""Controls shared by the kit's apps: a player that moves a slider at a steady rate, with buttons a
keyboard and a screen reader can use.

ipywidgets' ``Play`` draws three icon-only buttons (keyboard focus lands on buttons with no name),
its Stop jumps back to the start, and it steps once per timer tick *after* the page has finished
its work, so a busy page plays slower than its interval promises. :class:`Player` draws named
buttons (Play/Pause, Reset, Repeat), pauses where it is, and moves by the wall clock: the value
advances ``rate`` units per second of real time however long each step takes to draw.
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

_PLAYER_ESM = r"""
function render({ model, el }) {
  el.classList.add("oe-player");
  el.setAttribute("role", "group");
  el.setAttribute("aria-label", model.get("label"));
  const button = (name) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `jupyter-button oe-player-${name}`;
    Object.assign(b.style, {width: "auto", padding: "0 0.7em"});  // as wide as its label
    el.appendChild(b);
    return b;
  };
  const play = button("play"), reset = button("reset"), repeat = button("repeat");
  const label = (b, icon, text, title) => {
    b.innerHTML = "";
    const i = document.createElement("span");
    i.setAttribute("aria-hidden", "true");
    i.textContent = icon + " ";
    b.append(i, text);
    b.title = title;
  };
  let timer = null, t0 = 0, v0 = 0, own = false;
  const setValue = (v) => {
    own = true;
    model.set("value", v);
    model.save_changes();
    own = false;
  };
  const tick = () => {
    const min = model.get("min"), max = model.get("max");
    const v = v0 + Math.floor(model.get("rate") * (performance.now() - t0) / 1000);
    if (v < max) {
      if (v !== model.get("value")) setValue(v);
    } else if (model.get("repeat")) {
      t0 = performance.now();
      v0 = min;
      setValue(min);
    } else {
      setValue(max);
      model.set("playing", false);
      model.save_changes();
    }
  };
  const halt = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const start = () => {
    halt();
    if (model.get("value") >= model.get("max")) setValue(model.get("min"));
    t0 = performance.now();
    v0 = model.get("value");
    timer = setInterval(tick, model.get("interval"));
  };
  const draw = () => {
    const playing = model.get("playing");
    label(play, playing ? "\u275a\u275a" : "\u25b6", playing ? "Pause" : "Play",
          playing ? "Pause here" : `Play: ${model.get("rate_text")}`);
    label(reset, "\u21e4", "Reset", `Pause and go back to ${model.get("reset_text")}`);
    label(repeat, "\u21bb", "Repeat", "Start again from the beginning after the end");
    repeat.setAttribute("aria-pressed", String(model.get("repeat")));
    repeat.classList.toggle("mod-active", model.get("repeat"));
  };
  play.onclick = () => {
    model.set("playing", !model.get("playing"));
    model.save_changes();
  };
  reset.onclick = () => {
    model.set("playing", false);
    setValue(model.get("reset_value"));
  };
  repeat.onclick = () => {
    model.set("repeat", !model.get("repeat"));
    model.save_changes();
  };
  const onPlaying = () => {
    if (model.get("playing")) start(); else halt();
    draw();
  };
  // a jump made elsewhere (the slider, a button) while playing: play on from there
  const onValue = () => {
    if (!own && timer !== null) {
      t0 = performance.now();
      v0 = model.get("value");
    }
  };
  model.on("change:playing", onPlaying);
  model.on("change:value", onValue);
  model.on("change:repeat change:rate_text change:reset_text", draw);
  draw();
  if (model.get("playing")) start();
  return () => {
    halt();
    model.off("change:playing", onPlaying);
    model.off("change:value", onValue);
    model.off("change:repeat change:rate_text change:reset_text", draw);
  };
}
export default { render };
"""


class Player(anywidget.AnyWidget):
    """Play/Pause, Reset and Repeat buttons that move ``value`` from ``min`` to ``max`` at
    ``rate`` units per second of real time (the browser's clock), one step every ``interval``
    ms. Pause keeps the value; Reset pauses and goes back to ``reset_value``. Link ``value`` to a
    slider with :func:`play_controls`."""

    _esm = _PLAYER_ESM
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    rate = traitlets.Float(1.0, help="units of value per second of real time").tag(sync=True)
    interval = traitlets.Int(100, help="ms between two steps").tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    repeat = traitlets.Bool(False).tag(sync=True)
    reset_value = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("Play controls", help="accessible name of the group").tag(sync=True)
    rate_text = traitlets.Unicode("", help="what one second of playing covers, for the tooltip").tag(sync=True)
    reset_text = traitlets.Unicode("the start", help="where Reset goes, for the tooltip").tag(sync=True)


def play_controls(slider: widgets.IntSlider, rate: float, rate_text: str, label: str,
                  reset_value: int | None = None, reset_text: str = "the start",
                  interval_ms: int = 100) -> tuple[Player, widgets.Box]:
    """A :class:`Player` driving ``slider`` and a box holding both (the buttons, then the slider,
    which moves to a row of its own on a narrow screen).

    Parameters
    ----------
    slider
        The slider to move; the player's value is linked to it in the browser (no kernel round
        trip per step).
    rate
        Slider units per second of real time while playing (e.g. 100 for 100 s of flight per
        second on a slider in seconds).
    rate_text
        The same in words, for the Play button's tooltip ("100 s of flight per second").
    label
        Accessible name of the group of buttons ("Play the flight").
    reset_value, reset_text
        Where Reset goes (default the slider's minimum) and how to say it ("T−10 min").
    interval_ms
        Time between two steps in ms.
    """
    player = Player(value=slider.value, min=slider.min, max=slider.max, rate=rate,
                    interval=interval_ms, reset_value=slider.min if reset_value is None else reset_value,
                    label=label, rate_text=rate_text, reset_text=reset_text)
    widgets.jslink((player, "value"), (slider, "value"))
    slider.layout.flex = "1 1 240px"
    slider.layout.min_width = "0"
    box = widgets.Box([player, slider], layout=widgets.Layout(
        display="flex", flex_flow="row wrap", align_items="center", width="100%"))
    return player, box
