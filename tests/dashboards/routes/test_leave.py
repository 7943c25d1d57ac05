"""Leaving for a crawled link: the URL as text, a warning, and an explicit click; only http(s)."""

from __future__ import annotations

from dashboards.accounts.models import Role


def test_an_http_link_is_shown_and_opened_only_by_a_click(signed_in) -> None:
    response = signed_in(Role.analyst).get("/leave", params={"url": "https://evil.example.org/x?a=<b>"})
    assert response.status_code == 200
    assert '<code class="url">https://evil.example.org/x?a=&lt;b&gt;</code>' in response.text
    assert ('<a class="button danger" href="https://evil.example.org/x?a=&lt;b&gt;" rel="noopener noreferrer '
            'nofollow" target="_blank">') in response.text
    assert "http-equiv" not in response.text and "Location" not in response.headers


def test_other_schemes_are_refused_and_never_linked(signed_in) -> None:
    client = signed_in(Role.analyst)
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"):
        response = client.get("/leave", params={"url": url})
        assert response.status_code == 400, url
        assert "cannot be opened" in response.text and 'href="javascript' not in response.text
        assert 'class="button danger"' not in response.text
    assert "No link was given." in client.get("/leave").text
