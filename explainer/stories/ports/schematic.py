"""The station schematic: a side view with the modules present on a date, each port in service
as a marker coloured and shaped by its vehicle type (grey ring when empty) and a vehicle held
on Canadarm2 beside the station.

Every port carries two labels, as separate traces on their own overlaid axes: its name and
vehicle (trace ``port-labels`` on ``x2``/``y2``, with the arm's label and the module names)
and its number (``port-numbers`` on ``x3``/``y3``, matching the numbered list beside the
picture).
:data:`NARROW_CSS` shows the numbers instead of the long labels in a box narrower than
:data:`~explainer.ui.screen.NARROW_PX` (a phone, or a tablet's notebook in JupyterLab), where
the names would overlap and be cut off; the list then carries the names. (The axes give the
label layers a stable class in the page, ``x2y2`` and ``x3y3``: a FigureWidget replaces trace
uids with random ones.) Traces are found by name, never by position.
"""

from __future__ import annotations

import html

import numpy as np

from explainer.data.docking_rules import FAR
from explainer.ui.screen import NARROW_PX

from .occupancy import PortState, StationData
from .style import EMPTY_COLOUR, style
from .text import day_text, short_name, stay_dates

# Side view: aft (Russian segment) left, forward (US segment) right, zenith up, nadir down.
# (name, x0, x1, y0, y1, present from the service start of, present until the end of)
MODULES = [
    ("Zvezda", -11.0, -5.5, -0.6, 0.6, "Zvezda aft", None),
    ("Zarya", -5.5, -1.5, -0.6, 0.6, None, None),
    ("PMA-1", -1.5, -0.6, -0.35, 0.35, None, None),
    ("Unity", -0.6, 1.4, -0.7, 0.7, None, None),
    ("Destiny", 1.4, 5.4, -0.6, 0.6, "Destiny forward (PMA-2)", None),
    ("Harmony", 5.4, 7.4, -0.7, 0.7, "Harmony forward (PMA-2)", None),
    ("Poisk", -6.6, -5.6, 0.6, 2.1, "Poisk zenith", None),
    ("Pirs", -6.6, -5.6, -2.1, -0.6, "Pirs nadir", "Pirs nadir"),
    ("Nauka", -7.0, -5.2, -3.2, -0.6, "Nauka nadir", None),
    ("Prichal", -6.6, -5.6, -4.3, -3.2, "Prichal nadir", None),
    ("Rassvet", -3.5, -2.5, -2.1, -0.6, "Rassvet nadir", None),
]
# port -> (x, y, text position)
PORT_XY = {
    "Zvezda aft": (-11.35, 0.0, "middle left"),
    "Zarya nadir": (-3.0, -0.95, "bottom center"),
    "Pirs nadir": (-6.1, -2.45, "bottom center"),
    "Poisk zenith": (-6.1, 2.45, "top center"),
    "Rassvet nadir": (-3.0, -2.45, "bottom center"),
    "Nauka nadir": (-6.1, -3.55, "bottom center"),
    "Prichal nadir": (-6.1, -4.65, "bottom center"),
    "Unity forward (PMA-2)": (1.75, 0.0, "middle right"),
    "Destiny forward (PMA-2)": (5.75, 0.0, "middle right"),
    "Harmony forward (PMA-2)": (7.75, 0.0, "middle right"),
    "Unity nadir (PMA-3)": (0.4, -1.05, "bottom center"),
    "Unity nadir": (0.4, -1.05, "bottom center"),
    "Harmony zenith (PMA-3)": (6.4, 1.05, "top center"),
    "Harmony zenith": (6.4, 1.05, "top center"),
    "Harmony nadir": (6.4, -1.05, "bottom center"),
}
ARM_XY = (2.6, 2.4)
X_RANGE = (-15.0, 13.5)
Y_RANGE = (-6.2, 3.6)
BOX_CLASS = "ports-schematic-box"
"""The class of the box the schematic is shown in, whose width :data:`NARROW_CSS` queries (the
screen's would not do in JupyterLab, where a notebook's box is 180 px narrower than a tablet)."""
NARROW_CSS = f"""<style>
.{BOX_CLASS} {{ container-type: inline-size; }}
.ports-schematic .overplot .x3y3 {{ display: none; }}
@container (max-width: {NARROW_PX - 0.02}px) {{
  .ports-schematic .overplot .x2y2, .ports-schematic .gtitle {{ display: none; }}
  .ports-schematic .overplot .x3y3 {{ display: inline; }}
}}
</style>"""
_LABEL_AXES = {"port-labels": ("x2", "y2"), "arm-labels": ("x2", "y2"),
               "port-numbers": ("x3", "y3")}


