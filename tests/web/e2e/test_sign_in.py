"""Signing in: a wrong password, then the privacy notice at the first sign-in only, and back to the page asked for."""

from __future__ import annotations

from tests.web.conftest import PASSWORD
from tests.web.e2e.actions import fill, go, path_of, press, sign_in, sign_out, text_of
from tests.web.e2e.axe import assert_accessible


def test_a_councillor_signs_in_reads_the_notice_once_and_signs_out(site, browser):
    site.add_user("proper-officer")
    user = site.add_user("councillor", email="cllr.ahmed@example.org", name="Yusuf Ahmed", seen=False)
    go(browser, site.url, "/consents")
    assert path_of(browser) == "/sign-in"

    fill(browser, "E-mail address", user.email)
    fill(browser, "Password", "not my password")
    press(browser, "Sign in")
    assert "That e-mail address and password do not match an account." in text_of(browser, "[role=alert]")
    assert_accessible(browser, "the sign-in page after a wrong password")

    sign_in(browser, site.url, user.email)
    assert path_of(browser) == "/welcome"
    assert "Nobody else can see your drafts" in text_of(browser)
    press(browser, "I have read this – continue")
    assert path_of(browser) == "/check"
    assert "Yusuf Ahmed (Councillor)" in text_of(browser, "header")

    sign_out(browser)
    go(browser, site.url, "/consents")
    sign_in_here = path_of(browser)
    fill(browser, "E-mail address", user.email)
    fill(browser, "Password", PASSWORD)
    press(browser, "Sign in")
    assert (sign_in_here, path_of(browser)) == ("/sign-in", "/consents"), "the notice is shown once only"
