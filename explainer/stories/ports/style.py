"""How each vehicle type is drawn: an Okabe-Ito colour (:mod:`explainer.ui.palette`) plus a
marker shape (schematic) and a bar pattern (chart of every stay), so that no two types differ by
colour alone (Soyuz/Progress, HTV/HTV-X, ATV/Starliner and Dragon/Crew Dragon share or nearly
share a colour and differ in shape and pattern). Two types share a bar pattern only where their
colours differ in lightness by a contrast ratio of at least 3:1 (WCAG 2.1 non-text contrast):
the Space Shuttle (black) and Soyuz (vermillion), ATV (yellow) and Crew Dragon (blue)."""

from __future__ import annotations

from explainer.ui import palette

# type: (colour, schematic marker symbol, bar pattern); circle = crew vehicle
VEHICLE_STYLES = {
    "Soyuz": (palette.VERMILLION, "circle", ""),
    "Progress": (palette.ORANGE, "square", "/"),
    "Space Shuttle": (palette.BLACK, "diamond", ""),
    "ATV": (palette.YELLOW, "square", "x"),
    "HTV": (palette.BLUISH_GREEN, "square", "."),
    "HTV-X": (palette.BLUISH_GREEN, "hexagon", "+"),
    "Dragon": (palette.SKY_BLUE, "square", "\\"),
    "Crew Dragon": (palette.BLUE, "circle", "x"),
    "Cygnus": (palette.REDDISH_PURPLE, "square", "-"),
    "Starliner": (palette.YELLOW, "circle", "|"),
}
UNKNOWN_STYLE = ("#444444", "circle", "")
EMPTY_COLOUR = palette.GREY
WINDOW_COLOUR = "rgba(0, 158, 115, 0.18)"
"""Shading of the all-eight window (bluish green, transparent)."""
UNCERTAIN_COLOUR = "rgba(0, 158, 115, 0.07)"
"""Shading of the part of the window that depends on an unsourced time."""
DOCKING_COLOUR = palette.VERMILLION


def style(vehicle_type: str) -> tuple[str, str, str]:
    """``(colour, marker symbol, bar pattern)`` of a vehicle type."""
    return VEHICLE_STYLES.get(vehicle_type, UNKNOWN_STYLE)