def module_windows(d: StationData) -> list[tuple[np.datetime64, np.datetime64]]:
    """When each of :data:`MODULES` is drawn (``datetime64[ns]`` UTC, half-open)."""
    lookup = {p: k for k, p in enumerate(d.ports.port)}
    out = []
    for *_geom, since, until in MODULES:
        t0 = d.svc_start[lookup[since]] if since else np.datetime64("1900-01-01", "ns")
        t1 = d.svc_end[lookup[until]] if until else FAR
        out.append((t0, t1))
    return out


def parts(state: PortState, windows) -> dict:
    """Everything in the schematic that follows the date: module visibility, module labels, the
    port markers and their two labels, the arm and the title."""
    t = state.time.to_datetime64()
    present = [bool(a <= t < b) for a, b in windows]
    mods = [m for m, ok in enumerate(present) if ok]
    p = {k: [] for k in ("x", "y", "text", "number", "textposition", "customdata", "color",
                         "symbol")}
    for n, (port, i) in enumerate(state.ports.items(), start=1):
        x, y, pos = PORT_XY.get(port, (0.0, 0.0, "top center"))
        p["x"].append(x)
        p["y"].append(y)
        p["textposition"].append(pos)
        p["number"].append(f"<b>{n}</b>")
        if i is None:
            p["color"].append(EMPTY_COLOUR)
            p["symbol"].append("circle-open")
            p["text"].append(f"{short_name(port)}<br><i>empty</i>")
            p["customdata"].append([port, "empty", "", ""])
        else:
            r = state.stays.iloc[i]
            colour, symbol, _ = style(r.vehicle_type)
            p["color"].append(colour)
            p["symbol"].append(symbol)
            p["text"].append(f"{short_name(port)}<br><b>{html.escape(short_name(r.vehicle))}</b>")
            p["customdata"].append([port, f"{r.vehicle} ({r.vehicle_type}, {r.agency})",
                                    *stay_dates(r)])
    arm = {k: [] for k in ("x", "y", "text", "customdata", "color", "symbol")}
    for k, i in enumerate(state.arm):
        r = state.stays.iloc[i]
        colour, symbol, _ = style(r.vehicle_type)
        arm["x"].append(ARM_XY[0] + 2.2 * k)
        arm["y"].append(ARM_XY[1])
        arm["text"].append(f"Canadarm2 holds<br><b>{html.escape(short_name(r.vehicle))}</b>")
        arm["color"].append(colour)
        arm["symbol"].append(symbol)
        arm["customdata"].append([f"{r.vehicle} ({r.vehicle_type})", *stay_dates(r)])
    title = (f"ISS ports on {day_text(state.time)} {state.time:%H:%M} UTC: {state.n_occupied} of "
             f"{len(state.ports)} visiting-vehicle ports occupied")
    if state.arm:
        title += f", {len(state.arm)} vehicle held on the arm"
    return {
        "present": present,
        "labels": ([(MODULES[m][1] + MODULES[m][2]) / 2 for m in mods],
                   [(MODULES[m][3] + MODULES[m][4]) / 2 for m in mods],
                   [MODULES[m][0] for m in mods]),
        "ports": p, "arm": arm, "title": title,
    }


def trace(fig, name: str):
    """The trace of ``fig`` with this ``name`` (KeyError if absent)."""
    for t in fig.data:
        if t.name == name:
            return t
    raise KeyError(f"no trace named {name!r}")


