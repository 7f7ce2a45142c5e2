"""The public surface: every documented name resolves, importing it is light, and the contracts
other projects depend on (``explainer.data.soyuz_flights()``, ``port_visits()``, ``ports()``)
still work."""

import subprocess
import sys

import explainer.api as api


def test_every_public_name_resolves_to_the_object_its_module_defines():
    import importlib

    for module, names in api._WHERE.items():
        for name in names:
            assert getattr(api, name) is getattr(importlib.import_module(module), name), name


def test_every_public_name_is_documented_in_the_module_docstring():
    missing = [name for name in api.__all__ if f"`{name}`" not in api.__doc__]
    assert missing == []


def test_an_unknown_name_says_where_to_look():
    try:
        api.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "help(explainer.api)" in str(error)
    else:
        raise AssertionError("no AttributeError")


def test_importing_the_api_and_the_core_pulls_in_no_ui():
    code = ("import sys, explainer.api as a; a.subpoints; a.passes; a.soyuz_flights; a.occupancy_at; "
            "print(sorted(m for m in ('plotly', 'ipywidgets', 'cartopy', 'matplotlib', 'voila', 'anywidget') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_data_contracts_keep_their_names():
    from explainer import data

    assert len(data.soyuz_flights()) > 150
    assert {"port", "module"} <= set(data.ports().columns)
    assert {"vehicle", "port", "arrival_utc", "departure_utc"} <= set(data.port_visits().columns)
