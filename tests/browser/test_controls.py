"""The play controls of the ISS and ports tabs in a real browser: named buttons, a pause that keeps
the time, a reset, and a play rate that matches what the Play button's tooltip promises."""

import re

import pytest

from tests.browser.test_dashboard import open_dashboard, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HANDLE = ".iss-time .noUi-handle"


def slider_value(page) -> int:
    return int(float(page.get_attribute(HANDLE, "aria-valuenow")))


def slider_rate(page, handle: str, ms: int) -> float:
    """How fast the slider whose handle is ``handle`` moves, in its units per second of the
    page's clock, measured in the page over ``ms`` milliseconds."""
    (t0, v0), (t1, v1) = page.evaluate("""([selector, ms]) => new Promise(done => {
        const read = () => [performance.now(), Number(document.querySelector(selector).getAttribute('aria-valuenow'))];
        const first = read();
        setTimeout(() => done([first, read()]), ms);
    })""", [handle, ms])
    return (v1 - v0) / ((t1 - t0) / 1000)


def test_every_button_has_a_name(page, dashboard_url):
    """Keyboard focus never lands on a button a screen reader announces as just "button"."""
    open_dashboard(page, dashboard_url)
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button')]
        .filter(b => b.checkVisibility())
        .filter(b => !(b.getAttribute('aria-label') || b.textContent).trim())
        .map(b => b.outerHTML.slice(0, 120))""")
    assert unnamed == []
    player = page.get_by_role("group", name="Play the flight")
    for name in ("Play", "Reset", "Repeat"):
        assert player.get_by_role("button", name=name, exact=True).count() == 1
    tooltip = player.get_by_role("button", name="Play", exact=True).get_attribute("title")
    assert tooltip == "Play: 100 s of flight per second"


def test_pause_keeps_the_time_and_reset_goes_back(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    player = page.get_by_role("group", name="Play the flight")
    page.get_by_role("button", name="Launch").click()
    page.wait_for_function("() => document.querySelector('.iss-readout').innerText.includes('09:27:57')",
                           timeout=20_000)
    launch = slider_value(page)
    player.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_timeout(1500)
    player.get_by_role("button", name="Pause", exact=True).click()
    paused = slider_value(page)
    assert paused > launch + 50  # it played
    page.wait_for_timeout(1000)
    assert slider_value(page) == paused  # and stays where it was paused
    assert player.get_by_role("button", name="Play", exact=True).is_visible()
    player.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function("() => document.querySelector('.iss-readout').innerText.includes('T-0:10:00')",
                           timeout=20_000)
    assert slider_value(page) == 0


def test_play_rate_matches_its_tooltip(page, dashboard_url):
    """While playing, the time moves 100 s of flight per second of real time (±10 %), measured
    on the slider in the browser over 3 s, on a computer four times slower than this one (a
    school Chromebook): ipywidgets' Play, which waits its interval after each step is drawn,
    moved 48-59 s of flight per second here."""
    open_dashboard(page, dashboard_url)
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
    player = page.get_by_role("group", name="Play the flight")
    page.get_by_role("button", name="Launch").click()
    page.wait_for_function("() => document.querySelector('.iss-readout').innerText.includes('09:27:57')",
                           timeout=20_000)
    rate_text = player.get_by_role("button", name="Play", exact=True).get_attribute("title")
    promised = float(re.search(r"(\d+) s of flight per second", rate_text)[1])
    player.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_timeout(500)
    rate = slider_rate(page, HANDLE, 3000)
    player.get_by_role("button", name="Pause", exact=True).click()
    assert abs(rate - promised) <= 0.1 * promised, (rate, promised)
    assert page.watch.unexpected() == []


def test_the_ports_tab_plays_with_the_same_named_controls(page, dashboard_url):
    """The ports tab had ipywidgets' Play (three icon-only buttons, a Stop that jumped back to the
    start, 30 days a step): now the same Play/Pause, Reset and Repeat, at the rate its tooltip
    gives, and Pause keeps the date."""
    open_dashboard(page, dashboard_url)
    open_tab(page, "Eight ports")
    player = page.get_by_role("group", name="Play the station's history")
    player.wait_for(timeout=60_000)
    unnamed = page.evaluate("""() => [...document.querySelectorAll('button')]
        .filter(b => b.checkVisibility())
        .filter(b => !(b.getAttribute('aria-label') || b.textContent).trim())
        .map(b => b.outerHTML.slice(0, 120))""")
    assert unnamed == []
    play = player.get_by_role("button", name="Play", exact=True)
    promised = float(re.search(r"(\d+) days of station history per second", play.get_attribute("title"))[1])
    handle = ".ports-date .noUi-handle"
    player.get_by_role("button", name="Reset", exact=True).click()
    page.wait_for_function("(h) => Number(document.querySelector(h).getAttribute('aria-valuenow')) === 0",
                           arg=handle, timeout=20_000)
    play.click()
    page.wait_for_timeout(300)
    rate = slider_rate(page, handle, 2000)
    player.get_by_role("button", name="Pause", exact=True).click()
    assert abs(rate - promised) <= 0.1 * promised, (rate, promised)
    paused = int(float(page.get_attribute(handle, "aria-valuenow")))
    page.wait_for_timeout(800)
    assert int(float(page.get_attribute(handle, "aria-valuenow"))) == paused
    assert page.watch.unexpected() == []
