"""Moving through a page as a keyboard user does: Tab, Enter and Space only, checking the focus can be seen.

WCAG 2.4.7 asks that whatever has the keyboard focus shows it. ``tab_to`` presses Tab until the wanted
element has the focus, and on every stop checks the focused element has an outline or a ring and is on
screen; a failure names each stop on the way so the missing style can be found.
"""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

_FOCUS = """
const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
  && r.top < innerHeight && r.left < innerWidth;
const name = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40);
return {tag: e.tagName.toLowerCase(), id: e.id, name: name, ring: ring, onScreen: onScreen};
"""


def keys(driver: WebDriver, *pressed: str) -> None:
    """Press keys (or type text) into whatever has the focus, as a keyboard would."""
    chain = ActionChains(driver)
    for key in pressed:
        chain.send_keys(key)
    chain.perform()


def focused(driver: WebDriver) -> dict:
    """The focused element: tag, id, name, and whether its focus shows (``ring``) on screen."""
    return driver.execute_script(_FOCUS)


def _label(f: dict) -> str:
    return f"<{f['tag']}{'#' + f['id'] if f['id'] else ''}> {f['name']!r}"


def tab_to(driver: WebDriver, wanted, what: str, limit: int = 40) -> dict:
    """Press Tab until ``wanted(focused)`` holds; every stop on the way must show its focus on screen."""
    stops = []
    for _ in range(limit):
        keys(driver, Keys.TAB)
        now = focused(driver)
        stops.append(_label(now))
        assert now["ring"] and now["onScreen"], (
            f"the keyboard focus cannot be seen on {_label(now)} ({driver.current_url}); "
            f"ring={now['ring']}, on screen={now['onScreen']}")
        if wanted(now):
            return now
    raise AssertionError(f"{limit} presses of Tab did not reach {what} on {driver.current_url}; "
                         f"the focus went: {' > '.join(stops)}")
