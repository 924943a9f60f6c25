"""Every page, as each role sees it, scanned by axe-core for WCAG 2.2 AA at desktop and phone sizes.

``PAGES`` is the table: to scan a new page, add its path under a role that can open it (a test fails
if the menu offers a page the table lacks). The site is seeded once for the module (a remark, consent
requests, an acknowledgement) so lists and tables are on the page rather than "nothing yet". Each page
is loaded once and scanned at each viewport in turn: resizing re-lays the page out without a reload,
and injecting axe costs more than running it. Screens reached by doing something (a check's findings,
a form's errors) are scanned in the journeys that reach them.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from councilguard.web.acknowledgements import PolicyVersion
from councilguard.web.drafts import DraftForm
from tests.web.conftest import CLERK
from tests.web.e2e.actions import go, path_of, sign_in
from tests.web.e2e.axe import describe, violations
from tests.web.e2e.browser import VIEWPORTS, set_viewport
from tests.web.e2e.site import Site, png, running_site

ANONYMOUS = "anonymous"
PAGES: dict[str, tuple[str, ...]] = {  # each page once, as the role that sees the most of it
    ANONYMOUS: ("/sign-in", "/no-such-page"),
    "councillor": ("/welcome", "/check", "/drafts", "/remarks", "/consents", "/policy"),
    "staff": ("/official-posts",),
    "proper-officer": ("/desk", "/authorisations", "/accounts", "/roster", "/settings", "/retention", "/audit"),
    "administrator": ("/accounts",),
}
ERROR_PAGES = {"/no-such-page"}  # expected to answer with the error page
EMAILS = {"councillor": "cllr.jones@example.org", "staff": "deputy.clerk@example.org",
          "proper-officer": CLERK[0], "administrator": "it@example.org"}
NAMES = {"councillor": "Sam Jones", "staff": "Dana Reid", "proper-officer": CLERK[1], "administrator": "Ivo Admin"}


def seed(site: Site) -> None:
    """An account per role and a little of everything the pages list."""
    users = {role: site.add_user(role, email=EMAILS[role], name=NAMES[role]) for role in EMAILS}
    clerk, cllr = users["proper-officer"], users["councillor"]
    state = site.app.state
    state.remarks.file(cllr, remark="Jones is a disgrace and should resign.", link="https://x.example/s/1",
                       platform="X (Twitter)", note="Posted twice.", screenshot=png(40, 30))
    state.consents.ask(cllr, address="sam.jones@mail.example", reason="Away from my laptop.", period="one month")
    granted = state.consents.ask(cllr, address="sam@home.example", reason="Old mailbox.", period="a week")
    state.consents.grant(granted.id, clerk, expires_on=date.today() + timedelta(days=30),
                         source="Clerk's decision", today=date.today())
    state.acknowledgements.acknowledge(users["staff"].id, PolicyVersion.of(state.checker.pack))
    state.kept_drafts.keep(cllr, DraftForm(text="Thoughts on the Greenway plan before Tuesday's meeting.",
                                           channel="facebook"), verdict="advice")  # My drafts lists it


@pytest.fixture(scope="module")
def seeded(_web_template: Path, tmp_path_factory, checker) -> Iterator[Site]:
    with running_site(_web_template, tmp_path_factory.mktemp("axe-site"), checker) as made:
        seed(made)
        yield made


@pytest.fixture(scope="module")
def cookies() -> dict[str, list[dict]]:
    """Each role's session cookie once it has signed in, so each role signs in once per module."""
    return {}


def _as(driver: WebDriver, site: Site, role: str, cookies: dict[str, list[dict]]) -> None:
    if role == ANONYMOUS:
        return
    if role not in cookies:
        sign_in(driver, site.url, EMAILS[role])
        cookies[role] = driver.get_cookies()
        return
    for cookie in cookies[role]:  # through DevTools: WebDriver could only set them on a page of the site
        driver.execute_cdp_cmd("Network.setCookie", {"url": site.url, "name": cookie["name"],
                                                     "value": cookie["value"], "httpOnly": cookie["httpOnly"],
                                                     "sameSite": cookie.get("sameSite", "Lax")})


def _wider_than_screen(driver: WebDriver) -> list[str]:
    """The outermost elements reaching past the viewport's right edge (none if the page fits)."""
    return driver.execute_script("""
        const edge = document.documentElement.clientWidth, out = [];
        for (const e of document.body.querySelectorAll("*")) {
          if (e.getBoundingClientRect().right > edge + 1 && !out.some(o => o.contains(e))) { out.push(e); }
        }
        return out.filter(e => !e.closest(".visually-hidden, .skip-link"))
          .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""));
    """)


@pytest.mark.parametrize(("role", "path"), [(role, path) for role, paths in PAGES.items() for path in paths],
                         ids=lambda v: v.strip("/") or "home")
def test_the_page_meets_wcag_2_2_aa(seeded: Site, chromium: WebDriver, cookies, role: str, path: str):
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    set_viewport(chromium, VIEWPORTS[0])
    _as(chromium, seeded, role, cookies)
    go(chromium, seeded.url, path)
    assert path_of(chromium) == path, f"{path} as {role} went to {chromium.current_url} instead"
    title = chromium.find_element(By.TAG_NAME, "h1").text
    assert (title == "Sorry") == (path in ERROR_PAGES), f"{path} as {role} shows {title!r}, not the page itself"
    problems = []
    for viewport in VIEWPORTS:
        set_viewport(chromium, viewport)
        found = violations(chromium)
        if found:
            problems.append(describe(found, f"{path} as {role} at {viewport} size"))
        wider = _wider_than_screen(chromium)
        if wider:
            problems.append(f"{path} as {role} at {viewport} size scrolls sideways (WCAG 1.4.10 reflow): "
                            f"{', '.join(wider)} stick(s) out past the right edge")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("role", [role for role in EMAILS])
def test_every_page_in_the_menu_is_scanned(seeded: Site, chromium: WebDriver, cookies, role: str):
    """A page added to the menu without a line in ``PAGES`` would escape the scan: this says which."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    _as(chromium, seeded, role, cookies)
    go(chromium, seeded.url, "/welcome")
    menu = {urlsplit(a.get_attribute("href")).path
            for a in chromium.find_elements(By.CSS_SELECTOR, "nav[aria-label=Main] a")}
    scanned = {path for paths in PAGES.values() for path in paths}
    assert menu <= scanned, (f"add {sorted(menu - scanned)} to PAGES in {__name__} (under a role that can "
                             f"open them), so axe scans them")
