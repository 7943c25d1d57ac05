"""The reviewers' pages in headless chromium: review.js works under the Content-Security-Policy —
shortcuts (ignored while typing), revealing blurred text, evidence toggles and the reason check."""

from __future__ import annotations

import pytest

from dashboards.accounts.models import Role
from tests.dashboards.browser import problems, sign_in, wait
from tests.dashboards.review.factories import stored_item
from vigil.schemas import Evidence

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.warehouse]
TEXT = "First words. They are vermin and should be driven out. Last words."


@pytest.fixture
def server(server: str, make_user) -> str:
    """The app served, with ann, a reviewer."""
    make_user("ann", Role.reviewer)
    return server


def test_reviewing_with_the_keyboard(server: str, browser, warehouse) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    first = stored_item(warehouse, 1, text=TEXT, labels=("racism",), hours_old=1,
                        evidence=[Evidence(category="racism", start=13, end=29, text=TEXT[13:29], layer="rules")])
    second = stored_item(warehouse, 2, labels=("racism",), hours_old=9)
    waiting = wait(browser)

    def press(keys: str) -> None:
        ActionChains(browser).send_keys(keys).perform()

    sign_in(browser, server, "ann")
    waiting.until(until.url_to_be(server + "/"))
    browser.get(f"{server}/items/{first.id}")
    text = browser.find_element(By.CSS_SELECTOR, ".doc-text")
    assert "blurred" in text.get_attribute("class")
    press("v")
    assert "blurred" not in text.get_attribute("class")

    racism = browser.find_element(By.CSS_SELECTOR, "input[name=categories][value=racism]")
    assert racism.is_selected()
    press("6")
    assert not racism.is_selected()
    press("6")
    assert racism.is_selected()

    browser.find_element(By.CSS_SELECTOR, "[data-toggle-category=racism]").click()
    assert "ev-muted" in browser.find_element(By.CSS_SELECTOR, ".doc-text mark").get_attribute("class")

    note = browser.find_element(By.NAME, "note")
    note.send_keys("rejected? unsure")  # typing r, e, u in the note triggers nothing
    assert browser.current_url == f"{server}/items/{first.id}"
    note.clear()
    browser.find_element(By.TAG_NAME, "h2").click()  # leave the note
    press("r")  # reject needs a reason: the form says so and stays
    assert browser.find_element(By.CSS_SELECTOR, "[data-reason-message]").is_displayed()
    assert browser.switch_to.active_element == note and browser.current_url == f"{server}/items/{first.id}"
    note.send_keys("a report on the trial")
    browser.find_element(By.TAG_NAME, "h2").click()
    press("r")
    waiting.until(until.url_to_be(f"{server}/items/{second.id}"))  # on to the next item
    press("c")
    waiting.until(until.url_to_be(f"{server}/queue"))
    verdicts = warehouse.query("SELECT document_id, verdict, note FROM review_decisions ORDER BY decided_at")
    assert [(r["document_id"], r["verdict"], r["note"]) for r in verdicts] == [
        (first.id, "reject", "a report on the trial"), (second.id, "confirm", "")]
    assert problems(browser) == []
