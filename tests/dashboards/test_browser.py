"""The dashboards in headless chromium: pages work under the strict Content-Security-Policy (the
browser reports no violation and no script error), htmx swaps the API tokens in place, the
vendored Swagger UI renders the API description, and the analysts' charts draw and lead to documents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.accounts.models import Role
from tests.dashboards.browser import problems, sign_in, wait
from tests.dashboards.warehouse_data import add_incomplete_hour, store_spread
from tests.flows.conftest import T0

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.warehouse]  # the overview reads the warehouse


@pytest.fixture
def server(server: str, make_user) -> str:
    """The app served, with ann, an admin."""
    make_user("ann", Role.admin)
    return server


def test_the_pages_work_under_the_content_security_policy(server: str, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    browser.get(server + "/")
    sign_in(browser, server, "ann")
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Overview"))
    assert problems(browser) == []

    browser.get(server + "/account")
    browser.execute_script("window.vigilNoReload = true")
    browser.find_element(By.CSS_SELECTOR, "#api-tokens input[name=name]").send_keys("browser test")
    browser.find_element(By.CSS_SELECTOR, "#api-tokens form.inline:last-of-type button").click()
    secret = wait(browser).until(until.presence_of_element_located((By.CSS_SELECTOR, ".secret")))
    assert secret.text.startswith("vgl_")
    assert browser.execute_script("return window.vigilNoReload") is True  # swapped by htmx, not reloaded
    browser.find_element(By.CSS_SELECTOR, "#api-tokens button.danger").click()
    wait(browser).until(until.text_to_be_present_in_element((By.ID, "api-tokens"), "revoked"))
    assert browser.execute_script("return window.vigilNoReload") is True
    # An htmx request from outside any form has no csrf_token field: the header from <body> carries it.
    browser.execute_script("""
        const probe = document.createElement("button");
        probe.id = "probe";
        for (const [name, value] of [["hx-post", "/account/tokens"], ["hx-target", "#api-tokens"],
                                     ["hx-swap", "outerHTML"]]) probe.setAttribute(name, value);
        document.querySelector("main").append(probe);
        htmx.process(probe);
    """)
    browser.find_element(By.ID, "probe").click()
    wait(browser).until(until.presence_of_element_located((By.CSS_SELECTOR, ".secret")))
    assert problems(browser) == []

    browser.get(server + "/api/docs")
    wait(browser, 20).until(until.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    assert "/api/v1/me" in browser.find_element(By.ID, "swagger-ui").text
    assert problems(browser) == []

    browser.find_element(By.CSS_SELECTOR, ".language-switch button[value=ru]").click()
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Документация API"))


def test_the_charts_draw_and_a_click_opens_the_documents_behind_a_point(server: str, browser, warehouse) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    store_spread(warehouse, T0, days=3)
    add_incomplete_hour(warehouse, T0 + timedelta(hours=10))
    sign_in(browser, server, "ann")
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Overview"))
    browser.get(server + "/?start=2026-05-04&end=2026-05-06")
    wait(browser, 20).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".chart canvas")) == 3)
    assert problems(browser) == []
    # A click on the racism series' point of 5 May, where the chart draws it (the whole chart in view:
    # an offset counts from the centre of the element's visible part).
    element = browser.find_element(By.CSS_SELECTOR, ".chart")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    x, y = browser.execute_script("""
        return echarts.getInstanceByDom(arguments[0]).convertToPixel({seriesIndex: 0}, [Date.UTC(2026, 4, 5), 24]);
    """, element)
    size = element.size
    ActionChains(browser).move_to_element_with_offset(element, round(x - size["width"] / 2),
                                                      round(y - size["height"] / 2)).click().perform()
    wait(browser).until(until.url_contains("/search?"))
    assert "category=racism" in browser.current_url
    assert "start=2026-05-05T00:00&end=2026-05-06T00:00" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h2").text.startswith("Documents found: 24")
    assert problems(browser) == []
    for path in ("/sources", "/compare", "/alerts"):
        browser.get(server + path + "?start=2026-05-04&end=2026-05-06")
        wait(browser).until(until.presence_of_element_located((By.CSS_SELECTOR, "h1")))
        assert problems(browser) == [], path
