"""Notebook 03's charts in JupyterLab lay themselves out again when their box changes: a laptop
window narrowed to a phone's width gets the phone layout (short marks inside the plot, the legend
under it), not the desktop one squeezed (whose marks ran over the tick labels and the axis title
at 390 px)."""

import pytest

from .layout import layout_report, resize_window
from .test_jupyterlab import lab, run_notebook  # noqa: F401 - the JupyterLab server fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "03_sixty_years_of_soyuz.ipynb"

SHOW_CELL = """async (code) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const i = nb.widgets.findIndex(w => w.model.sharedModel.getSource().includes(code));
  await nb.scrollToItem(i, 'start');
  nb.widgets[i].node.setAttribute('data-test-cell', code);
}"""

MARKS = """(cell) => [...document.querySelectorAll(`[data-test-cell="${cell}"] .annotation-text`)]
  .map(t => t.textContent)"""


def test_rendezvous_chart_takes_the_phone_layout_when_the_window_narrows(browser, lab):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    cell = "soyuz.rendezvous_chart(flights)"
    try:
        run_notebook(page, lab, NAME)
        page.evaluate(SHOW_CELL, cell)
        page.wait_for_function(f"() => ({MARKS})({cell!r}).some(t => t.includes('first 4-orbit'))")
        resize_window(page, 390, 844)
        page.evaluate(SHOW_CELL, cell)
        page.wait_for_function(f"() => ({MARKS})({cell!r}).includes('TMA-08M (2013)')",
                               timeout=15_000)
        page.wait_for_timeout(500)
        assert page.evaluate(MARKS, cell) == ["TMA-08M (2013)", "MS-17 (2020)", "MS-28: 3 h 07 min"]
        where = f'[data-test-cell="{cell}"]'
        report = layout_report(page, root=f"{where} .jp-OutputArea")
        assert report["overlaps"] == [] and report["clipped"] == [], report
        (figure,) = [f for f in report["figures"] if f["width"] > 0]
        assert figure["width"] < 390 and abs(figure["width"] - figure["boxWidth"]) <= 2, figure
    finally:
        context.close()
