"""What the browser tests share: the app served on 127.0.0.1, headless chromium (Debian's chromium and
chromedriver) with its console and network logged, waiting for a page that may be replaced while it is
read, signing in, the problems the console reports, the requests the pages made, and screenshots kept
as test artefacts. The fixtures built on these
(``server``, ``browser``, ``screenshots``) are in ``conftest.py``."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.dashboards.conftest import PASSWORD

WIDTH, HEIGHT = 1280, 900  # the window, so screenshots are 1280 pixels wide
ARTIFACTS = "VIGIL_TEST_ARTIFACTS"  # where screenshots go (.ci/run sets it); else <pytest tmp>/screenshots


@contextmanager
def served(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free port of 127.0.0.1; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless chromium, 1280×900, logging its console ("browser") and its network requests
    ("performance"). Skips without chromium and chromedriver, but fails under CI."""
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
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    chrome.implicitly_wait(10)
    try:
        yield chrome
    finally:
        chrome.quit()


# What chromedriver says when the page it was reading was replaced (a navigation, an htmx swap) between
# finding an element and reading it. Chrome raises it as an "unknown error", not as a stale element.
GONE = ("does not belong to the document", "stale element")


def wait(browser: Any, seconds: float = 10) -> Any:
    """A ``WebDriverWait`` whose conditions are tried again when the page went away under them.

    ``text_to_be_present_in_element`` finds an element and then reads it; when a click has started a
    navigation, the element can belong to the old page by the time it is read. Selenium ignores a
    ``StaleElementReferenceException`` there, but chromium 156 raises a plain ``WebDriverException``
    ("Node with given id does not belong to the document"), which ended the wait at once instead of
    trying again (CI failed on it). Any other error still ends the wait at once.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    class Wait(WebDriverWait):
        def until(self, method: Any, message: str = "") -> Any:
            def tolerant(driver: Any) -> Any:
                try:
                    return method(driver)
                except WebDriverException as error:
                    if any(words in (error.msg or "") for words in GONE):
                        return False
                    raise

            return super().until(tolerant, message)

    return Wait(browser, seconds)


def problems(browser: Any) -> list[str]:
    """Console errors since the last call: CSP violations, script errors, failed loads."""
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def requested_urls(browser: Any) -> list[str]:
    """The URL of every request the pages sent since the last call (``Network.requestWillBeSent``
    in the performance log)."""
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside(urls: list[str], server: str) -> list[str]:
    """The URLs that leave ``server`` (data: URLs stay in the page)."""
    return [url for url in urls if not (url.startswith(server + "/") or url == server or url.startswith("data:"))]


def sign_in(browser: Any, server: str, name: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait until it has sent the browser on."""
    from selenium.webdriver.common.by import By

    if "/login" not in browser.current_url:
        browser.get(server + "/login")
    browser.find_element(By.NAME, "name").send_keys(name)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]").click()
    wait(browser).until(lambda b: "/login" not in b.current_url)


def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$VIGIL_TEST_ARTIFACTS`` when set (created if missing), else ``<pytest tmp>/screenshots``."""
    named = os.environ.get(ARTIFACTS)
    if named:
        path = Path(named)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots", numbered=False)


def screenshot(browser: Any, path: Path, max_height: int | None = None) -> bytes:
    """A PNG of the page, 1280 pixels wide, as tall as the page (or ``max_height``), written to
    ``path``; returns it. Waits for the page's fonts first."""
    import base64

    browser.execute_script("return document.fonts.ready.then(() => true)")
    metrics = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})
    height = metrics["cssContentSize"]["height"]
    clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(height, max_height or height), "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot",
                                   {"format": "png", "clip": clip, "captureBeyondViewport": True})
    data = base64.b64decode(shot["data"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height
