"""The dashboard's first map, drawn by the page before the kernel answers.

A visitor's first sight of the dashboard is the ISS map. Its figure in the initial state does not
depend on the visitor, so the server writes it once (:func:`write`), as JSON beside plotly's
served bundle (:data:`FILE`, under :data:`~explainer.ui.plotly_widget.SERVED_URL`). The kit's
Voila page template fetches it as soon as the page's head arrives, draws it with the shared
bundle, and removes it when the kernel's own figure is drawn: the map appears while Voila's
scripts load and the kernel starts (or, preheated, sends its widgets). Run as
``python -m explainer.stories.ms28.first_map PATH`` it writes the file at PATH.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from explainer.ui.plotly_widget import FIRST_MAP_FILE

FILE = FIRST_MAP_FILE
"""The file's name in the served folder."""


def figure_json() -> dict:
    """``{"figure": <the dashboard's first map as plotly JSON>}``: the ISS map of :class:`IssApp` in
    its initial state, the same figure the dashboard's kernel builds."""
    from explainer.stories.ms28.app import IssApp

    figure = IssApp().figures["region"].to_plotly_json()
    return {"figure": {"data": figure["data"], "layout": figure["layout"]}}


def write(path: Path) -> None:
    """Write :func:`figure_json` at ``path``, atomically (a reader never sees half a file)."""
    text = json.dumps(figure_json(), separators=(",", ":"), default=_plain)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _plain(value):
    """numpy arrays and numbers in plotly's JSON as plain lists and numbers."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


if __name__ == "__main__":
    write(Path(sys.argv[1]))
