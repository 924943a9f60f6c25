"""A real headless Chromium (Debian's package, driven by its own chromedriver) at a chosen viewport.

Nothing is downloaded: Selenium is pointed at ``/usr/bin/chromedriver`` so Selenium Manager never runs.
When the browser or axe-core is missing the caller fails with ``SET_UP_HINT`` rather than skipping, so
a machine without them cannot pass the accessibility checks by accident (``scripts/setup.sh`` installs
both, and CI runs it).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
UK_ENGLISH = Path("/usr/lib/chromium/locales/en-GB.pak")  # without it date fields read mm/dd/yyyy
AXE_JS = REPO / ".cache" / "axe-core" / "node_modules" / "axe-core" / "axe.min.js"
SET_UP_HINT = ("run `bash scripts/setup.sh` as root (it installs Debian's chromium, chromium-driver and "
               "chromium-l10n, and axe-core from npm)")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool  # a phone: honours the viewport meta tag and reports touch

    def __str__(self) -> str:
        return self.name


DESKTOP = Viewport("desktop", 1280, 800, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


def missing_tools() -> list[str]:
    """What the browser tests need and this machine lacks, in words (empty when all is there)."""
    wanted = {CHROMIUM: "Chromium (Debian package chromium)",
              CHROMEDRIVER: "chromedriver (Debian package chromium-driver)",
              UK_ENGLISH: "Chromium's English (UK) (Debian package chromium-l10n)",
              AXE_JS: f"axe-core ({AXE_JS.relative_to(REPO)}, from npm)"}
    return [what for path, what in wanted.items() if not path.is_file()]


def start_chromium() -> WebDriver:
    """A fresh headless Chromium in English (UK), as the council's people have it: date fields read
    dd/mm/yyyy. On Linux Chromium takes its language from the environment, not from ``--lang``."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-GB",
                "--hide-scrollbars", "--disable-extensions", "--no-first-run", "--mute-audio",
                # nothing in the background: no updates, no sync, no safe-browsing lists (and no internet here)
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-client-side-phishing-detection", "--disable-domain-reliability",
                f"--window-size={DESKTOP.width},{DESKTOP.height}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB"})
    uk = dict(os.environ, LANG="en_GB.UTF-8", LANGUAGE="en_GB")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER), env=uk), options=options)
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    return driver


def set_viewport(driver: WebDriver, viewport: Viewport) -> None:
    """Make the page see exactly ``viewport`` (CSS pixels, scale 1), as a phone does when ``mobile``."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1, "mobile": viewport.mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": viewport.mobile})


def page_png(driver: WebDriver, max_height: int) -> bytes:
    """A PNG of the page from its top, as tall as the page but at most ``max_height`` CSS pixels."""
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, max_height), "scale": 1}})
    return base64.b64decode(shot["data"])
