"""The Kubernetes path: docs/z2jh-values.yaml against the Zero to JupyterHub chart's own values schema
(tests/z2jh/, chart 4.4.0)."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
DASHBOARD = "voila/render/notebooks/dashboard.ipynb"


def test_z2jh_values_match_the_charts_schema():
    """docs/z2jh-values.yaml merged over the chart's defaults, as Helm does, validates against the
    chart's values schema; and it sets what the kit needs."""
    import jsonschema
    import yaml

    def merge(base, override):
        if isinstance(base, dict) and isinstance(override, dict):
            return {k: merge(base.get(k), v) if k in base else v for k, v in override.items()} | {
                k: v for k, v in base.items() if k not in override}
        return override

    ours = yaml.safe_load((DOCS / "z2jh-values.yaml").read_text())
    defaults = yaml.safe_load((ROOT / "tests" / "z2jh" / "values.yaml").read_text())
    schema = json.loads((ROOT / "tests" / "z2jh" / "values.schema.json").read_text())
    jsonschema.validate(merge(defaults, ours), schema)

    assert ours["singleuser"]["defaultUrl"] == "/" + DASHBOARD
    assert ours["cull"]["enabled"] is True
    # from the measured sizes (tests/browser/test_jupyterhub.py checks them against a real run)
    assert ours["singleuser"]["memory"] == {"guarantee": "400M", "limit": "768M"}
    with pytest.raises(jsonschema.ValidationError):  # the schema does catch a mistake
        jsonschema.validate(merge(defaults, ours | {"singleuser": {"defaultURL": "/lab"}}), schema)
