"""The Clerk's journeys: the desk (a reported remark, a consent to grant) and adding a councillor's account."""

from __future__ import annotations

from datetime import date

from selenium.webdriver.common.by import By

from tests.web.conftest import CLERK
from tests.web.e2e.actions import field, fill, follow, go, link, path_of, press, sign_in, sign_out, text_of, \
    wait_until
from tests.web.e2e.site import png

NEW_PASSWORD = "a long first password"


def test_the_clerk_sees_a_remark_and_a_consent_request_and_grants_the_consent(site, browser):
    clerk = site.add_user("proper-officer", email=CLERK[0], name=CLERK[1])
    cllr = site.add_user("councillor", email="cllr.patel@example.org", name="Priya Patel")
    site.app.state.remarks.file(cllr, remark="Patel never answers her e-mails, typical.",
                                link="https://nextdoor.example/p/42", platform="Nextdoor", screenshot=png(64, 48))
    site.app.state.consents.ask(cllr, address="priya.patel@gmail.example", reason="Travelling without a laptop.",
                                period="two weeks")
    sign_in(browser, site.url, clerk.email)
    follow(browser, link(browser, "Desk"))
    assert path_of(browser) == "/desk"
    counts = text_of(browser, ".counts")
    assert "Reported remarks: 1 open" in counts and "Consent requests: 1 waiting" in counts
    assert "Patel never answers her e-mails" in text_of(browser, "#reports + article, section[aria-labelledby=reports]")
    assert "Priya Patel asks to use priya.patel@gmail.example" in text_of(browser)

    follow(browser, link(browser, "Screenshot"))
    width = wait_until(browser, lambda d: d.execute_script("const i = document.images[0]; "
                                                           "return i && i.complete && i.naturalWidth"),
                       "the remark's screenshot to show")
    assert width == 64
    browser.back()

    ends = date(date.today().year + 1, 3, 31)
    field(browser, "Consent ends on").send_keys(ends.strftime("%d%m%Y"))
    assert field(browser, "Consent ends on").get_attribute("value") == ends.isoformat()
    press(browser, "Grant consent 1")
    assert "The consent was granted." in text_of(browser, "[role=status]")
    given = text_of(browser, "section[aria-labelledby=consents] table")
    assert "priya.patel@gmail.example" in given and ends.strftime("%d %b %Y") in given
    assert "No consent requests waiting." in text_of(browser)

    sign_out(browser)
    sign_in(browser, site.url, cllr.email)
    go(browser, site.url, "/consents")
    assert f"Granted until {ends.strftime('%d %b %Y')}" in text_of(browser, "table")


def test_the_clerk_adds_a_councillor_who_can_then_sign_in(site, browser):
    clerk = site.add_user("proper-officer", email=CLERK[0], name=CLERK[1])
    sign_in(browser, site.url, clerk.email)
    follow(browser, link(browser, "Accounts"))
    fill(browser, "Name", "Alex Brown")
    fill(browser, "E-mail address", "cllr.brown@example.org")
    field(browser, "Role").send_keys("Councillor")
    fill(browser, "First password", NEW_PASSWORD)
    press(browser, "Add the account")

    assert "The account was added." in text_of(browser, "[role=status]")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr")]
    assert any("Alex Brown" in r and "cllr.brown@example.org" in r and "Councillor" in r for r in rows), rows

    sign_out(browser)
    sign_in(browser, site.url, "cllr.brown@example.org", NEW_PASSWORD)
    assert path_of(browser) == "/welcome"
    press(browser, "I have read this – continue")
    assert path_of(browser) == "/check"
