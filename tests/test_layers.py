"""The package's layer rules ([tool.importlinter] in pyproject.toml), checked by import-linter.

astro and data import no plotting, widget or server package; a layer imports only the layers below
it; no story imports another; no import cycles.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
LINT = ("import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())")


def lint_imports(package_parent: Path) -> subprocess.CompletedProcess:
    """import-linter with this repository's contracts, on the ``explainer`` package found in
    ``package_parent``."""
    env = dict(os.environ, PYTHONPATH=str(package_parent))
    return subprocess.run(
        [sys.executable, "-c", LINT, "--config", str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=package_parent, env=env, capture_output=True, text=True, timeout=120,
    )


def test_every_layer_rule_holds():
    proc = lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_a_broken_rule_is_reported(tmp_path):
    """The check can fail: astro made to import plotly, and one story another."""
    shutil.copytree(ROOT / "explainer", tmp_path / "explainer",
                    ignore=shutil.ignore_patterns("__pycache__", "_shipped"))
    with (tmp_path / "explainer" / "astro" / "geo.py").open("a") as f:
        f.write("\nimport plotly  # noqa\n")
    with (tmp_path / "explainer" / "stories" / "ms28" / "__init__.py").open("a") as f:
        f.write("\nfrom explainer.stories import ports  # noqa\n")
    proc = lint_imports(tmp_path)
    assert proc.returncode == 1, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "explainer.astro is not allowed to import plotly" in proc.stdout
    assert "explainer.stories.ms28 is not allowed to import explainer.stories.ports" in proc.stdout
