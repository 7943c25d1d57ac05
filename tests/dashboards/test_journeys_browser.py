"""Whole journeys through the dashboards in headless chromium, on data written the way the pipeline
writes it: a reviewer follows a spike from the overview's charts to a decision in the audit log;
hostile crawled text stays text on every page that shows it; no request leaves 127.0.0.1. Each page
is saved as a screenshot (test artefacts: ``$VIGIL_TEST_ARTIFACTS``, else ``<pytest tmp>/screenshots``),
and the README's screenshots come from the demo's history (rewritten with ``VIGIL_UPDATE_SCREENSHOTS=1``)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dashboards.accounts.models import Role
from dashboards.demo.history import HistoryPlan
from dashboards.demo.load import record_model_change, write_history
from flows.trends import run_trends
from tests.dashboards.browser import (WIDTH, outside, png_size, problems, requested_urls, screenshot, sign_in,
                                      wait)
from tests.dashboards.review.factories import stored_item
from tests.flows.conftest import seed_hours
from vigil.schemas import Evidence
from vigil.timeutil import hour_of

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.warehouse]
README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE = "VIGIL_UPDATE_SCREENSHOTS"

# Every series of every chart on the page as [name, the sum of its values, the largest], read from
# the ECharts instance that drew it (a time series' points are [time, value]).
CHART_SERIES = """
    return Array.from(document.querySelectorAll(".chart[data-chart]"), element => {
        const chart = echarts.getInstanceByDom(element);
        return chart ? chart.getOption().series.map(series => {
            const values = series.data.map(point => (Array.isArray(point) ? point[1] : point) || 0);
            return [series.name, values.reduce((a, b) => a + b, 0), Math.max(0, ...values)];
        }) : null;
    });
"""


def _charts(browser, count: int) -> list[list[list]]:
    """The series of the page's charts (``CHART_SERIES``) once ``count`` of them are drawn."""
    from selenium.webdriver.common.by import By

    wait(browser, 20).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".chart canvas")) == count)
    return browser.execute_script(CHART_SERIES)


