"""Sixty years of Soyuz as charts: the style shared by every Soyuz figure, and the figures other
than the timeline (:mod:`~explainer.stories.soyuz.timeline`). Each builder returns a plotly
``FigureWidget`` laid out for the width of its box; its ``*_layout`` function gives the parts of
the layout that change with that width (:mod:`~explainer.stories.soyuz.charts` applies them when
the box changes). Colours come from :mod:`explainer.ui.palette` (Okabe-Ito), and every marker
also varies shape or outline, so colour is never the only cue."""

from __future__ import annotations

import html

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
from explainer.ui.screen import is_narrow

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


AXIS_BELOW_PX = 62
"""Room under a plot for its x axis's tick labels and title, CSS px."""


def legend_below(height: int, legend_px: int, top: int = 50) -> dict:
    """A narrow chart's size, margins and legend: the legend under the x axis's title, in a
    bottom margin of :data:`AXIS_BELOW_PX` + ``legend_px`` (enough for the legend's lines on a
    phone, so plotly never has to grow the margin: that shrinks the plot, and the legend, placed
    as a fraction of the plot's height, would climb onto the axis title)."""
    bottom = AXIS_BELOW_PX + legend_px
    plot = height - top - bottom
    return dict(height=height, margin=dict(l=10, r=10, t=top, b=bottom),
                legend=dict(orientation="h", x=0, xanchor="left", y=round(-AXIS_BELOW_PX / plot, 3),
                            yanchor="top", traceorder="normal"))


def _date(t: pd.Timestamp) -> str:
    return f"{t:%Y-%m-%dT%H:%M:%S}"


def _log_hours(hours: float) -> float:
    """Where ``hours`` sits on the log axis of the rendezvous chart (plotly places annotations
    on a log axis by the logarithm)."""
    return round(float(np.log10(hours)), 4)


LONG_MARKS_PX = 900
"""From this box width (CSS px) the rendezvous chart's marks are whole sentences: narrower, the
legend beside the plot leaves too little room and they ran over the tick labels."""


def rendezvous_layout(r: pd.DataFrame, width: int = 0) -> dict:
    """The parts of the rendezvous chart's layout that depend on the width of its box (CSS px, 0:
    not known): the marks on each era's first flight and the latest flight, the titles, the
    legend and the height. From :data:`LONG_MARKS_PX` (or width unknown) each mark says what
    the flight was first to do; below it the marks are short and placed in data coordinates
    where no marker is, between the two-day and the six-hour flights or under the fast ones,
    inside the plot (the text under the chart says the rest). Narrow (a phone,
    :func:`~explainer.ui.screen.is_narrow`): shorter titles and the legend under the chart.

    Parameters
    ----------
    r : pandas.DataFrame
        The flights charted, a frame of :func:`rendezvous_hours` in launch order.
    width : int
        Width of the chart's box, CSS px.
    """
    firsts = rendezvous_eras(r).iloc[1:]  # the first flight of each faster profile
    last = r.iloc[-1]
    lo, hi = r.launch_utc.iat[0], last.launch_utc
    x_range = [_date(lo - pd.Timedelta(days=300)), _date(hi + pd.Timedelta(days=120))]
    narrow = is_narrow(width)
    short = 0 < width < LONG_MARKS_PX
    if short:
        # text boxes placed in data coordinates (they scale with the plot): the first profile's
        # mark early and low, the next one under the fast flights, the latest above them
        span = hi - lo
        spots = [(lo + 0.28 * span, 3.7, "center"), (lo + 0.62 * span, 2.15, "center")]
        marks = [(e.first_flight, f"{e.first_flight.removeprefix('Soyuz ')} ({e.start.year})",
                  spot) for e, spot in zip(firsts.itertuples(), spots, strict=False)]
        marks.append((last.flight, f"{last.flight.removeprefix('Soyuz ')}: "
                      f"{fmt_hours(last.hours)}", (hi, 14, "right")))
    else:
        marks = [(e.first_flight, f"{e.first_flight.removeprefix('Soyuz ')} ({e.start.year}): "
                  f"first {e.profile.replace(' orbits', '-orbit')} rendezvous", offset)
                 for e, offset in zip(firsts.itertuples(), ((-90, 45), (-170, 30)), strict=False)]
        marks.append((last.flight, f"{last.flight}: {fmt_hours(last.hours)}", (-30, -55)))
    annotations = []
    for flight, text, where in marks:
        hit = r[r.flight == flight]
        if not len(hit):
            continue
        note = dict(x=_date(hit.launch_utc.iat[0]), y=_log_hours(hit.hours.iat[0]), text=text,
                    showarrow=True, arrowhead=2, font=dict(size=11),
                    bgcolor="rgba(255,255,255,0.85)")
        if short:
            when, hours, anchor = where
            note.update(axref="x", ayref="y", ax=_date(when), ay=_log_hours(hours),
                        xanchor=anchor)
        else:
            note.update(ax=where[0], ay=where[1])
        annotations.append(note)
    layout = dict(
        annotations=annotations,
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5", range=x_range,
                   dtick="M120" if narrow else None),
    )
    if narrow:
        return dict(layout, **legend_below(560, legend_px=110),
                    title_text="Launch to docking at the ISS",
                    yaxis_title_text="Hours (log scale)")
    return dict(layout, height=420, margin=dict(l=10, r=10, t=50, b=40),
                title_text="How long from launch to docking at the ISS?",
                yaxis_title_text="Hours, launch to docking (log scale)",
                legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="auto"))


