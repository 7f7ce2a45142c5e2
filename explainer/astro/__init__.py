"""The astronomy core: element sets (``tle``), times (``timeutil``), SGP4 propagation and the
TEME to ITRS rotation (``orbit``), the Sun (``sun``), a place on the ground (``observer``),
bearings (``geo``) and Skyfield's offline data (``skyfield_data``).

Depends on numpy, pandas, sgp4 and skyfield only: no plotting, widgets or maps (import-linter).
"""
