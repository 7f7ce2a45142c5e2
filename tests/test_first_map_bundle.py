"""The small plotly.js that draws the dashboard's first map (explainer/ui/first_map_bundle.py);
tests/browser/test_first_map.py runs it in a browser on both Voila doors."""

import hashlib
import re
from pathlib import Path

import pytest

from explainer.ui import first_map_bundle as fmb
from explainer.ui.plotly_widget import SERVED_URL, bundle_path

README = fmb.VENDORED.parent / "README.md"
ROOT = Path(__file__).parents[1]


def test_the_shipped_geo_bundle_is_npms_file_with_its_licence():
    """The file is byte for byte the one vendor/README.md names (sha256 of
    plotly.js-geo-dist-min 4.1.1's plotly-geo.min.js from the npm registry), with plotly.js's
    MIT header, and the licence text ships beside it."""
    digest = hashlib.sha256(fmb.VENDORED.read_bytes()).hexdigest()
    assert digest == "3da0a26e92ce47dad2b18c6e7cf5018335a003f50f5fe41710f52508af579b7c"
    assert digest in README.read_text()
    assert "Licensed under the MIT license" in fmb.VENDORED.read_text()[:300]
    assert "Permission is hereby granted, free of charge" in (fmb.VENDORED.parent / "LICENSE.plotly.js.txt").read_text()


def test_it_is_the_plotlyjs_release_of_the_locked_plotly():
    """The early map must be drawn by the plotly.js that draws the kernel's figure. Fails after the
    lock moves to another plotly: replace vendor/plotly-geo.min.js with the matching release
    (vendor/README.md). (Other plotly releases the kit allows draw it with the widget bundle.)"""
    from importlib.metadata import version

    locked = re.search(r"^plotly==([\w.]+)$", (ROOT / "binder" / "requirements.txt").read_text(), re.M)[1]
    if version("plotly") != locked:
        pytest.skip(f"plotly {version('plotly')} is installed, binder/requirements.txt locks {locked}")
    assert fmb.vendored_version() == fmb.plotlyjs_version()
    # the installed plotly's own copy of plotly.js says which release it is in its header
    import plotly

    header = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
    assert f"plotly.js v{fmb.vendored_version()}\n" in header


def test_vendored_version_refuses_another_file():
    with pytest.raises(ValueError, match="not plotly.js's geo partial bundle"):
        fmb.vendored_version("/** plotly.js v4.1.1 */ full bundle")


def test_served_module_keeps_the_header_and_leaves_window_plotly_alone(monkeypatch):
    monkeypatch.setattr(fmb, "plotlyjs_version", fmb.vendored_version)  # whatever plotly is installed
    served = fmb.served_module().decode()
    assert fmb.module_path() == f"{SERVED_URL}plotly-first-map.js"
    assert fmb.VENDORED.read_text() in served  # unmodified, licence header included
    lines = served.splitlines()
    assert lines[2:4] == ["const module = {exports: {}};",
                          'const oeHad = Object.prototype.hasOwnProperty.call(window, "Plotly"), oeWas = window.Plotly;']
    assert lines[-2:] == ["if (oeHad) window.Plotly = oeWas; else delete window.Plotly;", "export default module.exports;"]


def test_another_plotlyjs_release_draws_the_first_map_with_the_widget_bundle(monkeypatch):
    monkeypatch.setattr(fmb, "plotlyjs_version", lambda: "3.0.1")  # plotly 6.1's, the oldest allowed
    served = fmb.served_module().decode()
    widget = bundle_path().removeprefix(SERVED_URL)
    assert served == f'import "./{widget}";\nexport default window.Plotly;\n'