def rendezvous_figure(df: pd.DataFrame, crewed_only: bool = True, width: int = 0
                      ) -> go.FigureWidget:
    """Launch-to-docking hours of ISS flights against launch date (log scale), coloured and
    shaped by rendezvous profile, with the first flight of each faster profile (TMA-08M, MS-17:
    see :func:`~explainer.stories.soyuz.analyses.rendezvous_eras`) and the latest flight (MS-28
    in the shipped data) marked; laid out for a box ``width`` CSS px wide
    (:func:`rendezvous_layout`). ``crewed_only`` leaves out uncrewed MS-14 (docked after five
    days) and MS-23."""
    r = rendezvous_flights(df, crewed_only)
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
        name=f"{last.flight} (latest)", x=[_date(last.launch_utc)],
        y=[round(last.hours, 3)], mode="markers",
        marker=dict(symbol="star", size=18, color=YELLOW, line=dict(color="black", width=1.5)),
        hovertemplate=f"<b>{last.flight}</b><br>docked {fmt_hours(last.hours)} after launch"
                      "<extra></extra>"))
    fig = figure_widget(data=traces)
    fig.update_layout(
        plot_bgcolor="white", title=dict(font=dict(size=15), x=0.01),
        yaxis=dict(type="log", gridcolor="#e5e5e5", tickvals=[2, 3, 6, 12, 24, 48],
                   range=[np.log10(1.6), np.log10(90)]),
        legend=dict(font=dict(size=11)), uirevision="keep",
    )
    fig.update_layout(rendezvous_layout(r, width))
    return fig


def rendezvous_flights(df: pd.DataFrame, crewed_only: bool = True) -> pd.DataFrame:
    """The flights of the rendezvous chart: :func:`rendezvous_hours` of ``df`` (ISS flights),
    crewed ones only if ``crewed_only``."""
    r = rendezvous_hours(df)
    return r[r.crewed].reset_index(drop=True) if crewed_only else r


def durations_layout(width: int = 0) -> dict:
    """The parts of the durations chart's layout that depend on the width of its box (CSS px, 0:
    not known): on a narrow box a shorter title, a tick every 20 years and the legend under
    the chart."""
    if is_narrow(width):
        return dict(legend_below(620, legend_px=200), title_text="How long each Soyuz flew",
                    xaxis_dtick="M240")
    return dict(height=380, margin=dict(l=10, r=10, t=50, b=40),
                title_text="How long each Soyuz flew (launch to landing)", xaxis_dtick=None,
                legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="auto"))


def durations_figure(df: pd.DataFrame, width: int = 0) -> go.FigureWidget:
    """Flight duration (days, log scale) against launch date, one marker per landed flight,
    coloured by generation, shaped by outcome; laid out for a box ``width`` CSS px wide
    (:func:`durations_layout`)."""
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
        plot_bgcolor="white", title=dict(font=dict(size=15), x=0.01),
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5"),
        yaxis=dict(type="log", title="Days (log scale)", gridcolor="#e5e5e5",
                   tickvals=[0.01, 0.1, 1, 10, 100, 365],
                   ticktext=["15 min", "2.4 h", "1", "10", "100", "365"]),
        uirevision="keep",
    )
    fig.update_layout(durations_layout(width))
    return fig


def crew_size_layout(width: int = 0) -> dict:
    """The parts of the crew-size chart's layout that depend on the width of its box (CSS px,
    0: not known): the legend beside the bars, or under them on a narrow box."""
    if is_narrow(width):
        return legend_below(440, legend_px=70)
    return dict(height=360, margin=dict(l=10, r=10, t=50, b=40),
                legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="auto",
                            traceorder="normal"))


def crew_size_figure(df: pd.DataFrame, width: int = 0) -> go.FigureWidget:
    """Crewed launches per generation, stacked by crew size at launch (1, 2 or 3): one
    horizontal bar per generation, the first at the top (the generations' names stay level and
    readable at any width); laid out for a box ``width`` CSS px wide (:func:`crew_size_layout`).
    """
    t = crew_sizes(df)
    patterns = {1: "", 2: "/", 3: "."}
    fig = figure_widget(data=[
        go.Bar(name=f"{s} aboard", y=list(t.index), x=t[s].to_numpy(), orientation="h",
               marker_color=c, marker_pattern_shape=patterns[s],
               hovertemplate=f"%{{y}}: %{{x}} launches with {s} aboard<extra></extra>")
        for s, c in zip(t.columns, (ORANGE, SKY_BLUE, BLUE), strict=True)
    ])
    fig.update_layout(
        barmode="stack", plot_bgcolor="white",
        title=dict(text="Crew size at launch, by generation", font=dict(size=15), x=0.01),
        xaxis=dict(title="Crewed launches", gridcolor="#e5e5e5"),
        yaxis=dict(autorange="reversed"), uirevision="keep",
    )
    fig.update_layout(crew_size_layout(width))
    return fig
