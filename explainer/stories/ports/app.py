"""The ports app: a date slider (end of each UTC day, Dec 1998 to the coverage end) with play
and jump buttons, the station schematic, a numbered list of the ports and the arm, a text
alternative that follows the slider, and the honest frame of the "all eight" record."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd

from explainer.astro.timeutil import parse_time
from explainer.data.docking import COVERAGE_END, load_ports
from explainer.ui.controls import play_controls

from .occupancy import default_data, first_stay_start, ms28_docking, occupancy_series, state_at
from .queries import claim_check
from .schematic import BOX_CLASS, NARROW_CSS, apply_state, module_windows, schematic_figure
from .text import day_text, describe_state, full_text, join, words

PLAY_RATE_DAYS = 120
"""Days of station history per second of real time while playing: Dec 1998 to 2025 in about
80 s, slow enough to see each vehicle arrive."""


def record_html() -> str:
    """One paragraph: the first time eight, not the first time the station was full."""
    check = claim_check()
    earlier = check.earlier_full
    text = f"<b>The record:</b> {full_text(check).replace('**', '')}."
    if len(earlier):
        top = earlier[earlier.usable_ports == earlier.usable_ports.max()]
        text += (f" It was the first time <b>eight</b> vehicles were on ports, not the first "
                 f"time the station was full: every port that could take a vehicle was already "
                 f"occupied {words(len(earlier))} times before, the fullest with "
                 f"{words(int(top.usable_ports.iloc[0]))} usable ports (from "
                 f"{join([day_text(t) for t in top.start])}).")
    return f"<p class='ports-record'>{html.escape(text).replace('&lt;b&gt;', '<b>').replace('&lt;/b&gt;', '</b>')}</p>"


class PortsApp:
    """``widget`` is what a notebook displays; ``show(i)`` moves to day ``i``."""

    def __init__(self):
        self.ports = load_ports()
        self.days = pd.date_range(first_stay_start().normalize(), COVERAGE_END.normalize(),
                                  freq="D")
        self.windows = module_windows(default_data())
        n = len(self.days)
        docking = ms28_docking()
        first_day = self.index_of(docking)
        self.state = state_at(self.time_of(first_day))
        self.schematic = schematic_figure(self.state, self.windows)
        self.schematic.add_class("ports-schematic")
        change_days = pd.DatetimeIndex(occupancy_series().time).normalize().unique()
        self._changes = np.searchsorted(self.days, change_days)
        self.slider = widgets.IntSlider(
            value=first_day, min=0, max=n - 1, step=1, description="Date",
            readout=False, continuous_update=True, layout=widgets.Layout(width="100%"),
            style={"description_width": "40px"},
        )
        self.slider.add_class("ports-date")
        self.date_label = widgets.HTML()
        self.play, player_box = play_controls(
            self.slider, rate=PLAY_RATE_DAYS, rate_text=f"{PLAY_RATE_DAYS} days of station history per second",
            label="Play the station's history", reset_text=f"the first visit ({day_text(self.days[0])})",
            interval_ms=150)
        self.play.add_class("ports-player")
        self.date_label.layout.flex = "0 0 auto"
        player_box.children = [*player_box.children, self.date_label]
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        full = claim_check().full
        jumps = [(f"MS-28 docks ({day_text(docking)})", docking)]
        if full is not None:
            jumps.append((f"All eight ({day_text(full.start)})", full.start))
        self.jump_buttons = {}
        for label, when in jumps:
            b = widgets.Button(description=label, tooltip=f"Jump to {day_text(when)}",
                               layout=widgets.Layout(width="auto"))
            b.on_click(self._jump_to(self.index_of(when)))
            self.jump_buttons[label] = b
        prev_b = widgets.Button(description="◀ previous change", layout=widgets.Layout(
            width="auto"), tooltip="Jump to the previous day a port changed")
        next_b = widgets.Button(description="next change ▶", layout=widgets.Layout(
            width="auto"), tooltip="Jump to the next day a port changed")
        prev_b.on_click(lambda _b: self.step_change(-1))
        next_b.on_click(lambda _b: self.step_change(+1))
        self.readout = widgets.HTML()
        self.readout.add_class("ports-readout")
        self.description = widgets.HTML()
        self.description.add_class("ports-description")
        self.record = widgets.HTML(record_html())
        controls = widgets.VBox([
            player_box,
            widgets.HBox(list(self.jump_buttons.values()) + [prev_b, next_b],
                         layout=widgets.Layout(flex_flow="row wrap")),
        ])
        schematic_box = widgets.Box([self.schematic], layout=widgets.Layout(flex="3 1 520px", min_width="0"))
        schematic_box.add_class(BOX_CLASS)
        body = widgets.Box(
            [schematic_box,
             widgets.Box([self.readout], layout=widgets.Layout(flex="1 1 240px"))],
            layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%"),
        )
        self.widget = widgets.VBox([widgets.HTML(NARROW_CSS), controls, body, self.description,
                                    self.record])
        self._write_text(first_day)  # the schematic was built in this state

    def _jump_to(self, i: int):
        return lambda _button: setattr(self.slider, "value", i)

    def time_of(self, i: int) -> pd.Timestamp:
        """The instant day ``i`` shows: 23:59:59 UTC, or the coverage end on the last day."""
        return min(self.days[i] + pd.Timedelta(hours=23, minutes=59, seconds=59), COVERAGE_END)

    def index_of(self, t) -> int:
        day = pd.Timestamp(parse_time(t)).normalize()
        return int(np.clip(self.days.searchsorted(day), 0, len(self.days) - 1))

    def step_change(self, direction: int) -> None:
        i = self.slider.value
        if direction > 0:
            later = self._changes[self._changes > i]
            target = int(later[0]) if len(later) else len(self.days) - 1
        else:
            earlier = self._changes[self._changes < i]
            target = int(earlier[-1]) if len(earlier) else 0
        self.slider.value = min(max(target, 0), len(self.days) - 1)

    def show(self, i: int) -> None:
        """Move to day ``i``; cheap: about ten markers and a title change."""
        if self.slider.value != i:
            self.slider.value = i  # the observer calls back into show()
            return
        self.state = state_at(self.time_of(i))
        apply_state(self.schematic, self.state, self.windows)
        self._write_text(i)

    def _write_text(self, i: int) -> None:
        t = self.time_of(i)
        self.date_label.value = (f"<b>{day_text(t)}</b> <span style='color:#555'>"
                                 f"({t:%H:%M} UTC)</span>")
        self.readout.value = self.readout_html()
        self.description.value = f"<p>{html.escape(self.describe())}</p>"

    def describe(self) -> str:
        """The text alternative for the schematic at the current day."""
        s = self.state
        end_of_day = s.time != COVERAGE_END
        return (describe_state(s, day_only=end_of_day)
                + (" (State at the end of that UTC day.)" if end_of_day else
                   " (State at the end of the data.)")
                + " The schematic shows the station from the side: the Russian segment on the "
                "left, the US segment on the right; occupied ports are coloured and shaped by "
                "vehicle type, empty ports are grey rings.")

    def readout_html(self) -> str:
        """The numbered list of ports (numbers as on the schematic) and the arm."""
        s = self.state
        rows = []
        for n, (port, i) in enumerate(s.ports.items(), start=1):
            who = ("<i>empty</i>" if i is None else
                   f"{html.escape(s.stays.vehicle.iloc[i])} "
                   f"<small>({html.escape(s.stays.vehicle_type.iloc[i])})</small>")
            rows.append(f"<tr><td>{n}</td><th scope='row'>{html.escape(port)}</th>"
                        f"<td>{who}</td></tr>")
        if s.arm:  # a vehicle on the arm is attached to the station but to no port
            rows.append("<tr><td></td><th scope='row'>held on Canadarm2 (no port)</th>"
                        f"<td>{html.escape(join(s.held_on_arm))}</td></tr>")
        return (f"<p><b>{s.n_occupied} of {len(s.ports)}</b> ports occupied</p>"
                f"<table class='readout' aria-label='ISS ports readout'>{''.join(rows)}</table>")
