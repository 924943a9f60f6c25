"""Screenshots of the web app's main pages for docs/web.md, at desktop and phone sizes.

    .venv/bin/python scripts/screenshots.py              # writes docs/screenshots/*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots

Runs the real app on a throw-away SQLite file with a few made-up people and records (the same set-up
as the browser tests in tests/web/e2e, whose helpers it uses), drives Debian's headless Chromium
through each page and saves a palette PNG of it, small enough to keep in the repository. Needs what
``scripts/setup.sh`` installs (Chromium, chromedriver); it stops with that advice if they are missing.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the browser helpers live with the tests

from PIL import Image  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402

from councilguard.engine import Checker  # noqa: E402
from councilguard.records import db  # noqa: E402
from tests.web.conftest import CLERK  # noqa: E402
from tests.web.e2e.actions import button, field, fill, follow, go, press, sign_in, wait_until  # noqa: E402
from tests.web.e2e.browser import (CHROMEDRIVER, CHROMIUM, SET_UP_HINT, VIEWPORTS, Viewport,  # noqa: E402
                                   page_png, set_viewport, start_chromium)
from tests.web.e2e.samples import DRAFT  # noqa: E402
from tests.web.e2e.site import Site, running_site  # noqa: E402

COUNCILLOR = ("cllr.jones@croxleygreen-pc.gov.uk", "Sam Jones")
NEWCOMER = ("cllr.okafor@croxleygreen-pc.gov.uk", "Ada Okafor")  # has not signed in before
COLOURS = 96  # palette size: text stays crisp, files stay well under 150 KB
MAX_SCREENS = 2.2  # a shot is at most this many viewport heights tall


@dataclass(frozen=True)
class Shot:
    """One picture: ``name``-desktop.png and ``name``-phone.png, taken after ``steps`` as ``who``."""

    name: str
    who: str | None  # an e-mail to sign in as, or None for signed out
    steps: Callable[[WebDriver, str], None]
    scroll_to: str | None = None  # CSS selector of the part the picture should start at


def _check_draft(d: WebDriver, url: str) -> None:
    go(d, url, "/check")
    field(d, "Your draft").send_keys(DRAFT)
    wait_until(d, lambda x: "Possible breach" in x.find_element(By.ID, "live-result").text, "the live verdict")


def _checked(d: WebDriver, url: str) -> None:
    _check_draft(d, url)
    press(d, "Check my draft")


def _fixed(d: WebDriver, url: str) -> None:
    _checked(d, url)
    follow(d, button(d, "Remove this sentence"))


def _remark_filled(d: WebDriver, url: str) -> None:
    go(d, url, "/remarks")
    fill(d, "The remark (paste it as it appears)", "Jones never turns up to anything. Useless.")
    fill(d, "Link to the remark", "https://www.facebook.com/groups/croxleygreen/posts/4821")


SHOTS = (
    Shot("sign-in", None, lambda d, url: go(d, url, "/sign-in")),
    Shot("welcome", NEWCOMER[0], lambda d, url: None),
    Shot("check-as-you-type", COUNCILLOR[0], _check_draft),
    Shot("check-findings", COUNCILLOR[0], _checked, scroll_to="#result"),
    Shot("check-fixed", COUNCILLOR[0], _fixed, scroll_to="label[for=text]"),
    Shot("report-a-remark", COUNCILLOR[0], _remark_filled),
    Shot("consent", COUNCILLOR[0], lambda d, url: go(d, url, "/consents")),
    Shot("policy", COUNCILLOR[0], lambda d, url: go(d, url, "/policy")),
    Shot("desk", CLERK[0], lambda d, url: go(d, url, "/desk")),
    Shot("accounts", CLERK[0], lambda d, url: go(d, url, "/accounts")),
)


def seed(site: Site) -> None:
    """A Clerk, two councillors and the things a desk shows on an ordinary week."""
    clerk = site.add_user("proper-officer", email=CLERK[0], name=CLERK[1])
    jones = site.add_user("councillor", email=COUNCILLOR[0], name=COUNCILLOR[1])
    patel = site.add_user("councillor", email="cllr.patel@croxleygreen-pc.gov.uk", name="Priya Patel")
    site.add_user("staff", email="deputy.clerk@croxleygreen-pc.gov.uk", name="Dana Reid")
    site.add_user("councillor", email=NEWCOMER[0], name=NEWCOMER[1], seen=False)
    state = site.app.state
    state.remarks.file(patel, remark="Patel never answers her e-mails. Typical of this council.",
                       link="https://nextdoor.example/p/42", platform="Nextdoor", note="Posted on Sunday evening.")
    state.consents.ask(patel, address="priya.patel@mail.example", reason="Travelling for two weeks without "
                       "a laptop.", period="two weeks")
    granted = state.consents.ask(jones, address="sam.jones@mail.example", reason="My council mailbox is "
                                 "not set up yet.", period="until my council account works")
    state.consents.grant(granted.id, clerk, expires_on=date.today() + timedelta(days=30),
                         source="Clerk's decision", today=date.today())


def optimised(png: bytes) -> bytes:
    """``png`` as a palette PNG: a screenshot of text and flat colours loses nothing you can see."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def take(driver: WebDriver, site: Site, shot: Shot, viewport: Viewport) -> bytes:
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    set_viewport(driver, viewport)
    if shot.who:
        sign_in(driver, site.url, shot.who)
    shot.steps(driver, site.url)
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    top = 0
    if shot.scroll_to:
        top = driver.execute_script("const e = document.querySelector(arguments[0]); "
                                    "return e ? Math.max(0, e.getBoundingClientRect().top + scrollY - 16) : 0",
                                    shot.scroll_to)
    return _clip(page_png(driver, top + int(viewport.height * MAX_SCREENS)), top)


def _clip(png: bytes, top: int) -> bytes:
    if not top:
        return png
    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.crop((0, top, image.width, image.height)).save(out, format="PNG")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the web app for docs/web.md.")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots",
                        help="folder for the PNGs (default docs/screenshots)")
    args = parser.parse_args(argv)
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        print(f"screenshots need Chromium and chromedriver: {SET_UP_HINT}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="councilguard-shots-") as tmp:
        template = Path(tmp) / "template.db"
        db.upgrade(f"sqlite:///{template}")
        driver = start_chromium()
        try:
            with running_site(template, Path(tmp), Checker.from_pack("croxley-green")) as site:
                seed(site)
                for shot in SHOTS:
                    for viewport in VIEWPORTS:
                        data = optimised(take(driver, site, shot, viewport))
                        target = args.out / f"{shot.name}-{viewport}.png"
                        target.write_bytes(data)
                        print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
                              f"{len(data) // 1024} KB")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
