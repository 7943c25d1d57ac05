"""No page loads anything from another site: every script, style sheet, image and font is served by
the app itself. Checked on every page the routes serve, for every role, and in every CSS file."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from dashboards.accounts.users import find_user
from dashboards.app import STATIC
from dashboards.paths import answers_json
from dashboards.route_table import routes

OUTSIDE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src", "video": "src",
           "audio": "src", "embed": "src", "object": "data"}


class _Assets(HTMLParser):
    """The URLs a page loads (script, style sheet, image...) and every other href/src it has."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == LOADING.get(tag) or name in {"src", "href", "action", "data-openapi-url"}):
                self.urls.append(value)


def _page_urls(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def _html_get_paths(app: FastAPI) -> list[str]:
    return sorted({route.path for route in routes(app) if "GET" in (route.methods or ())
                   and "{" not in route.path and not answers_json(route.path)})


@pytest.mark.warehouse  # pages that read the warehouse are walked too
def test_no_served_page_references_an_outside_url(app: FastAPI, accounts, signed_in) -> None:
    anonymous = TestClient(app, follow_redirects=False)
    pages = {"/login": anonymous.get("/login").text, "/no-such-page": anonymous.get("/no-such-page").text}
    client = signed_in(Role.admin)
    create_token(accounts, find_user(accounts, "admin").id, "t")  # type: ignore[union-attr]
    paths = _html_get_paths(app)
    assert {"/", "/account", "/admin/users", "/api/docs"} <= set(paths)
    for path in set(paths) - set(pages):
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.text
    for path, html in pages.items():
        urls = _page_urls(html)
        assert urls, path
        assert [url for url in urls if OUTSIDE.match(url)] == [], path
        for url in urls:  # and what they load is there
            if url.startswith("/static/"):
                assert client.get(url).status_code == 200, (path, url)


def test_no_style_sheet_loads_from_an_outside_url(client: TestClient) -> None:
    sheets = sorted(STATIC.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8")
        urls = [url for _, url in CSS_URL.findall(text)]
        assert [url for url in urls if not url.startswith("data:") and OUTSIDE.match(url)] == [], sheet.name
        assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text), sheet.name


def test_the_check_finds_outside_urls() -> None:
    html = '<script src="https://cdn.example/x.js"></script><link href="//fonts.example/f.css" rel="stylesheet">'
    assert [url for url in _page_urls(html) if OUTSIDE.match(url)] == ["https://cdn.example/x.js",
                                                                       "//fonts.example/f.css"]
    assert [url for _, url in CSS_URL.findall("a{b:url('https://x.example/f.woff2')}")] == ["https://x.example/f.woff2"]
