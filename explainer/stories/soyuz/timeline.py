"""The Soyuz timeline: every flight as a marker on one chart, with the stations' eras shaded and
the losses and aborts marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from explainer.data.flight_schema import GENERATIONS, STATION_NAMES
from explainer.stories.soyuz.analyses import losses_and_aborts, station_bands
from explainer.stories.soyuz.figures import (
    GENERATION_COLOURS,
    OUTCOME_SYMBOLS,
    OUTLINE,
    hover_text,
    iso,
    marker_order,
    symbols,
)
from explainer.ui.plotly_widget import figure_widget


def flight_traces(fig: go.Figure) -> list:
    """The timeline's traces that carry flights (one per generation), not the legend keys."""
    return [t for t in fig.data if t.meta == "flights"]


def timeline_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Every flight as a marker: x = launch date (UTC), y = generation (canonical order), colour
    by generation (Okabe-Ito), shape by outcome, hollow if uncrewed; hover gives flight, crew,
    destination, outcome and duration. Shaded bands: when Soyuz crews flew to each station
    (:func:`station_bands`). Arrows mark the losses and aborts of :data:`EVENTS`."""
    marks, hover, xs = symbols(df), [hover_text(r) for r in df.itertuples()], iso(df.launch_utc)
    traces = []
    for gen in GENERATIONS:
        idx = marker_order(df, gen)
        traces.append(go.Scatter(
            name=gen, x=xs[idx], y=[gen] * len(idx), mode="markers", meta="flights",
            legendgroup="generation", legendgrouptitle_text="Generation (colour)",
            marker=dict(color=GENERATION_COLOURS[gen], size=10, symbol=marks[idx],
                        line=OUTLINE),
            hovertext=[hover[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>",
        ))
    for outcome, symbol in OUTCOME_SYMBOLS.items():  # legend keys for the shapes
        traces.append(go.Scatter(
            name=outcome, x=[None], y=[None], mode="markers", legendgroup="outcome",
            legendgrouptitle_text="Outcome (shape)", hoverinfo="skip",
            marker=dict(color="#777777", size=10, symbol=symbol, line=OUTLINE)))
    traces.append(go.Scatter(
        name="uncrewed (hollow)", x=[None], y=[None], mode="markers", legendgroup="outcome",
        hoverinfo="skip", marker=dict(color="#777777", size=10, symbol="circle-open")))
    fig = figure_widget(data=traces)
    shapes, notes = [], []
    bands = station_bands(df)
    right = df.launch_utc.max() + pd.Timedelta(days=200)
    for k, b in enumerate(bands.itertuples()):
        end = right if b.ongoing else b.end
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=b.start, x1=end, y0=0, y1=1,
                           fillcolor="rgba(0, 114, 178, 0.09)", line=dict(width=0),
                           layer="below"))
        short = b.station.replace("Salyut ", "S") if b.station in STATION_NAMES[:4] else b.station
        notes.append(dict(
            x=b.start + (end - b.start) / 2, y=1.0 + 0.055 * (k % 2), xref="x", yref="paper",
            text=short, showarrow=False, yanchor="bottom", font=dict(size=11, color="#333333"),
            hovertext=(f"{b.station}: Soyuz flights {b.start:%b %Y} to "
                       f"{'today' if b.ongoing else f'{b.end:%b %Y}'} ({b.flights} flights)"),
            name=f"band:{b.station}"))
    offsets = {"Soyuz 1": (35, -30), "Soyuz 11": (40, -28), "Soyuz 18a": (45, 32),
               "Soyuz T-10-1": (-45, -32), "Soyuz MS-10": (-70, 28), "Soyuz MS-22": (-10, 45)}
    for r in losses_and_aborts(df).itertuples():
        row = df[df.flight == r.flight].iloc[0]
        ax, ay = offsets.get(r.flight, (30, -30))
        notes.append(dict(
            x=row.launch_utc, y=row.generation, xref="x", yref="y", text=r.flight,
            showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1, ax=ax, ay=ay,
            font=dict(size=11), bgcolor="rgba(255,255,255,0.85)", bordercolor="#333333",
            borderwidth=0.5, hovertext=f"{r.flight} ({r.year}), {r.kind}: {r.summary}",
            name=f"event:{r.flight}"))
    fig.update_layout(
        height=500, margin=dict(l=10, r=10, t=80, b=40), shapes=shapes, annotations=notes,
        title=dict(text="Every Soyuz launch, 1967-2025, by spacecraft generation",
                   font=dict(size=15), x=0.01, y=0.98),
        xaxis=dict(type="date", title="Launch date (UTC)"),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(GENERATIONS),
                   range=[-0.6, len(GENERATIONS) - 0.4], title=None),
        legend=dict(font=dict(size=11), groupclick="toggleitem"),
        plot_bgcolor="white", hoverlabel=dict(align="left"), uirevision="keep",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5")
    return fig

