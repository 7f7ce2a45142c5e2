"""The astronomy core: element sets (``tle``), times (``timeutil``), UT1 and the TEME to ITRS
rotation and WGS84 geodetic coordinates (``frames``), SGP4 propagation to the ground (``orbit``),
the Sun (``sun``), a place on the ground: look angles, closest approach, passes and their
naked-eye windows (``observer``, with ``refine``), bearings (``geo``) and Skyfield's offline data
(``skyfield_data``).

Depends on numpy, pandas, sgp4 and skyfield only: no plotting, widgets or maps (import-linter).
"""