def test_a_reviewer_follows_a_spike_from_the_overview_to_a_decision_in_the_audit_log(
        server: str, browser, warehouse, make_user, screenshots: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    now = datetime.now(timezone.utc)
    spike = hour_of(now) - timedelta(hours=2)
    docs = seed_hours(warehouse, now, days=8, spike_at=spike)  # one flagged an hour, 30 more in the spike
    assert run_trends(warehouse, now)["alerts_new"] == 1
    flagged = sum("flag-racism" in d.text for d in docs)
    make_user("rita", Role.reviewer)
    shots = iter(range(1, 100))

    def shot(name: str) -> None:
        screenshot(browser, screenshots / f"journey-{next(shots):02d}-{name}.png")

    def follow(css: str) -> None:
        browser.find_element(By.CSS_SELECTOR, css).click()

    browser.get(server + "/")
    wait(browser).until(until.url_contains("/login"))
    shot("login")
    sign_in(browser, server, "rita")
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Overview"))
    by_category, by_language, by_source = _charts(browser, 3)  # the last 30 days by default
    assert [series[:2] for series in by_category] == [["Racism", flagged]]
    assert [series[:2] for series in by_language] == [["English", flagged]]
    assert [series[:2] for series in by_source] == [["synthetic-news", flagged]]
    shot("overview")

    browser.find_element(By.LINK_TEXT, "Alerts").click()
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Alerts"))
    shot("alerts")
    follow("table.alerts tbody a[href^='/alerts/']")  # the spike's window
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "synthetic-news"))
    [around] = _charts(browser, 1)
    assert [(name, peak) for name, _, peak in around] == [("Racism", 31)]  # the spike's hour, among those around it
    shot("alert")

    follow("dl.facts a")  # its flagged documents
    wait(browser).until(until.url_contains("/search?"))
    assert browser.find_element(By.TAG_NAME, "h2").text.startswith("Documents found: 31")
    shot("search")
    item = browser.find_element(By.CSS_SELECTOR, "ol.documents a.title")
    item_url = item.get_attribute("href")
    document_id = item_url.rsplit("/", 1)[1].split("?")[0]
    assert document_id in {d.id for d in docs if d.published_at and hour_of(d.published_at) == spike}
    item.click()
    wait(browser).until(until.url_to_be(item_url))
    text = browser.find_element(By.CSS_SELECTOR, ".doc-text")
    assert "#synthcampaign" in text.text and "blurred" in text.get_attribute("class")
    ActionChains(browser).send_keys("v").perform()  # reveal
    assert "blurred" not in text.get_attribute("class")
    shot("item")
    ActionChains(browser).send_keys("c").perform()  # confirm: decided, on to the next item
    wait(browser).until(lambda b: b.current_url != item_url)

    browser.find_element(By.LINK_TEXT, "Queue").click()
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "queue"))
    shot("queue")
    browser.find_element(By.LINK_TEXT, "Audit").click()
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Audit log"))
    [row] = browser.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")
    cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
    assert cells[1:5] == ["rita", "Confirmed", "Racism", document_id[:8]]
    assert row.find_element(By.TAG_NAME, "a").get_attribute("href") == f"{server}/items/{document_id}"
    shot("audit")

    browser.find_element(By.LINK_TEXT, "Sources").click()
    wait(browser).until(until.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Sources"))
    shot("sources")
    assert problems(browser) == []
    urls = requested_urls(browser)
    assert any(url.endswith("/static/vendor/echarts/echarts.min.js") for url in urls)  # the log holds every load
    assert outside(urls, server) == []


# Crawled text that would run script if a page put it into the DOM as markup.
HOSTILE = ('Before the payloads. <script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
           '<a href="javascript:window.__pwned=3">x</a> <svg onload="window.__pwned=4"><circle r="9"/></svg> '
           'After the payloads.')
LINK = '<a href="javascript:window.__pwned=3">x</a>'

# Whatever in the DOM could run script: an on* attribute, a javascript: URL, and elements the pages
# never draw themselves but the text names (each as the start of its markup).
RUNNABLE = """
    const found = [];
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase(), value = attribute.value.replace(/\\s/g, "").toLowerCase();
            if (name.startsWith("on") || value.startsWith("javascript:")) { found.push(element.outerHTML.slice(0, 100)); }
        }
    }
    for (const element of document.querySelectorAll("main script, main img, main svg, main iframe, main object")) {
        found.push(element.outerHTML.slice(0, 100));
    }
    return found;
"""

# Where the ``arguments[0]``-th occurrence of the link's text, "x", is drawn, scrolled into view: the
# centre of its box ([] where it is not drawn); null past the last.
LINK_TEXT_AT = """
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    let seen = 0;
    while (walker.nextNode()) {
        const node = walker.currentNode, at = node.data.indexOf('">x</a>');
        if (at < 0 || seen++ < arguments[0]) { continue; }
        if (!node.parentElement.checkVisibility()) { return []; }  // not drawn (a closed <details>)
        const range = document.createRange();
        range.setStart(node, at + 2);
        range.setEnd(node, at + 3);
        window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
        const box = range.getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2];
    }
    return null;
"""


def test_hostile_crawled_text_stays_text_on_every_page_that_shows_it(
        server: str, browser, warehouse, make_user, screenshots: Path) -> None:
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    at = HOSTILE.index(LINK)  # a rule matched the would-be link: the highlight splits the text there
    doc = stored_item(warehouse, 1, text=HOSTILE, labels=("recruitment",), source_id="hostile-forum",
                      evidence=[Evidence(category="recruitment", start=at, end=at + len(LINK), text=LINK,
                                         layer="rules")],
                      title='<img src=x onerror="window.__pwned=5">Meeting notes',
                      author='<svg onload="window.__pwned=6">', links=["javascript:window.__pwned=7"])
    make_user("rita", Role.reviewer)
    browser.get(server + "/login")
    sign_in(browser, server, "rita")
    requested_urls(browser)  # the sign-in's requests: not this test's subject

    pages = {"item": f"/items/{doc.id}", "search": "/search?q=pwned", "source": "/sources/hostile-forum",
             "queue": "/queue"}
    for name, path in pages.items():
        browser.get(server + path)
        wait(browser).until(until.presence_of_element_located((By.TAG_NAME, "h1")))
        assert browser.execute_script("return typeof window.__pwned") == "undefined", name
        assert browser.execute_script(RUNNABLE) == [], name
        assert "<script>window.__pwned=1</script>" in browser.find_element(By.TAG_NAME, "main").text, name  # as text
        occurrences = clicked = 0
        while (point := browser.execute_script(LINK_TEXT_AT, occurrences)) is not None:
            occurrences += 1
            if point:
                actions = ActionBuilder(browser)
                actions.pointer_action.move_to_location(round(point[0]), round(point[1])).click()
                actions.perform()
                clicked += 1
        assert clicked, name
        assert browser.execute_script("return typeof window.__pwned") == "undefined", name
        assert browser.current_url == server + path, name
        assert problems(browser) == [], name
        screenshot(browser, screenshots / f"hostile-{name}.png")
    urls = requested_urls(browser)
    assert outside(urls, server) == [] and not [url for url in urls if url.rstrip("/").endswith("/x")]


def test_the_readme_screenshots_show_the_demo_history(
        server: str, browser, warehouse, make_user, screenshots: Path) -> None:
    """The overview (down to its charts) and an item page on the demo's generated history (30 days of
    it), saved as test artefacts and, with ``VIGIL_UPDATE_SCREENSHOTS=1``, as the README's
    ``docs/screenshots/``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until

    now = datetime.now(timezone.utc)
    plan = HistoryPlan(end=now, days=30, change_days_ago=29)  # the model change marked near the left edge
    write_history(warehouse, plan)
    record_model_change(warehouse, plan)
    assert run_trends(warehouse, now)["alerts_new"] == len(plan.spikes)
    campaign = next(s for s in plan.spikes if s.category == "financing")  # English, and never blurred
    document_id = warehouse.scalar(
        "SELECT id FROM documents WHERE source_id = {source:String} AND published_at >= {hour:DateTime64(3, 'UTC')} "
        "AND position(text, {name:String}) > 0 ORDER BY published_at LIMIT 1",
        dict(source=campaign.source_id, hour=campaign.hour, name=f"campaign {campaign.name}:"))
    make_user("reviewer", Role.reviewer)
    update = os.environ.get(UPDATE) == "1"

    browser.get(server + "/login")
    sign_in(browser, server, "reviewer")
    by_category, by_language, by_source = _charts(browser, 3)
    assert len(by_category) >= 8 and all(total > 0 for _, total, _ in by_category)  # the model after the change
    assert {name for name, _, _ in by_language} >= {"English", "Russian"} and len(by_source) >= 5
    charts_end = browser.execute_script("return document.querySelector('.columns').getBoundingClientRect().bottom")
    overview = screenshot(browser, screenshots / "demo-overview.png", max_height=round(charts_end) + 20)

    browser.get(f"{server}/items/{document_id}")
    wait(browser).until(until.presence_of_element_located((By.CSS_SELECTOR, ".doc-text mark.ev")))
    assert "blurred" not in browser.find_element(By.CSS_SELECTOR, ".doc-text").get_attribute("class")
    item = screenshot(browser, screenshots / "demo-item.png", max_height=1000)
    assert problems(browser) == [] and outside(requested_urls(browser), server) == []

    for name, data in (("overview", overview), ("item", item)):
        path = README_SCREENSHOTS / f"{name}.png"
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        assert path.is_file(), f"{path} is missing (the README shows it): run this test with {UPDATE}=1"
        committed = path.read_bytes()
        assert png_size(committed)[0] == WIDTH and len(committed) < 300_000, path
