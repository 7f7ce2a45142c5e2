"""The kit's JupyterLab extension as shipped: built from its source (labextension/src/index.js,
rebuilt by tools/build_labextension.sh) and in step with the kit's own idea of a phone. The
browser test of what it does is tests/browser/test_jupyterlab.py."""

import json
import re
from pathlib import Path

from explainer.ui.screen import NARROW_PX

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "labextension" / "src" / "index.js"
BUILT = ROOT / "explainer" / "share" / "labextensions" / "orbit-explainer-lab"


def built_code() -> str:
    load = json.loads((BUILT / "package.json").read_text())["jupyterlab"]["_build"]["load"]
    assert (BUILT / load).is_file()
    return "".join(p.read_text() for p in (BUILT / "static").glob("*.js"))


def test_the_shipped_build_is_built_from_the_source():
    source, built = SOURCE.read_text(), built_code()
    strings = set(re.findall(r"'([^'\n]+)'", source)) - {"function"}
    assert strings and {s for s in strings if s not in built} == set()
    px = dict(re.findall(r"const (\w+_PX) = (\d+);", source))
    for name in ("TABLET_PX", "PHONE_PX"):
        assert f"(max-width: {int(px[name]) - 0.02}px)" in built  # minified, the numbers stay
    assert int(px["PHONE_PX"]) == NARROW_PX  # a phone for the lab is a phone for the kit's apps


def test_voila_doors_do_not_load_it():
    # it lays out JupyterLab; Voila pages would fetch it for nothing
    assert "orbit-explainer-lab" in json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"][
        "extension_denylist"]
    assert "orbit-explainer-lab" in (ROOT / "docs" / "jupyterhub_config.py").read_text()
    assert "orbit-explainer-lab" in (ROOT / "explainer" / "serve.py").read_text()
