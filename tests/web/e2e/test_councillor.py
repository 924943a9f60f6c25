"""A councillor's journeys: check a draft and fix it, report a remark, ask for consent, acknowledge the policy."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from tests.web.e2e.actions import button, field, fill, follow, go, link, path_of, press, sign_in, text_of, \
    wait_until
from tests.web.e2e.axe import assert_accessible
from tests.web.e2e.samples import DRAFT, INSULT
from tests.web.e2e.site import png


def _councillor(site, browser) -> None:
    user = site.add_user("councillor", email="cllr.jones@example.org", name="Sam Jones")
    sign_in(browser, site.url, user.email)


def test_a_councillor_checks_a_draft_applies_a_fix_and_checks_again(site, browser):
    _councillor(site, browser)
    assert path_of(browser) == "/check"
    draft = field(browser, "Your draft")
    draft.send_keys(DRAFT)
    live = wait_until(browser, lambda d: "Possible breach" in d.find_element(By.ID, "live-result").text and
                      d.find_element(By.ID, "live-result").text, "the verdict as you type")
    # the rules by their titles in the pack, not their ids
    assert "Allegation that could be untrue and damaging" in live and "Anger or abuse against another councillor" in live

    press(browser, "Check my draft")
    result = text_of(browser, "#result")
    assert "Result: Think again: this draft may breach the policy." in result
    marked = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#result mark")]
    assert "is a liar" in marked and "crook" in marked, marked
    first = browser.find_element(By.CSS_SELECTOR, ".finding")
    assert "Allegation that could be untrue and damaging" in first.text and "untrue-statement" in first.text
    assert "Policy clause P8-Communication-7" in first.text
    assert "Why:" in first.text and "What to do:" in first.text
    assert_accessible(browser, "the check page with findings")

    follow(browser, button(browser, "Remove this sentence"))
    assert "Applied: Remove this sentence." in text_of(browser, "#result")
    assert "Result: Nothing found" in text_of(browser, "#result")
    assert field(browser, "Your draft").get_attribute("value").strip() == DRAFT.replace(INSULT, "").strip()
    assert not browser.find_elements(By.CSS_SELECTOR, ".finding")


def test_a_councillor_reports_a_remark_with_a_screenshot(site, browser, tmp_path: Path):
    shot = tmp_path / "remark.png"
    shot.write_bytes(png(120, 80))
    _councillor(site, browser)
    go(browser, site.url, "/remarks")
    fill(browser, "The remark (paste it as it appears)", "Councillor Jones is useless and should resign.")
    fill(browser, "Link to the remark", "https://www.facebook.com/groups/croxleygreen/posts/123")
    field(browser, "Where it was posted").send_keys("Facebook")
    field(browser, "A screenshot (optional)").send_keys(str(shot))
    fill(browser, "Anything the Clerk should know (optional)", "Posted on the village group last night.")
    press(browser, "Send to the Clerk")

    assert "Your report (number 1) is with the Clerk" in text_of(browser)
    assert "Not yet handled" in text_of(browser, "table")
    follow(browser, link(browser, "screenshot"))
    width = wait_until(browser, lambda d: d.execute_script("const i = document.images[0]; "
                                                           "return i && i.complete && i.naturalWidth"),
                       "the screenshot to show")
    assert width == 120


def test_a_councillor_asks_to_use_a_personal_email_address(site, browser):
    _councillor(site, browser)
    go(browser, site.url, "/consents")
    assert "You have not asked for consent." in text_of(browser)
    fill(browser, "The personal e-mail address", "sam.jones@gmail.example")
    fill(browser, "Why you need to use it", "My council mailbox is not set up yet.")
    fill(browser, "For how long", "until my council account is set up")
    press(browser, "Ask the Proper Officer")

    assert "Your request (number 1) is with the Clerk." in text_of(browser)
    row = text_of(browser, "table tbody")
    assert "sam.jones@gmail.example" in row and "Waiting for the Clerk" in row


def test_a_councillor_reads_and_acknowledges_the_policy(site, browser):
    _councillor(site, browser)
    follow(browser, link(browser, "The policy"))
    assert path_of(browser) == "/policy"
    assert "How council e-mail is handled" in text_of(browser)
    press(browser, "I have read and acknowledge this")
    assert "You acknowledged this version on" in text_of(browser, "[role=status]")
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='I have read and acknowledge this']")
