"""Sixty years of Soyuz as charts: the style shared by every Soyuz figure, and the figures other
than the timeline (:mod:`~explainer.stories.soyuz.timeline`). Each builder returns a plotly
``FigureWidget``; colours come from :mod:`explainer.ui.palette` (Okabe-Ito), and every marker also
varies shape or outline, so colour is never the only cue."""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explainer.data.flight_schema import GENERATIONS
from explainer.stories.soyuz.analyses import (
    PROFILES,
    crew_sizes,
    flights_per_year,
    rendezvous_eras,
    rendezvous_hours,
)
from explainer.stories.soyuz.text import fmt_duration, fmt_hours
from explainer.ui.palette import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    GREY,
    ORANGE,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)
from explainer.ui.plotly_widget import figure_widget

GENERATION_COLOURS = {
    "7K-OK": BLACK, "7K-OKS": GREY, "7K-T": SKY_BLUE, "7K-TM": YELLOW, "Soyuz-T": BLUISH_GREEN,
    "Soyuz-TM": BLUE, "Soyuz-TMA": ORANGE, "Soyuz-TMA-M": REDDISH_PURPLE, "Soyuz MS": VERMILLION,
}
OUTCOME_SYMBOLS = {
    "nominal": "circle", "anomaly": "square", "docking failure": "diamond",
    "launch abort": "triangle-up", "fatal": "x",
}
OUTLINE = dict(color="#333333", width=0.8)
"""The dark outline of every marker."""


def hover_text(r) -> str:
    """The hover box of one flight (a row of ``df.itertuples()``), HTML."""
    crew = html.escape(r.crew.replace("; ", ", ")) if r.crew else "uncrewed"
    when = f"{r.launch_utc:%Y-%m-%d %H:%M}" if r.launch_utc_has_time else f"{r.launch_utc:%Y-%m-%d}"
    return (f"<b>{html.escape(r.flight)}</b> ({r.generation})<br>Launch {when} UTC<br>"
            f"Crew: {crew}<br>Destination: {r.destination}<br>Outcome: {r.outcome}<br>"
            f"Duration: {fmt_duration(r.duration_days)}")


def symbols(df: pd.DataFrame) -> np.ndarray:
    """Each flight's marker symbol: shape by outcome, hollow if uncrewed."""
    base = df.outcome.map(OUTCOME_SYMBOLS).to_numpy(dtype=object)
    return np.where(df.crewed.to_numpy(), base, base + "-open")


def marker_order(df: pd.DataFrame, gen: str) -> np.ndarray:
    """Positions of ``gen``'s flights with a crewed nominal flight first (plotly draws a
    trace's legend key with its first point's symbol), otherwise in launch order."""
    idx = np.flatnonzero(df.generation.to_numpy() == gen)
    typical = (df.crewed.to_numpy() & (df.outcome.to_numpy() == "nominal"))[idx]
    return idx[np.argsort(~typical, kind="stable")]


def iso(times: pd.Series) -> np.ndarray:
    """Times as ISO 8601 text to the second, the form plotly's date axes take."""
    return times.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object)


def per_year_layout(narrow: bool) -> dict:
    """The parts of the per-year chart's layout that differ on a narrow screen: there the legend
    goes under the chart, where it can take several lines without covering bars."""
    if narrow:
        return dict(height=380, margin=dict(l=10, r=10, t=40, b=120),
                    legend=dict(orientation="h", x=0, xanchor="left", y=-0.3, yanchor="top",
                                traceorder="normal"))
    return dict(height=300, margin=dict(l=10, r=10, t=40, b=40),
                legend=dict(orientation="h", x=0.35, xanchor="left", y=1.12, yanchor="auto",
                            traceorder="normal"))


def per_year_figure(df: pd.DataFrame, narrow: bool = False) -> go.FigureWidget:
    """Stacked bars of launches per year: crewed that reached orbit, crewed launch aborts,
    uncrewed (counts of flights; years from the first to the last launch); ``narrow``: laid out
    for a phone (:func:`per_year_layout`)."""
    per = flights_per_year(df)
    years = per.index.to_numpy()
    fig = figure_widget(data=[
        go.Bar(name="crewed", x=years, y=(per.crewed - per.aborts).to_numpy(), marker_color=BLUE,
               hovertemplate="%{x}: %{y} crewed<extra></extra>"),
        go.Bar(name="crewed, launch abort", x=years, y=per.aborts.to_numpy(),
               marker_color=VERMILLION, marker_pattern_shape="x",
               hovertemplate="%{x}: %{y} launch abort<extra></extra>"),
        go.Bar(name="uncrewed", x=years, y=per.uncrewed.to_numpy(), marker_color=ORANGE,
               marker_pattern_shape="/", hovertemplate="%{x}: %{y} uncrewed<extra></extra>"),
    ])
    fig.update_layout(
        barmode="stack", plot_bgcolor="white",
        title=dict(text="Soyuz launches per year", font=dict(size=15), x=0.01),
        xaxis=dict(title="Year", range=[years[0] - 0.5, years[-1] + 0.5]),
        yaxis=dict(title="Launches", dtick=1, gridcolor="#e5e5e5"), uirevision="keep",
        **per_year_layout(narrow),
    )
    return fig