def schematic_figure(state: PortState, windows):
    """The schematic built in its initial state: a FigureWidget shown inside other widgets
    syncs only what it is constructed with; later changes go as messages (:func:`apply_state`)."""
    import plotly.graph_objects as go

    from explainer.ui.plotly_widget import figure_widget

    from .style import VEHICLE_STYLES

    s = parts(state, windows)
    traces = [go.Scatter(
        x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", fill="toself",
        fillcolor="#E9E9E9", line=dict(color="#555555", width=1.2), name=f"module {name}",
        hoverinfo="skip", showlegend=False, visible=visible,
    ) for (name, x0, x1, y0, y1, *_), visible in zip(MODULES, s["present"], strict=True)]
    lx, ly, lt = s["labels"]
    traces.append(go.Scatter(name="module names", mode="text", x=lx, y=ly, xaxis="x2",
                             yaxis="y2", text=lt, textfont=dict(size=10, color="#333333"),
                             hoverinfo="skip", showlegend=False))
    for vtype, (colour, symbol, _) in VEHICLE_STYLES.items():
        traces.append(go.Scatter(x=[None], y=[None], mode="markers", name=vtype,
                                 marker=dict(color=colour, symbol=symbol, size=12,
                                             line=dict(color="#222222", width=1)),
                                 hoverinfo="skip"))
    traces.append(go.Scatter(x=[None], y=[None], mode="markers", name="empty port",
                             marker=dict(color=EMPTY_COLOUR, symbol="circle-open", size=12,
                                         line=dict(width=2)), hoverinfo="skip"))
    p = s["ports"]
    a = s["arm"]
    for name, x, y, text, position in (
            ("port-labels", p["x"], p["y"], p["text"], p["textposition"]),
            ("port-numbers", p["x"], p["y"], p["number"], p["textposition"]),
            ("arm-labels", a["x"], a["y"], a["text"], "top center")):
        xaxis, yaxis = _LABEL_AXES[name]
        traces.append(go.Scatter(name=name, mode="text", x=x, y=y, text=text,
                                 textposition=position, showlegend=False, hoverinfo="skip",
                                 cliponaxis=False, xaxis=xaxis, yaxis=yaxis,
                                 textfont=dict(size=12 if name == "port-numbers" else 10,
                                               color="#111111")))
    traces.append(go.Scatter(
        name="ports", mode="markers", x=p["x"], y=p["y"],
        customdata=p["customdata"], showlegend=False,
        marker=dict(size=17, color=p["color"], symbol=p["symbol"],
                    line=dict(color="#222222", width=1.5)),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                      "<br>%{customdata[3]}<extra></extra>",
    ))
    traces.append(go.Scatter(
        name="arm", mode="markers", x=a["x"], y=a["y"], customdata=a["customdata"],
        showlegend=False, marker=dict(size=17, color=a["color"], symbol=a["symbol"],
                    line=dict(color="#222222", width=1.5)),
        hovertemplate="<b>Held on Canadarm2 (no port)</b><br>%{customdata[0]}"
                      "<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    ))
    return figure_widget(data=traces, layout=dict(
        xaxis=dict(range=list(X_RANGE), visible=False, fixedrange=True),
        yaxis=dict(range=list(Y_RANGE), visible=False, fixedrange=True, scaleanchor="x",
                   scaleratio=1),
        **{f"{axis}{n}": dict(overlaying=axis[0], matches=axis[0], visible=False,
                              fixedrange=True)
           for n in (2, 3) for axis in ("xaxis", "yaxis")},
        height=430, margin=dict(l=4, r=4, t=44, b=4), plot_bgcolor="white",
        title=dict(text=s["title"], font=dict(size=14), x=0.01),
        legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, font=dict(size=11)),
        uirevision="keep", hoverlabel=dict(align="left"),
    ))


def apply_state(fig, state: PortState, windows) -> None:
    """Move the schematic to ``state`` in place: a few small arrays in one message."""
    s = parts(state, windows)
    p, a = s["ports"], s["arm"]
    with fig.batch_update():
        for (name, *_), visible in zip(MODULES, s["present"], strict=True):
            module = trace(fig, f"module {name}")
            if module.visible != visible:
                module.visible = visible
        names = trace(fig, "module names")
        names.x, names.y, names.text = s["labels"]
        for name, text in (("port-labels", p["text"]), ("port-numbers", p["number"])):
            labels = trace(fig, name)
            labels.x, labels.y, labels.text = p["x"], p["y"], text
            labels.textposition = p["textposition"]
        arm_labels = trace(fig, "arm-labels")
        arm_labels.x, arm_labels.y, arm_labels.text = a["x"], a["y"], a["text"]
        ports = trace(fig, "ports")
        ports.x, ports.y, ports.customdata = p["x"], p["y"], p["customdata"]
        ports.marker.color = p["color"]
        ports.marker.symbol = p["symbol"]
        arm = trace(fig, "arm")
        arm.x, arm.y, arm.customdata = a["x"], a["y"], a["customdata"]
        arm.marker.color = a["color"]
        arm.marker.symbol = a["symbol"]
        fig.layout.title.text = s["title"]
