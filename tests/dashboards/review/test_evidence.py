"""Evidence spans become <mark> elements over escaped text; overlapping spans split the text."""

from __future__ import annotations

from markupsafe import Markup

from dashboards.review.evidence import Span, highlight, locate
from vigil.schemas import Evidence


def test_overlapping_spans_are_cut_into_pieces_each_naming_its_categories_and_layers() -> None:
    text = "aa bb cc dd"
    html = highlight(text, [Span(3, 8, "incitement", "model"), Span(6, 11, "xenophobia", "rules")])
    assert isinstance(html, Markup)
    assert html == (
        'aa <mark class="ev ev-model" data-categories="incitement" data-layers="model" title="incitement (model)">'
        'bb </mark><mark class="ev ev-model ev-rules" data-categories="incitement xenophobia" data-layers="model rules" '
        'title="incitement (model); xenophobia (rules)">cc</mark><mark class="ev ev-rules" data-categories="xenophobia" '
        'data-layers="rules" title="xenophobia (rules)"> dd</mark>')


def test_every_piece_of_text_is_escaped() -> None:
    text = 'hi <img src=x onerror=alert(1)> & "<script>alert(2)</script>"'
    html = highlight(text, [Span(3, 31, "racism", "known")])
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert html.count("<mark") == 1 and html.striptags() == text


def test_spans_are_clamped_to_the_text() -> None:
    assert highlight("abc", [Span(1, 99, "racism", "rules")]).striptags() == "abc"


def test_evidence_is_located_by_offsets_or_else_by_its_text() -> None:
    text = "one two three two"
    exact = Evidence(category="racism", start=4, end=7, text="two", layer="rules")
    moved = Evidence(category="racism", start=0, end=3, text="three", layer="model")
    lost = Evidence(category="racism", start=0, end=4, text="four", layer="model")
    assert locate(text, exact) == Span(4, 7, "racism", "rules")
    assert locate(text, moved) == Span(8, 13, "racism", "model")
    assert locate(text, lost) is None
