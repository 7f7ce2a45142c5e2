"""Binder's locked environment (binder/requirements.txt, written by tools/lock.sh) satisfies pyproject.toml."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[1]
BINDER = ROOT / "binder"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


def lock() -> dict[str, Version]:
    """The lock's pins, by canonical name; fails on any line that is not an exact pin."""
    pins = {}
    for number, raw in enumerate((BINDER / "requirements.txt").read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"binder/requirements.txt line {number} is not an exact pin: {line!r}"
        name = canonicalize_name(match["name"])
        assert name not in pins, f"{name} is pinned twice"
        pins[name] = Version(match["version"])
    return pins


def runtime_requirements() -> list[Requirement]:
    return [Requirement(r) for r in PROJECT["dependencies"]]


def test_lock_pins_every_runtime_dependency_within_its_bounds():
    pins = lock()
    for req in runtime_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} (pyproject.toml) is not pinned in binder/requirements.txt"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"binder/requirements.txt pins {req.name}=={pins[name]}, outside pyproject.toml's {req.specifier}"


@pytest.mark.parametrize("package", ["plotly", "anywidget", "voila"])
def test_packages_whose_internals_the_kit_uses_have_an_upper_bound(package):
    (req,) = [r for r in runtime_requirements() if canonicalize_name(r.name) == package]
    assert any(spec.operator in ("<", "<=", "==", "~=") for spec in req.specifier), str(req)


def test_every_runtime_dependency_has_a_lower_bound():
    for req in runtime_requirements():
        assert any(spec.operator in (">=", "==", "~=") for spec in req.specifier), str(req)


def test_lock_is_generated_not_edited():
    text = (BINDER / "requirements.txt").read_text()
    assert "tools/lock.sh" in text.splitlines()[0]
    assert "# via orbit-explainer (pyproject.toml)" in text  # uv's record of where each pin comes from
    assert len(lock()) > 2 * len(runtime_requirements())  # dependencies of dependencies pinned too


def test_binder_python_is_the_lock_python_and_allowed_by_pyproject():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == "python-3.11"
    assert Version("3.11") in SpecifierSet(PROJECT["requires-python"])
    assert "--python-version 3.11" in (ROOT / "tools" / "lock.sh").read_text()


def test_postbuild_installs_the_kit_without_touching_the_lock():
    post = (BINDER / "postBuild").read_text()
    assert re.search(r"pip install .*--no-deps.* -e \.", post)
