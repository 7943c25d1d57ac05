"""The text of an HTML fragment (a post, a message): scripts and skipped parts left out, any depth."""

from __future__ import annotations

from hypothesis import given, settings
from parsel import Selector

from crawlers.extract.fragment import fragment_text
from tests.crawlers.strategies import html_like


def body(html: str):
    return Selector(text=f"<div id='root'>{html}</div>").css("#root")[0].root


def test_blocks_make_lines_and_scripts_comments_and_skipped_parts_are_dropped():
    root = body("<p>bread <b>and</b> butter</p><script>x()</script><!-- note -->tail<br>next"
                "<blockquote>quoted</blockquote><div>last</div>")
    quote = root.find(".//blockquote")
    assert fragment_text(root) == "bread and butter\ntail\nnext\nquoted\nlast"
    assert fragment_text(root, skip=[quote]) == "bread and butter\ntail\nnext\nlast"


@settings(max_examples=150, deadline=None)
@given(html=html_like)
def test_any_markup_gives_trimmed_lines(html):
    text = fragment_text(body(html))  # (an unclosed <title> or <style> makes the rest text: not asserted)
    assert text == "" or all(line and line == line.strip() for line in text.split("\n"))
