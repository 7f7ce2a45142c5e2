"""The kit's three stories, each a package: ``ms28`` (the approach of Soyuz MS-28 over the
Mediterranean), ``ports`` (the ISS's eight visiting-vehicle ports) and ``soyuz`` (sixty years of
crewed Soyuz flights). A story may use ``astro``, ``data`` and ``ui`` but not another story."""
