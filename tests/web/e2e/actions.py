"""What a person does in the browser, in the page's own words: go to a page, fill a labelled field,
press a button by its text, sign in. Each waits for what it caused, so tests never sleep.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import urlsplit

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.conftest import PASSWORD

WAIT = 20.0  # seconds; a page answers in well under one, but the first check loads the models


def go(driver: WebDriver, base: str, path: str) -> None:
    driver.get(base + path)


def path_of(driver: WebDriver) -> str:
    """The current page's path (no host, no query)."""
    return urlsplit(driver.current_url).path


def wait_until(driver: WebDriver, condition, what: str, timeout: float = WAIT):
    """``condition(driver)`` once it is truthy; on time-out, fail saying ``what`` never happened and where."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)
    except TimeoutException:
        raise AssertionError(f"waited {timeout:.0f} s for {what} on {driver.current_url}") from None


def field(driver: WebDriver, label: str) -> WebElement:
    """The form control whose ``<label>`` reads ``label`` (how a person finds it, and how axe checks it)."""
    labels = driver.find_elements(By.XPATH, f"//label[normalize-space()={_xpath_text(label)}]")
    assert labels, f"no field labelled {label!r} on {driver.current_url}"
    return driver.find_element(By.ID, labels[0].get_attribute("for"))


def fill(driver: WebDriver, label: str, text: str) -> WebElement:
    element = field(driver, label)
    element.clear()
    element.send_keys(text)
    return element


def button(driver: WebDriver, text: str) -> WebElement:
    found = driver.find_elements(By.XPATH, f"//button[normalize-space()={_xpath_text(text)}]")
    assert found, f"no button {text!r} on {driver.current_url}"
    return found[0]


def link(driver: WebDriver, text: str) -> WebElement:
    found = driver.find_elements(By.XPATH, f"//a[normalize-space()={_xpath_text(text)}]")
    assert found, f"no link {text!r} on {driver.current_url}"
    return found[0]


def follow(driver: WebDriver, element: WebElement) -> None:
    """Click ``element`` (a link or a button) and wait for the page it leads to."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    leave_page(driver, element.click)


def leave_page(driver: WebDriver, action: Callable[[], None]) -> None:
    """Do ``action`` and wait until the next page has replaced this one.

    The old page is marked with a flag the new one will not have; asking while the browser is between
    pages can fail (chromedriver answers with one of several errors then), which counts as "not yet".
    """
    driver.execute_script("window.__leaving = true")
    action()

    def arrived(d: WebDriver) -> bool:
        try:
            return d.execute_script("return !window.__leaving && document.readyState === 'complete'")
        except WebDriverException:
            return False

    wait_until(driver, arrived, "the next page to load")


def press(driver: WebDriver, text: str) -> None:
    """Press the button reading ``text`` and wait for the page it leads to."""
    follow(driver, button(driver, text))


def text_of(driver: WebDriver, css: str = "main") -> str:
    return driver.find_element(By.CSS_SELECTOR, css).text


def sign_in(driver: WebDriver, base: str, email: str, password: str = PASSWORD) -> None:
    go(driver, base, "/sign-in")
    fill(driver, "E-mail address", email)
    fill(driver, "Password", password)
    press(driver, "Sign in")


def sign_out(driver: WebDriver) -> None:
    press(driver, "Sign out")
    assert path_of(driver) == "/sign-in", driver.current_url


def _xpath_text(text: str) -> str:
    """``text`` as an XPath string literal, whatever quotes it holds."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"
