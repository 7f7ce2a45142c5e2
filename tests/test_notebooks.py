"""Every notebook executes top to bottom, headless and offline, and is committed without outputs."""

import json
import re
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_the_four_notebooks():
    names = {nb.name for nb in NOTEBOOKS}
    assert {"01_iss_over_the_mediterranean.ipynb", "dashboard.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    cells = json.loads(path.read_text())["cells"]
    assert not [c for c in cells if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executes_top_to_bottom(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    # run in a copy of the notebook folder so files the notebook saves land in tmp_path
    start = time.perf_counter()
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=300,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    elapsed = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr"
                                               and "Warning" in o.text)]
    assert errors == []
    widgets = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "every notebook shows its interactive widgets"
    # tables shown to students: no row numbers, no NaT, nan or True/False (issue 14); a pandas
    # table's index is a header cell of class "row_heading" (Styler) or in "<tbody><tr><th>"
    tables = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "<table" in o.get("data", {}).get("text/html", "")]
    for table in tables:
        assert "row_heading" not in table and not re.search(r"<tbody>\s*<tr>\s*<th", table), table[:300]
        assert not re.search(r">\s*(NaT|nan|NaN|True|False|None)\s*<", table), table[:300]
    print(f"{path.name}: {elapsed:.1f} s")
