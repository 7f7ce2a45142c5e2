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


SHORT_GENERATION = {"Soyuz-T": "T", "Soyuz-TM": "TM", "Soyuz-TMA": "TMA", "Soyuz-TMA-M": "TMA-M",
                    "Soyuz MS": "MS"}
"""Generation names short enough for the narrow timeline's columns."""

_EVENT_OFFSETS = {  # (ax, ay) in px of each event's label: wide layout, then narrow
    "Soyuz 1": ((35, -30), (60, 14)), "Soyuz 11": ((40, -28), (60, 12)),
    "Soyuz 18a": ((45, 32), (60, 0)), "Soyuz T-10-1": ((-45, -32), (60, 0)),
    "Soyuz MS-10": ((-70, 28), (-70, -14)), "Soyuz MS-22": ((-10, 45), (-70, 14)),
}


def place(dates, generations, narrow: bool) -> dict:
    """A trace's coordinates: dates along x and generations along y (wide), or the other way
    round (narrow: years run down the page)."""
    return dict(x=generations, y=dates) if narrow else dict(x=dates, y=generations)


def timeline_figure(df: pd.DataFrame, narrow: bool = False) -> go.FigureWidget:
    """Every flight as a marker: launch date (UTC) against generation (canonical order), colour
    by generation (Okabe-Ito), shape by outcome, hollow if uncrewed; hover gives flight, crew,
    destination, outcome and duration. Shaded bands: when Soyuz crews flew to each station
    (:func:`station_bands`). Arrows mark the losses and aborts of :data:`EVENTS`.

    Wide (default): dates along x. ``narrow``: the vertical timeline of :func:`timeline_layout`.
    """
    marks, hover, xs = symbols(df), [hover_text(r) for r in df.itertuples()], iso(df.launch_utc)
    traces = []
    for gen in GENERATIONS:
        idx = marker_order(df, gen)
        traces.append(go.Scatter(
            name=gen, **place(xs[idx], [gen] * len(idx), narrow), mode="markers",
            meta="flights", legendgroup="generation", legendgrouptitle_text="Generation (colour)",
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
    fig.update_layout(timeline_layout(df, narrow))
    return fig


def timeline_layout(df: pd.DataFrame, narrow: bool,
                    years: tuple[int, int] | None = None) -> dict:
    """The timeline's layout (axes, station bands, their labels, event arrows, legend, title),
    wide or ``narrow``, showing launches in ``years`` (inclusive; default all of ``df``'s).

    Narrow: years run down the page (the first at the top), one column per generation under
    short names (:data:`SHORT_GENERATION`), station labels beside the plot, the legend below it,
    and a height that grows with the years shown, so markers a few months apart stay apart.
    """
    lo, hi = years or (int(df.year.min()), int(df.year.max()))
    date_range = [f"{lo - 1}-10-01", f"{hi + 1}-03-31"]
    shapes, notes = _station_bands(df, narrow)
    notes += _event_arrows(df, narrow, (lo, hi))
    span = f"{int(df.year.min())}-{int(df.year.max())}"
    grid = dict(showgrid=True, gridcolor="#e5e5e5")
    generations = dict(type="category", categoryorder="array", categoryarray=list(GENERATIONS),
                       range=[-0.6, len(GENERATIONS) - 0.4], title=None, **grid)
    if narrow:
        return dict(
            height=int(160 + 22 * (hi - lo + 2)), margin=dict(l=44, r=60, t=135, b=10),
            shapes=shapes, annotations=notes, uirevision="narrow",
            title=dict(text=f"Every Soyuz launch, {span},<br>by spacecraft generation",
                       font=dict(size=14), x=0.01, y=1, yref="container", yanchor="top",
                       pad=dict(t=30)),
            xaxis=dict(generations, side="top", tickangle=-90, tickfont=dict(size=11),
                       tickvals=list(GENERATIONS),
                       ticktext=[SHORT_GENERATION.get(g, g) for g in GENERATIONS]),
            yaxis=dict(type="date", title=None, range=date_range[::-1], dtick="M60",
                       tickformat="%Y", **grid),
            legend=dict(font=dict(size=11), groupclick="toggleitem", orientation="h",
                        x=0, xanchor="left", y=0, yanchor="top", entrywidth=110),
            plot_bgcolor="white", hoverlabel=dict(align="left"),
        )
    return dict(
        height=500, margin=dict(l=10, r=10, t=80, b=40), shapes=shapes, annotations=notes,
        uirevision="wide",
        title=dict(text=f"Every Soyuz launch, {span}, by spacecraft generation",
                   font=dict(size=15), x=0.01, y=0.98, yref="container", yanchor="auto",
                   pad=dict(t=0)),
        xaxis=dict(type="date", title="Launch date (UTC)", range=date_range, side="bottom",
                   **grid),
        yaxis=dict(generations),
        legend=dict(font=dict(size=11), groupclick="toggleitem", orientation="v"),
        plot_bgcolor="white", hoverlabel=dict(align="left"),
    )


def _station_bands(df: pd.DataFrame, narrow: bool) -> tuple[list[dict], list[dict]]:
    """The shaded band of each station's Soyuz era and its label (alternating in two rows, or
    two columns beside a narrow plot, so neighbours do not overlap)."""
    right = df.launch_utc.max() + pd.Timedelta(days=200)
    shapes, notes = [], []
    for k, b in enumerate(station_bands(df).itertuples()):
        end = right if b.ongoing else b.end
        abbreviate = narrow or b.station in STATION_NAMES[:4]
        label = dict(
            text=b.station.replace("Salyut ", "S") if abbreviate else b.station,
            showarrow=False, font=dict(size=11, color="#333333"),
            hovertext=(f"{b.station}: Soyuz flights {b.start:%b %Y} to "
                       f"{'today' if b.ongoing else f'{b.end:%b %Y}'} ({b.flights} flights)"),
            name=f"band:{b.station}")
        band = dict(type="rect", fillcolor="rgba(0, 114, 178, 0.09)", line=dict(width=0),
                    layer="below")
        middle = b.start + (end - b.start) / 2
        if narrow:
            shapes.append(dict(band, xref="paper", yref="y", y0=b.start, y1=end, x0=0, x1=1))
            notes.append(dict(label, x=1.0, y=middle, xref="paper", yref="y", xanchor="left",
                              xshift=4 + 26 * (k % 2), yanchor="middle"))
        else:
            shapes.append(dict(band, xref="x", yref="paper", x0=b.start, x1=end, y0=0, y1=1))
            notes.append(dict(label, x=middle, y=1.0 + 0.055 * (k % 2), xref="x", yref="paper",
                              yanchor="bottom"))
    return shapes, notes


def _event_arrows(df: pd.DataFrame, narrow: bool, years: tuple[int, int]) -> list[dict]:
    """An arrow with the flight's name to each loss or abort (visible if launched in
    ``years``)."""
    notes = []
    for r in losses_and_aborts(df).itertuples():
        row = df[df.flight == r.flight].iloc[0]
        wide_offset, narrow_offset = _EVENT_OFFSETS.get(r.flight, ((30, -30), (60, 0)))
        ax, ay = narrow_offset if narrow else wide_offset
        notes.append(dict(
            **place(row.launch_utc, row.generation, narrow), xref="x", yref="y", text=r.flight,
            showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1, ax=ax, ay=ay,
            font=dict(size=10 if narrow else 11), bgcolor="rgba(255,255,255,0.85)",
            bordercolor="#333333", borderwidth=0.5,
            hovertext=f"{r.flight} ({r.year}), {r.kind}: {r.summary}",
            visible=bool(years[0] <= r.year <= years[1]), name=f"event:{r.flight}"))
    return notes
