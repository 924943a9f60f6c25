"""First run: the Clerk opens the new site, makes the Proper Officer's account, and reads the notice."""

from __future__ import annotations

from tests.web.conftest import CLERK, PASSWORD
from tests.web.e2e.actions import fill, go, path_of, press, text_of
from tests.web.e2e.axe import assert_accessible


def test_the_clerk_sets_up_the_site_and_reads_what_is_kept(site, browser):
    go(browser, site.url, "/")
    assert path_of(browser) == "/setup"
    assert "No one has an account yet" in text_of(browser)
    assert_accessible(browser, "the set-up page")

    fill(browser, "Your e-mail address", CLERK[0])
    fill(browser, "Your name", CLERK[1])
    fill(browser, "Choose a password", "too short")
    browser.execute_script("document.querySelector('form[action=\"/setup\"]').noValidate = true")
    press(browser, "Create the Proper Officer's account")
    assert "There is a problem" in text_of(browser)
    assert_accessible(browser, "the set-up page showing a mistake")

    fill(browser, "Choose a password", PASSWORD)
    press(browser, "Create the Proper Officer's account")
    assert path_of(browser) == "/welcome"
    assert "Your drafts are checked and then thrown away" in text_of(browser)
    assert CLERK[1] in text_of(browser, "header")

    press(browser, "I have read this – continue")
    assert path_of(browser) == "/check"
    go(browser, site.url, "/setup")
    assert "set-up is done" in text_of(browser)
