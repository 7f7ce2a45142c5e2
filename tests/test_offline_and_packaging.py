"""Offline by default, installable as a wheel, and accepted by repo2docker (the lock: test_binder.py)."""

import json
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_cartopy_draws_coastlines_from_shipped_files_without_downloading(tmp_path):
    import cartopy
    from cartopy.io import DownloadWarning

    from explainer.stories.ms28.printmap import offline_cartopy

    ccrs, cfeature, plt = offline_cartopy()
    cartopy.config["data_dir"] = str(tmp_path / "empty")  # nothing cached to fall back on
    with warnings.catch_warnings():
        warnings.simplefilter("error", DownloadWarning)
        fig = plt.figure()
        ax = fig.add_subplot(projection=ccrs.PlateCarree())
        ax.coastlines("50m")
        ax.add_feature(cfeature.LAND.with_scale("110m"))
        ax.add_feature(cfeature.BORDERS.with_scale("50m"))
        fig.savefig(tmp_path / "map.png")
        plt.close(fig)
    assert not (tmp_path / "empty").exists()


def test_ephemeris_loads_from_skyfield_data_without_warnings():
    from explainer.astro.skyfield_data import ephemeris

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eph = ephemeris()
    # DE421 (JPL; Folkner et al. 2008) covers 1899-07-29 to 2053-10-09 and holds the Sun (10)
    # and the Earth (399): a position of the Sun seen from the Earth must be about 1 au away
    from explainer.astro.skyfield_data import timescale

    t = timescale().utc(2025, 11, 27)
    distance_au = (eph["sun"] - eph["earth"]).at(t).distance().au
    assert 0.98 < distance_au < 0.99  # late November: ~0.987 au (perihelion 0.983 in early January)


def test_network_is_blocked_in_tests():
    """pytest-socket is active: anything but loopback fails (so a hidden download would too)."""
    import socket

    with pytest.raises(Exception, match="(?i)blocked|not allowed|SocketBlockedError|A test tried"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_plotly_maps_never_ask_for_the_cdn_base_map():
    from explainer.stories.ms28.app import IssApp

    app = IssApp()
    for fig in app.figures.values():
        geo = fig.layout.geo
        for layer in ("showland", "showocean", "showcoastlines", "showcountries", "showlakes",
                      "showrivers", "showsubunits"):
            assert getattr(geo, layer) is False, layer
        assert all(getattr(t, "locationmode", None) is None for t in fig.data)
        land = [t for t in fig.data if t.name == "land"]
        assert land and len(land[0].lon) > 500  # real coastlines drawn as traces


@pytest.mark.slow
def test_repo2docker_accepts_the_repository():
    proc = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-2000:]
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in out
    assert "./binder/postBuild" in out


@pytest.mark.slow
def test_wheel_carries_data_and_notebooks(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("orbit_explainer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "explainer/_shipped/data/manifest.json" in names
    assert "explainer/_shipped/data/tle/iss-2025-11.tle" in names
    assert "explainer/_shipped/data/natural_earth/shapefiles/natural_earth/physical/ne_50m_land.shp" in names
    assert "explainer/_shipped/notebooks/dashboard.ipynb" in names
    assert "explainer/share/voila/templates/orbit-explainer/index.html.j2" in names  # the page template
    # the JupyterLab extension, built (no Node.js needed) and where JupyterLab looks for it
    lab = "orbit_explainer-0.1.0.data/data/share/jupyter/labextensions/orbit-explainer-lab/"
    assert f"{lab}package.json" in names
    built = json.loads(zipfile.ZipFile(wheel).read(f"{lab}package.json"))["jupyterlab"]["_build"]
    assert f"{lab}{built['load']}" in names
    # unpacked on its own, the package finds its data inside itself
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = ("import explainer.paths as p, explainer.data as d; "
            "print(p.data_dir()); print(len(d.tles())); print(d.verify_manifest())")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert lines[0].startswith(str(target / "explainer" / "_shipped"))
    assert lines[1] == "14" and lines[2] == "[]"


def test_readme_binder_badges_open_files_that_exist():
    from urllib.parse import unquote

    readme = (ROOT / "README.md").read_text()
    targets = [unquote(m) for m in re.findall(r"mybinder\.org/v2/gh/[^)]*urlpath=([^)\s]+)", readme)]
    assert "voila/render/notebooks/dashboard.ipynb" in targets
    assert any(t.startswith("lab/tree/") for t in targets)
    for target in targets:
        path = target.split("/", 2)[2]  # voila/render/<path> or lab/tree/<path>
        assert (ROOT / path).is_file(), target
