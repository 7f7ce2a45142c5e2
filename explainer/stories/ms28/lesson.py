"""What notebook 01 shows beside its app, laid out for any screen: the element sets with where each
was published, and the chart of how far apart two element sets' predictions are.

Text is Markdown or HTML, which wraps on a phone; a printed line or a URL does not (it runs off a
360 px screen), and a title inside a plotly figure does not wrap either.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from explainer.astro.timeutil import iso
from explainer.astro.tle import ElementSet
from explainer.stories.ms28.approach import Approach
from explainer.ui.fitted_chart import FittedChart, time_chart

_PUBLISHED_AT = re.compile(r"^(?P<url>https?://\S+)\s*(?:\((?P<note>.*)\))?$")
_GITHUB_REPO = re.compile(r"^https://github\.com/(?P<repo>[^/\s]+/[^/\s]+)/")
SPREAD_TITLE = "Distance between the two bracketing element sets' predictions, 27 Nov 2025 (UTC)"
SPREAD_STEP_S = 30
"""The chart of the spread plots one point every 30 s of the story's 1-s track."""


def source_markdown(source: str) -> str:
    """An element set's ``source`` as Markdown: a URL becomes a link named by its repository
    (``owner/name`` on GitHub) or its host, followed by its note; other text is kept as it is."""
    match = _PUBLISHED_AT.match(source.strip())
    if match is None:
        return source
    url, note = match["url"], match["note"]
    repo = _GITHUB_REPO.match(url)
    name = repo["repo"] if repo else url.split("/")[2]
    return f"[{name}]({url})" + (f" ({note})" if note else "")


def element_sets_markdown(sets: list[ElementSet]) -> str:
    """One Markdown list item per element set: its epoch (UTC, to the minute), orbital period
    (minutes), inclination (degrees) and where it was published."""
    return "\n".join(
        f"- **{iso(s.epoch)[:16].replace('T', ' ')} UTC**: period {s.period_min:.2f} min, "
        f"inclination {s.inclination_deg:.4f}°; published in {source_markdown(s.source)}"
        for s in sets
    )


def spread_chart(story: Approach) -> FittedChart:
    """The distance (km) between the positions the two element sets bracketing the event give for
    the same moments, over the story's window (UTC); its ``widget`` fits any screen."""
    fig = go.Figure(go.Scatter(x=story.track.time[::SPREAD_STEP_S], y=story.spread_km[::SPREAD_STEP_S],
                               mode="lines", line=dict(color="#0072B2"), name="distance", showlegend=False,
                               hovertemplate="%{x|%H:%M:%S} UTC: %{y:.2f} km<extra></extra>"))
    fig.update_layout(height=300, title=SPREAD_TITLE, xaxis_title=None, yaxis_title="km",
                      margin=dict(t=10, b=40, l=60, r=20), plot_bgcolor="white")
    fig.update_yaxes(gridcolor="#EEEEEE")
    return time_chart(fig)
