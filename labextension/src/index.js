/**
 * Orbit Explainer's JupyterLab extension: on a narrow screen, the notebook gets the screen.
 *
 * JupyterLab opens with its file browser in the left side bar, about 250 px wide whatever the
 * screen: on a 390 px phone that left the notebook about 40 px, on a 768 px tablet 400 px. On a
 * screen narrower than TABLET_PX (CSS px) this plugin starts JupyterLab with both side bars
 * collapsed, their tabs one tap away in the activity bar, and collapses them again when a window
 * is narrowed past that width. On a phone, narrower than PHONE_PX (the kit's NARROW_PX,
 * explainer/ui/screen.py), it also switches to JupyterLab's single-document mode ("Simple
 * interface"): one notebook fills the screen, without the tab bar, and the right activity bar
 * (property inspector, debugger) is hidden: 33 px of a 360 px screen. What a student opens
 * afterwards stays open: the plugin acts only at start and when the width crosses a threshold.
 * When the window widens past PHONE_PX the plugin shows the bar again. JupyterLab saves a hidden
 * activity bar with the user's workspace, so a student who later opens the same workspace on a
 * laptop (a JupyterHub account; Binder starts afresh each time) finds it hidden: View > Show
 * Right Activity Bar.
 *
 * It does nothing where the shell is not JupyterLab's (Voila loads lab extensions too).
 * Built into explainer/share/labextensions/ by tools/build_labextension.sh.
 */
const TABLET_PX = 1024;
const PHONE_PX = 600;
function canToggleRightBar(shell) {
  return typeof shell.isSideTabBarVisible === 'function' && typeof shell.toggleSideTabBarVisibility === 'function';
}

/** Collapse the side bars; on a phone, single-document mode and no right activity bar. Returns
 * whether it hid that bar. */
function giveTheNotebookTheScreen(shell, phone) {
  if (phone && shell.mode !== 'single-document') {
    shell.mode = 'single-document';
  }
  shell.collapseLeft();
  shell.collapseRight();
  if (phone && canToggleRightBar(shell) && shell.isSideTabBarVisible('right')) {
    shell.toggleSideTabBarVisibility('right');
    return true;
  }
  return false;
}

const narrowScreens = {
  id: 'orbit-explainer-lab:narrow-screens',
  description: 'On a narrow screen, start with the side bars collapsed; on a phone, in single-document mode.',
  autoStart: true,
  activate: app => {
    const shell = app.shell;
    if (typeof shell.collapseLeft !== 'function' || typeof shell.collapseRight !== 'function') {
      return;
    }
    const tablet = window.matchMedia(`(max-width: ${TABLET_PX - 0.02}px)`);
    const phone = window.matchMedia(`(max-width: ${PHONE_PX - 0.02}px)`);
    let hidRightBar = false;
    const fit = isPhone => {
      hidRightBar = giveTheNotebookTheScreen(shell, isPhone) || hidRightBar;
    };
    void app.restored.then(() => {
      if (tablet.matches) {
        fit(phone.matches);
      }
      tablet.addEventListener('change', event => {
        if (event.matches) {
          fit(phone.matches);
        }
      });
      phone.addEventListener('change', event => {
        if (event.matches) {
          fit(true);
        } else if (hidRightBar && !shell.isSideTabBarVisible('right')) {
          shell.toggleSideTabBarVisibility('right');
          hidRightBar = false;
        }
      });
    });
  }
};

export default [narrowScreens];
