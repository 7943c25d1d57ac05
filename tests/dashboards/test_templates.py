"""Templates hold no script or style of their own (the Content-Security-Policy would block them) and
escape what they show."""

from __future__ import annotations

import re

import pytest

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from dashboards.accounts.users import find_user
from dashboards.templating import TEMPLATES, environment

TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
EVENT_ATTRIBUTE = re.compile(r"\s(on[a-z]+|hx-on[\w:-]*)\s*=", re.IGNORECASE)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_inline_script_style_or_event_handler(path) -> None:
    text = path.read_text(encoding="utf-8")
    for attributes, body in SCRIPT_TAG.findall(text):
        assert "src=" in attributes and not body.strip(), f"inline <script> in {path.name}"
    assert not EVENT_ATTRIBUTE.search(text), f"event handler attribute in {path.name}"
    assert not re.search(r"<style\b|\sstyle\s*=", text, re.IGNORECASE), f"inline style in {path.name}"
    assert "javascript:" not in text.lower()
    assert "|safe" not in text.replace(" ", ""), f"{path.name} turns autoescaping off"


def test_the_templates_are_split_into_pages_and_components() -> None:
    folders = {path.parent.name for path in TEMPLATE_FILES if path.parent != TEMPLATES}
    assert folders == {"pages", "components"}
    assert [path.name for path in TEMPLATE_FILES if path.parent == TEMPLATES] == ["base.html"]


def test_autoescape_is_on() -> None:
    template = environment("en").from_string("{{ value }}")
    assert template.render(value="<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_what_users_type_is_escaped_on_the_page(signed_in, accounts) -> None:
    client = signed_in(Role.analyst)
    create_token(accounts, find_user(accounts, "analyst").id, '"><script>x</script>')  # type: ignore[union-attr]
    page = client.get("/account").text
    assert "<script>x</script>" not in page and "&#34;&gt;&lt;script&gt;x&lt;/script&gt;" in page