def rendezvous_figure(df: pd.DataFrame, crewed_only: bool = True) -> go.FigureWidget:
    """Launch-to-docking hours of ISS flights against launch date (log scale), coloured by
    rendezvous profile, with the first flight of each faster profile (TMA-08M, MS-17: see
    :func:`~explainer.stories.soyuz.analyses.rendezvous_eras`) and the latest flight (MS-28 in
    the shipped data) marked. ``crewed_only`` leaves out uncrewed
    MS-14 (docked after five days) and MS-23."""
    r = rendezvous_hours(df)
    if crewed_only:
        r = r[r.crewed].reset_index(drop=True)
    colours = dict(zip(PROFILES, (BLUE, ORANGE, VERMILLION, GREY), strict=True))
    symbols = dict(zip(PROFILES, ("circle", "square", "diamond", "x"), strict=True))
    traces = []
    for profile in PROFILES:
        sub = r[r.profile == profile]
        if sub.empty:
            continue
        traces.append(go.Scatter(
            name=profile, x=iso(sub.launch_utc), y=sub.hours.round(3), mode="markers",
            marker=dict(color=colours[profile], size=9, symbol=symbols[profile], line=OUTLINE),
            customdata=np.stack([sub.flight, [fmt_hours(h) for h in sub.hours]], axis=1),
            hovertemplate="<b>%{customdata[0]}</b><br>docked %{customdata[1]} after launch"
                          "<extra></extra>"))
    last = r.iloc[-1]
    traces.append(go.Scatter(
        name=f"{last.flight} (latest)", x=[f"{last.launch_utc:%Y-%m-%dT%H:%M:%S}"],
        y=[round(last.hours, 3)], mode="markers",
        marker=dict(symbol="star", size=18, color=YELLOW, line=dict(color="black", width=1.5)),
        hovertemplate=f"<b>{last.flight}</b><br>docked {fmt_hours(last.hours)} after launch"
                      "<extra></extra>"))
    fig = figure_widget(data=traces)
    firsts = rendezvous_eras(r).iloc[1:]  # the first flight of each faster profile
    labelled = [(e.first_flight, f"{e.first_flight.removeprefix('Soyuz ')} ({e.start.year}): "
                 f"first {e.profile.replace(' orbits', '-orbit')} rendezvous", ax, ay)
                for e, (ax, ay) in zip(firsts.itertuples(), ((-90, 45), (-170, 30)), strict=False)]
    marks = []
    for flight, text, ax, ay in (*labelled,
                                 (last.flight, f"{last.flight}: {fmt_hours(last.hours)}", -30, -55)):
        hit = r[r.flight == flight]
        if len(hit):
            marks.append(dict(x=f"{hit.launch_utc.iat[0]:%Y-%m-%dT%H:%M:%S}",
                              y=np.log10(hit.hours.iat[0]), text=text, showarrow=True,
                              arrowhead=2, ax=ax, ay=ay, font=dict(size=11),
                              bgcolor="rgba(255,255,255,0.85)"))
    fig.update_layout(
        height=420, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="How long from launch to docking at the ISS?", font=dict(size=15),
                   x=0.01),
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5"),
        yaxis=dict(type="log", title="Hours, launch to docking (log scale)",
                   gridcolor="#e5e5e5", tickvals=[2, 3, 6, 12, 24, 48],
                   range=[np.log10(1.6), np.log10(90)]),
        annotations=marks, legend=dict(font=dict(size=11)), uirevision="keep",
    )
    return fig


def durations_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Flight duration (days, log scale) against launch date, one marker per landed flight,
    coloured by generation, shaped by outcome."""
    d = df[df.duration_days.notna()].reset_index(drop=True)
    traces = []
    for gen in GENERATIONS:
        sub = d.iloc[marker_order(d, gen)]
        if sub.empty:
            continue
        traces.append(go.Scatter(
            name=gen, x=iso(sub.launch_utc), y=sub.duration_days.round(4), mode="markers",
            marker=dict(color=GENERATION_COLOURS[gen], size=8, symbol=symbols(sub),
                        line=OUTLINE),
            hovertext=[f"<b>{html.escape(r.flight)}</b>: {fmt_duration(r.duration_days)}"
                       for r in sub.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig = figure_widget(data=traces)
    fig.update_layout(
        height=380, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="How long each Soyuz flew (launch to landing)", font=dict(size=15),
                   x=0.01),
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5"),
        yaxis=dict(type="log", title="Days (log scale)", gridcolor="#e5e5e5",
                   tickvals=[0.01, 0.1, 1, 10, 100, 365],
                   ticktext=["15 min", "2.4 h", "1", "10", "100", "365"]),
    )
    return fig


def crew_size_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Crewed launches per generation, stacked by crew size at launch (1, 2 or 3)."""
    t = crew_sizes(df)
    patterns = {1: "", 2: "/", 3: "."}
    fig = figure_widget(data=[
        go.Bar(name=f"{s} aboard", x=list(t.index), y=t[s].to_numpy(), marker_color=c,
               marker_pattern_shape=patterns[s],
               hovertemplate=f"%{{x}}: %{{y}} launches with {s} aboard<extra></extra>")
        for s, c in zip(t.columns, (ORANGE, SKY_BLUE, BLUE), strict=True)
    ])
    fig.update_layout(
        barmode="stack", height=320, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="Crew size at launch, by generation", font=dict(size=15), x=0.01),
        yaxis=dict(title="Crewed launches", gridcolor="#e5e5e5"),
    )
    return fig


def figure_with_text(fig, text: str, css_class: str = "soyuz-description") -> widgets.VBox:
    """A chart with its text alternative underneath (an HTML paragraph)."""
    alt = widgets.HTML(f"<p>{html.escape(text)}</p>")
    alt.add_class(css_class)
    return widgets.VBox([fig, alt])

