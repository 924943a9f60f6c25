"""Browser fixtures: one headless Chromium for the session, a fresh site (database and server) per test.

Each journey runs at every viewport in ``VIEWPORTS`` (desktop 1280x800, phone 390x844). The browser is
shared to keep the suite quick; cookies are cleared between tests (every site is on 127.0.0.1, and
cookies do not tell ports apart). A failing test leaves a screenshot of the page in its tmp_path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.web.e2e.browser import DESKTOP, SET_UP_HINT, VIEWPORTS, Viewport, missing_tools, set_viewport, \
    start_chromium
from tests.web.e2e.site import Site, running_site


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    missing = missing_tools()
    if missing:
        pytest.fail(f"the browser tests cannot run: this machine lacks {'; '.join(missing)}. To fix it, "
                    f"{SET_UP_HINT}.", pytrace=False)
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def site(_web_template: Path, tmp_path: Path, checker) -> Iterator[Site]:
    with running_site(_web_template, tmp_path, checker) as made:
        yield made


@pytest.fixture(params=VIEWPORTS, ids=str)
def viewport(request) -> Viewport:
    return request.param


def _fresh(driver: WebDriver, viewport: Viewport) -> WebDriver:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    set_viewport(driver, viewport)
    return driver


@pytest.fixture
def browser(chromium: WebDriver, viewport: Viewport, request, tmp_path: Path) -> Iterator[WebDriver]:
    """The shared Chromium at this test's viewport, signed out."""
    yield _fresh(chromium, viewport)
    _after(chromium, request, tmp_path)


@pytest.fixture
def desktop_browser(chromium: WebDriver, request, tmp_path: Path) -> Iterator[WebDriver]:
    yield _fresh(chromium, DESKTOP)
    _after(chromium, request, tmp_path)


def _after(driver: WebDriver, request, tmp_path: Path) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shot = tmp_path / "failure.png"
        driver.save_screenshot(str(shot))
        print(f"screenshot of the page at failure ({driver.current_url}): {shot}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
