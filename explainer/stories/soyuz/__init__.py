"""Sixty years of Soyuz: the sourced flight history, its analyses, its text and its charts.

The table (``data/soyuz_flights.csv``) is loaded and checked by :mod:`explainer.data.flights`;
this package tells its story:

- :mod:`~explainer.stories.soyuz.analyses`: counts, durations, rendezvous eras, ordinals,
  station eras (pandas only);
- :mod:`~explainer.stories.soyuz.text`: number formats, text alternatives, computed statements;
- :mod:`~explainer.stories.soyuz.figures` and :mod:`~explainer.stories.soyuz.timeline`: the
  plotly figures; :mod:`~explainer.stories.soyuz.charts`: a figure with its text alternative,
  laid out for the width of its box;
- :mod:`~explainer.stories.soyuz.tables`: tables as students see them (plain column names, no
  index numbers);
- :mod:`~explainer.stories.soyuz.app`: :class:`SoyuzApp`, the timeline with filters.

The names below are what notebook 03 and the dashboard use.
"""

from explainer.data.flight_schema import FILE, GENERATIONS, STATION_NAMES
from explainer.data.flights import load_crewed_returns, load_flights
from explainer.stories.soyuz.analyses import (
    PROFILES,
    crew_of,
    crew_sizes,
    crewed_number,
    crewed_ordinals,
    durations_days,
    flights_per_year,
    flights_with_profile,
    losses_and_aborts,
    rendezvous_eras,
    rendezvous_hours,
    source_sites,
    station_bands,
)
from explainer.stories.soyuz.app import SoyuzApp
from explainer.stories.soyuz.charts import (
    crew_size_chart,
    durations_chart,
    rendezvous_chart,
)
from explainer.stories.soyuz.figures import (
    crew_size_figure,
    durations_figure,
    per_year_figure,
    rendezvous_figure,
)
from explainer.stories.soyuz.tables import (
    latest_flights,
    losses_table,
    outcomes_table,
    profiles_table,
    quoted,
    rendezvous_table,
    sources_table,
)
from explainer.stories.soyuz.text import (
    describe_crew_sizes,
    describe_durations,
    describe_ordinals,
    describe_per_year,
    describe_rendezvous,
    describe_rendezvous_eras,
    describe_timeline,
    join_names,
)
from explainer.stories.soyuz.timeline import flight_traces, timeline_figure

__all__ = [
    "FILE", "GENERATIONS", "PROFILES", "STATION_NAMES", "SoyuzApp", "crew_of",
    "crew_size_chart", "crew_size_figure", "crew_sizes", "crewed_number", "crewed_ordinals",
    "describe_crew_sizes", "describe_durations", "describe_ordinals", "describe_per_year",
    "describe_rendezvous", "describe_rendezvous_eras", "describe_timeline", "durations_chart",
    "durations_days", "durations_figure", "flight_traces", "flights_per_year",
    "flights_with_profile", "join_names", "latest_flights", "load_crewed_returns",
    "load_flights", "losses_and_aborts", "losses_table", "outcomes_table", "per_year_figure",
    "profiles_table", "quoted", "rendezvous_chart", "rendezvous_eras", "rendezvous_figure",
    "rendezvous_hours", "rendezvous_table", "source_sites", "sources_table", "station_bands",
    "timeline_figure",
]
