"""Tables shown to students that read on any screen: plain column names, no row numbers, and in a
box narrower than :data:`CARD_BELOW_PX` each row of a wide table becomes a card of "column: value"
lines.

A table of six columns does not fit the 256 px a phone leaves a notebook's output in JupyterLab:
it runs off the screen or scrolls sideways, and a student loses which column a number is in. The
switch is a CSS container query on the table's own box, so it follows the box (a phone, a
resized window, JupyterLab's side panel) without the kernel; Chromium, Firefox and Safari have
had container queries since 2022-2023.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from IPython.display import HTML

CARD_BELOW_PX = 560
"""Boxes narrower than this (CSS px) show each row as a card."""

CARDS_ABOVE_COLUMNS = 3
"""Tables of more columns than this become cards in a narrow box; two or three fit a phone."""

_STYLE = f"""<style>
.oe-table {{ container-type: inline-size; }}
@container (max-width: {CARD_BELOW_PX - 0.02}px) {{
  .oe-cards table, .oe-cards tbody, .oe-cards tr, .oe-cards table td {{ display: block; width: auto; margin: 0; }}
  .oe-cards thead {{ display: none; }}
  .oe-cards tr {{ padding: 0.4em 0; border-top: 1px solid #bbb; }}
  /* !important: JupyterLab right-aligns output table cells with a more specific selector */
  .oe-cards table td {{ padding: 0.1em 0; border: none; text-align: left !important; }}
  .oe-cards td::before {{ content: attr(data-label) ": "; font-weight: bold; }}
}}
</style>"""


def _cell(value) -> str:
    """A value as the text of a cell: missing values (None, NaN, NaT) empty, booleans "yes" or
    "no", whole numbers without ".0" (a column of integers with a gap is float), a time at
    midnight as its date, a list as its items."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return f"{value:%Y-%m-%d}"
    return html.escape(str(value))


def student_table(frame: pd.DataFrame) -> HTML:
    """``frame`` as an HTML table without its index, its column names as headers (write them in
    plain language) and each cell labelled with its column for the card layout, which a table of
    more than :data:`CARDS_ABOVE_COLUMNS` columns takes in a narrow box."""
    names = [html.escape(str(c)) for c in frame.columns]
    head = "".join(f"<th scope='col'>{n}</th>" for n in names)
    rows = "".join(
        "<tr>" + "".join(f"<td data-label='{n}'>{_cell(v)}</td>" for n, v in zip(names, row, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    cards = " oe-cards" if len(frame.columns) > CARDS_ABOVE_COLUMNS else ""
    return HTML(f"<div class='oe-table{cards}'>{_STYLE}{table}</div>")
