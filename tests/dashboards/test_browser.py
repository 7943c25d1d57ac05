"""The dashboards in headless chromium: pages work under the strict Content-Security-Policy (the
browser reports no violation and no script error), htmx swaps the API tokens in place, and the
vendored Swagger UI renders the API description."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboards.accounts.models import Role
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.users import add_user
from dashboards.app import create_app
from tests.dashboards.conftest import PASSWORD, dashboards_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    app = create_app(dashboards_settings(tmp_path))
    add_user(app.state.accounts, "ann", Role.admin, hash_password(PASSWORD))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        message = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() == "true":  # under CI a skip would hide that it never ran
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.implicitly_wait(10)
    yield chrome
    chrome.quit()


def _problems(browser) -> list[str]:
    """Console errors: CSP violations, script errors, failed loads."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_pages_work_under_the_content_security_policy(server: str, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    browser.find_element(By.NAME, "name").send_keys("ann")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
    WebDriverWait(browser, 10).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Overview"))
    assert _problems(browser) == []

    browser.get(server + "/account")
    browser.execute_script("window.vigilNoReload = true")
    browser.find_element(By.CSS_SELECTOR, "#api-tokens input[name=name]").send_keys("browser test")
    browser.find_element(By.CSS_SELECTOR, "#api-tokens form.inline:last-of-type button").click()
    secret = WebDriverWait(browser, 10).until(until.presence_of_element_located((By.CSS_SELECTOR, ".secret")))
    assert secret.text.startswith("vgl_")
    assert browser.execute_script("return window.vigilNoReload") is True  # swapped by htmx, not reloaded
    browser.find_element(By.CSS_SELECTOR, "#api-tokens button.danger").click()
    WebDriverWait(browser, 10).until(until.text_to_be_present_in_element((By.ID, "api-tokens"), "revoked"))
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
    WebDriverWait(browser, 10).until(until.presence_of_element_located((By.CSS_SELECTOR, ".secret")))
    assert _problems(browser) == []

    browser.get(server + "/api/docs")
    WebDriverWait(browser, 20).until(until.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .opblock")))
    assert "/api/v1/me" in browser.find_element(By.ID, "swagger-ui").text
    assert _problems(browser) == []

    browser.find_element(By.CSS_SELECTOR, ".language-switch button[value=ru]").click()
    WebDriverWait(browser, 10).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Документация API"))
