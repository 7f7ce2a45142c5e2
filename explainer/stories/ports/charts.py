"""Two charts of the whole history: every stay as a bar on its port's row (:func:`gantt_figure`)
and the number of vehicles on ports over time (:func:`count_figure`). Both shade the first time
all eight ports were full (lighter where its start depends on an unsourced time of day) and mark
the Soyuz MS-28 docking. Shapes and annotations carry a ``name``; look them up by it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from explainer.data.docking import ARM, COVERAGE_END, load_stays
from explainer.ui.fitted_chart import FittedChart, time_chart

from .occupancy import default_data, first_stay_start, ms28_docking, occupancy_series
from .queries import first_all_current_full
from .style import DOCKING_COLOUR, UNCERTAIN_COLOUR, VEHICLE_STYLES, WINDOW_COLOUR
from .text import day_range_text, day_text, stay_dates

ARM_ROW = f"{ARM} (held)"
SHORT_TEXTS = {"all eight": "shaded: all eight occupied", "MS-28 docks": "dotted: MS-28 docks"}
"""The annotations' text on a phone, where the long ones would run off the chart (the notebook's
chart descriptions give the dates)."""


def span_text(t0: pd.Timestamp, t1: pd.Timestamp) -> str:
    """``1998-2026`` for a span of years, ``Sep 2025 - Mar 2026`` for a shorter one."""
    if (t1 - t0) > pd.Timedelta(days=2 * 365):
        return f"{t0.year}-{t1.year}"
    return f"{t0:%b %Y} - {t1:%b %Y}"


def mark_window_and_docking(fig) -> None:
    """Shade the first all-eight window (lighter over the hours its start may fall in) and mark
    the Soyuz MS-28 docking; labels above the plot, right-aligned on their dates."""
    full = first_all_current_full()
    if full is not None:
        early, late = full.start_range
        if late > early:
            fig.add_shape(type="rect", xref="x", yref="paper", x0=early, x1=late, y0=0, y1=1,
                          fillcolor=UNCERTAIN_COLOUR, line=dict(width=0), layer="below",
                          name="all eight: start uncertain")
        fig.add_shape(type="rect", xref="x", yref="paper", x0=full.start, x1=full.end, y0=0,
                      y1=1, fillcolor=WINDOW_COLOUR, line=dict(color="#009E73", width=1),
                      layer="below", name="all eight")
        start = day_range_text(*full.start_range) if not full.start_has_time else day_text(
            full.start)
        fig.add_annotation(x=full.end, y=1.0, yref="paper", xanchor="right", yanchor="bottom",
                           text=f"shaded: all eight ports occupied, {start} to "
                                f"{day_text(full.end)}" + ("" if full.start_has_time else
                                                           " (start time not sourced)"),
                           showarrow=False, font=dict(size=11, color="#006b4f"),
                           name="all eight")
    docking = ms28_docking()
    fig.add_shape(type="line", xref="x", yref="paper", x0=docking, x1=docking, y0=0, y1=1,
                  line=dict(color=DOCKING_COLOUR, width=1.5, dash="dot"), name="MS-28 docks")
    fig.add_annotation(x=docking, y=1.0, yref="paper", xanchor="right", yanchor="bottom",
                       yshift=16, text=f"dotted: Soyuz MS-28 docks, {day_text(docking)} "
                                       f"{docking:%H:%M} UTC",
                       showarrow=False, font=dict(size=11, color="#A04000"), name="MS-28 docks")


def gantt_figure(start=None, end=None) -> go.Figure:
    """Every stay as a bar on its port's row (arm holds on a ``Canadarm2 (held)`` row); each
    vehicle type has its own colour *and* bar pattern; a ``>`` marker ends a bar without a
    sourced departure. ``start``/``end`` (UTC) zoom in and keep only the ports in service then."""
    stays = load_stays()
    d = default_data()
    t0 = pd.Timestamp(start) if start is not None else first_stay_start()
    t1 = pd.Timestamp(end) if end is not None else COVERAGE_END
    shown = (d.svc_start < t1.to_datetime64()) & (d.svc_end > t0.to_datetime64())
    rows = list(d.ports.port[shown])
    arm = stays[~stays.on_port]
    if ((arm.start < t1) & (arm.end > t0)).any():
        rows.append(ARM_ROW)
    row_of = stays.port.where(stays.on_port, ARM_ROW)
    keep = row_of.isin(rows) & (stays.start < t1) & (stays.end > t0)
    fig = go.Figure()
    for vtype, (colour, _symbol, pattern) in VEHICLE_STYLES.items():
        g = stays[keep & (stays.vehicle_type == vtype)]
        if g.empty:
            continue
        hover = [f"<b>{r.vehicle}</b> ({r.vehicle_type})<br>{r.port}<br>"
                 + "<br>".join(stay_dates(r)) for r in g.itertuples()]
        fig.add_trace(go.Bar(
            y=list(row_of[g.index]), x=(g.end - g.start).dt.total_seconds().to_numpy() * 1000.0,
            base=[pd.Timestamp(s).isoformat() for s in g.start], orientation="h", name=vtype, uid=f"stays-{vtype}",
            marker=dict(color=colour, line=dict(color="#333333", width=0.4),
                        pattern=dict(shape=pattern, size=6, solidity=0.4,
                                     fgcolor="#222222" if pattern else None)),
            hovertext=hover, hoverinfo="text",
        ))
    loose = stays[keep & stays.end_status.isin(["open", "unknown"])]
    if len(loose):
        fig.add_trace(go.Scatter(
            x=list(loose.end), y=list(row_of[loose.index]), mode="markers",
            name="departure not sourced", uid="departure-not-sourced",
            marker=dict(symbol="triangle-right", size=9, color="#222222"),
            hovertext=[f"{r.vehicle}: " + stay_dates(r)[1] for r in loose.itertuples()],
            hoverinfo="text", cliponaxis=False,
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], title=None,
                     tickfont=dict(size=11))
    pad = (t1 - t0) * 0.01
    fig.update_xaxes(type="date", title=None, range=[t0 - pad, t1 + pad], showgrid=True,
                     gridcolor="#EEEEEE")
    fig.update_layout(barmode="overlay", height=180 + 26 * len(rows),
                      margin=dict(l=10, r=10, t=90, b=40),
                      title=f"Visiting-vehicle stays at each ISS port, {span_text(t0, t1)}, UTC",
                      legend=dict(orientation="h", y=-0.1, font=dict(size=11)),
                      plot_bgcolor="white")
    mark_window_and_docking(fig)
    return fig


def count_figure(start=None, end=None) -> go.Figure:
    """Vehicles attached to ports over time (step line) and visiting-vehicle ports in service,
    with the first all-eight window shaded and the Soyuz MS-28 docking marked; ``start``/``end``
    (UTC) zoom in, and the title names the span shown."""
    series = occupancy_series()
    t0 = pd.Timestamp(start) if start is not None else first_stay_start()
    t1 = pd.Timestamp(end) if end is not None else COVERAGE_END
    fig = go.Figure([
        go.Scatter(x=series.time, y=series.in_service, mode="lines", line_shape="hv",
                   name="visiting-vehicle ports in service", uid="in-service",
                   line=dict(color="#777777", width=1.5, dash="dash"),
                   hovertemplate="%{x|%d %b %Y %H:%M} UTC: %{y} ports in service<extra></extra>"),
        go.Scatter(x=series.time, y=series.attached, mode="lines", line_shape="hv",
                   name="vehicles attached to a port", uid="attached",
                   line=dict(color="#0072B2", width=1.6),
                   hovertemplate="%{x|%d %b %Y %H:%M} UTC: %{y} attached<extra></extra>"),
    ])
    fig.update_yaxes(range=[0, 9.5], dtick=1, title="number", gridcolor="#EEEEEE")
    fig.update_xaxes(type="date", title="UTC", range=[t0, t1])
    fig.update_layout(height=400, margin=dict(l=10, r=10, t=90, b=40), plot_bgcolor="white",
                      title=f"Vehicles attached to ISS ports, {span_text(t0, t1)}",
                      legend=dict(orientation="h", y=-0.18, font=dict(size=11)))
    mark_window_and_docking(fig)
    return fig


def count_chart(start=None, end=None) -> FittedChart:
    """:func:`count_figure` for a notebook: its ``widget`` fits any screen."""
    return time_chart(count_figure(start, end), SHORT_TEXTS)


def gantt_chart(start=None, end=None) -> FittedChart:
    """:func:`gantt_figure` for a notebook: its ``widget`` fits any screen."""
    return time_chart(gantt_figure(start, end), SHORT_TEXTS)
