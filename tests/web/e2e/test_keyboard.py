"""Keyboard only (Tab, Enter, Space): skip to the content, sign in, read the notice, check a draft, fix it."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.web.conftest import PASSWORD
from tests.web.e2e.actions import go, leave_page, path_of, text_of
from tests.web.e2e.keyboard import focused, keys, tab_to
from tests.web.e2e.samples import DRAFT, INSULT


def _by_id(wanted: str):
    return lambda f: f["id"] == wanted


def _button(text: str):
    return lambda f: f["tag"] == "button" and f["name"] == text


def test_a_councillor_signs_in_checks_and_fixes_a_draft_with_the_keyboard_alone(site, desktop_browser):
    d = desktop_browser
    user = site.add_user("councillor", email="cllr.shah@example.org", name="Ravi Shah", seen=False)
    go(d, site.url, "/sign-in")

    skip = tab_to(d, lambda f: f["tag"] == "a", "the skip link", limit=1)
    assert skip["name"] == "Skip to main content"
    keys(d, Keys.ENTER)
    assert focused(d)["id"] == "main", "the skip link did not move the focus to the main content"

    tab_to(d, _by_id("email"), "the e-mail field")
    keys(d, user.email)
    tab_to(d, _by_id("password"), "the password field")
    keys(d, PASSWORD)
    leave_page(d, lambda: keys(d, Keys.ENTER))
    assert path_of(d) == "/welcome"

    tab_to(d, _button("I have read this – continue"), "the button under the notice")
    leave_page(d, lambda: keys(d, Keys.SPACE))
    assert path_of(d) == "/check"

    tab_to(d, _by_id("text"), "the draft box")
    keys(d, DRAFT)
    tab_to(d, _button("Check my draft"), "the check button")
    leave_page(d, lambda: keys(d, Keys.ENTER))
    assert "Result: Think again" in text_of(d, "#result")

    fix = tab_to(d, _button("Remove this sentence"), "the first fix", limit=60)
    assert d.switch_to.active_element.find_element(By.XPATH, "ancestor::li").get_attribute("class").startswith(
        "finding"), f"{fix} is not inside a finding"
    leave_page(d, lambda: keys(d, Keys.SPACE))
    assert "Applied: Remove this sentence." in text_of(d, "#result")
    assert INSULT not in d.find_element(By.ID, "text").get_attribute("value")
