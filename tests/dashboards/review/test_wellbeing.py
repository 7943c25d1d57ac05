"""What is blurred, and which crawled links may be opened (through the warning page only)."""

from __future__ import annotations

import pytest

from dashboards.review.wellbeing import leave_href, outside_url, should_blur


@pytest.mark.parametrize(("labels", "blurred"), [
    (["xenophobia"], True), (["incitement"], True), (["neo_nazism", "financing"], True), (["racism"], True),
    (["religious_intolerance"], True), (["terrorism_justification"], True),
    (["recruitment"], False), (["financing", "aggressive_nationalism"], False), ([], False),
])
def test_graphic_and_dehumanising_labels_are_blurred(labels: list[str], blurred: bool) -> None:
    assert should_blur(labels, True) is blurred
    assert should_blur(labels, False) is False  # the user's preference turns it off


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://example.org", "HTTPS://EXAMPLE.ORG/x"])
def test_http_links_may_be_opened(url: str) -> None:
    assert outside_url(url) == url
    assert leave_href(url).lower().startswith("/leave?url=http")  # type: ignore[union-attr]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "//example.org/x", "/local",
    "https://", "https://exa mple.org", "ftp://example.org", "vbscript:x", "https://example.org/\x00",
])
def test_everything_else_is_refused(url: str) -> None:
    assert outside_url(url) is None and leave_href(url) is None
