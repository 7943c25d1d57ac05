"""The browser tests' ``wait``: a condition that meets a page replaced under it is tried again; any
other driver error still ends the wait at once. No browser is needed: a wait only calls its condition."""

from __future__ import annotations

import pytest

from tests.dashboards.browser import wait

pytest.importorskip("selenium")


def test_a_page_replaced_under_a_condition_is_tried_again() -> None:
    from selenium.common.exceptions import WebDriverException

    calls = []

    def condition(driver: object) -> str | bool:
        calls.append(driver)
        if len(calls) == 1:  # what chromium 156 raised in CI after a click had started a navigation
            raise WebDriverException('unknown error: unhandled inspector error: {"code":-32000,'
                                     '"message":"Node with given id does not belong to the document"}')
        return "read"

    assert wait("driver", 2).until(condition) == "read"
    assert calls == ["driver", "driver"]


def test_any_other_driver_error_ends_the_wait() -> None:
    from selenium.common.exceptions import WebDriverException

    def condition(driver: object) -> bool:
        raise WebDriverException("unknown error: session deleted because of page crash")

    with pytest.raises(WebDriverException, match="page crash"):
        wait("driver", 2).until(condition)
