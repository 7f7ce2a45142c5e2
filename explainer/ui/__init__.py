"""Shared user-interface pieces: offline base maps for plotly (``basemap``) and the plotly widget
that loads plotly's front end once per page (``plotly_widget``)."""
