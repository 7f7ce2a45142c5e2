"""The Soyuz MS-28 approach story: computations (``approach``), the ISS map app (``app``), the
place finder (``place_app``) and the print map (``printmap``)."""
