"""The item page: evidence, scores and why, context, raw JSON; deciding, claims and hostile content."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from classifiers.taxonomy import load_taxonomy
from dashboards.accounts import claims
from dashboards.accounts.models import Role
from dashboards.accounts.users import find_user, set_preferences
from dashboards.views.model_info import applied_thresholds, model_manifest
from tests.dashboards.conftest import csrf, sign_in
from tests.dashboards.review.factories import stored_item
from vigil.schemas import Evidence

pytestmark = pytest.mark.warehouse
TEXT = "Opening words. They are vermin, drive them out of the city! Closing words."
THREAD = "https://forum.example.org/threads/city.9/"


def _evidence() -> list[Evidence]:
    return [Evidence(category="xenophobia", start=15, end=59, text=TEXT[15:59], layer="model"),
            Evidence(category="xenophobia", start=15, end=30, text=TEXT[15:30], layer="rules"),
            Evidence(category="incitement", start=32, end=59, text=TEXT[32:59], layer="rules"),
            Evidence(category="xenophobia", start=0, end=len(TEXT), text=TEXT, layer="known",
                     known_item_id="review:" + "e" * 32, similarity=0.82)]


def _decide(client: TestClient, doc_id: str, query: str = "", **form: object):
    return client.post(f"/items/{doc_id}/decisions{query}", data={"csrf_token": csrf(client, f"/items/{doc_id}"), **form})


def test_the_page_shows_evidence_scores_context_and_raw_json(warehouse, signed_in) -> None:
    before = stored_item(warehouse, 1, text="Who agrees with this?", url=THREAD, post_id="1", hours_old=3, labels=None)
    doc = stored_item(warehouse, 2, text=TEXT, url=THREAD, post_id="2", labels=("xenophobia", "incitement"),
                      scores={"xenophobia": 0.91, "incitement": 0.64}, evidence=_evidence(), author="poster",
                      thread_title="Our city", title="Our city", views=321, hours_old=2)
    after = stored_item(warehouse, 3, text="Moderators, please remove this.", url=THREAD, post_id="3", labels=None)
    copy = stored_item(warehouse, 4, text=TEXT.upper(), source_id="other-site", labels=None)
    page = signed_in(Role.reviewer).get(f"/items/{doc.id}").text
    # the known item's span covers the whole text, so the rule's stretch carries three layers
    assert '<mark class="ev ev-model ev-rules ev-known" data-categories="xenophobia" data-layers="model rules known"' in page
    assert 'data-categories="incitement xenophobia" data-layers="model rules known"' in page
    assert 'data-toggle-category="xenophobia"' in page and 'data-toggle-layer="known"' in page
    assert "0.91" in page and "0.64" in page
    assert f"<q>{TEXT[15:59]}</q>" in page  # the model's window
    assert f"<q>{TEXT[32:59]}</q>" in page  # the matched rule
    assert f'href="/items/{"e" * 32}">review:{"e" * 32}</a>' in page and "similarity 0.82" in page
    assert "poster" in page and "Our city" in page and "321" in page
    for neighbour in (before, after, copy):
        assert f'href="/items/{neighbour.id}"' in page
    assert "identical text" in page
    details = re.search(r'<details class="raw">(.*?)</details>', page, re.DOTALL)
    assert details and "&#34;content_hash&#34;" in details.group(1) and "&#34;evidence&#34;" in details.group(1)
    assert 'data-key="c"' in page and 'data-key="j"' not in page  # nothing else in the queue after it
    assert '<script src="/static/js/review.js" defer></script>' in page


def test_confirming_relabelling_and_rejecting_through_the_form(warehouse, signed_in) -> None:
    first = stored_item(warehouse, 1, labels=("xenophobia",), hours_old=1)
    second = stored_item(warehouse, 2, labels=("xenophobia",), hours_old=5)
    third = stored_item(warehouse, 3, labels=("xenophobia",), hours_old=9, language="ru")
    client = signed_in(Role.reviewer)
    response = _decide(client, first.id, action="confirm", categories=["xenophobia"])
    assert (response.status_code, response.headers["location"]) == (303, f"/items/{second.id}")
    response = _decide(client, second.id, action="confirm", categories=["xenophobia", "racism"])
    assert response.headers["location"] == f"/items/{third.id}"
    refused = _decide(client, third.id, "?language=ru", action="reject", note="  ")
    assert refused.status_code == 400 and "This decision needs a reason" in refused.text
    response = _decide(client, third.id, "?language=ru", action="reject", note="a news report")
    assert response.headers["location"] == "/queue?language=ru"  # the queue is empty: back to it, filters kept
    rows = warehouse.query("SELECT document_id, verdict, labels, note FROM review_decisions ORDER BY decided_at")
    assert [(r["document_id"], r["verdict"], r["labels"], r["note"]) for r in rows] == [
        (first.id, "confirm", ["xenophobia"], ""), (second.id, "relabel", ["xenophobia", "racism"], ""),
        (third.id, "reject", [], "a news report")]


def test_a_refused_decision_keeps_what_was_typed(warehouse, signed_in) -> None:
    doc = stored_item(warehouse, 1)
    page = _decide(signed_in(Role.reviewer), doc.id, action="confirm", note="my <b>note</b>").text
    assert "Tick the categories that apply" in page and "my &lt;b&gt;note&lt;/b&gt;</textarea>" in page


def test_two_reviewers_never_work_the_same_item(app, accounts, warehouse, signed_in, make_user) -> None:
    doc = stored_item(warehouse, 1)
    ann = signed_in(Role.reviewer)
    assert "You are reviewing this item" in ann.get(f"/items/{doc.id}").text
    make_user("bob", Role.reviewer)
    bob = TestClient(app, follow_redirects=False)
    sign_in(bob, "bob")
    page = bob.get(f"/items/{doc.id}").text
    assert "reviewer is reviewing this item until" in page and "<fieldset disabled>" in page
    assert bob.get("/queue").text.count(f"/items/{doc.id}") == 0  # not offered to him
    refused = _decide(bob, doc.id, action="confirm", categories=["xenophobia"])
    assert refused.status_code == 409 and "Another reviewer is working on this item." in refused.text
    response = ann.post(f"/items/{doc.id}/release", data={"csrf_token": csrf(ann, "/queue")})
    assert (response.status_code, response.headers["location"]) == (303, "/queue")
    assert claims.current(accounts, doc.id) is None
    assert _decide(bob, doc.id, action="confirm", categories=["xenophobia"]).status_code == 303


def test_flagged_text_is_blurred_unless_the_user_turned_blurring_off(accounts, warehouse, signed_in) -> None:
    hateful = stored_item(warehouse, 1, labels=("racism",))
    appeal = stored_item(warehouse, 2, text="Send money to card 4111 1111 1111 1111", labels=("financing",))
    client = signed_in(Role.reviewer)
    assert 'class="doc-text sensitive blurred"' in client.get(f"/items/{hateful.id}").text
    assert 'data-reveal="item"' in client.get(f"/items/{hateful.id}").text
    assert 'class="doc-text sensitive"' in client.get(f"/items/{appeal.id}").text
    user = find_user(accounts, "reviewer")
    set_preferences(accounts, user.id, locale=None, blur_media=False)  # type: ignore[union-attr]
    page = client.get(f"/items/{hateful.id}").text
    assert ' blurred"' not in page and 'data-reveal="item"' not in page


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_hostile_content_is_shown_escaped_and_never_live(warehouse, signed_in) -> None:
    text = ('Read this <script>alert("x")</script> and <img src=x onerror=alert(1)> '
            '<a href="javascript:alert(2)">click</a> <svg onload=alert(3)>')
    evidence = [Evidence(category="racism", start=10, end=38, text=text[10:38], layer="rules")]
    doc = stored_item(warehouse, 1, text=text, labels=("racism",), evidence=evidence,
                      title='<script>alert("title")</script>', author='"><img src=y onerror=alert(4)>',
                      thread_title="<b onmouseover=alert(5)>thread</b>",
                      links=["javascript:alert(6)", "data:text/html,<script>alert(7)</script>",
                             "https://evil.example.org/page?a=1&b=2"])
    client = signed_in(Role.reviewer)
    page = client.get(f"/items/{doc.id}").text
    parser = _Tags()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"img", "svg", "iframe", "object", "embed"}
    assert [attrs.get("src") for tag, attrs in parser.tags if tag == "script"] == [
        "/static/vendor/htmx/htmx.min.js", "/static/js/review.js"]
    assert not [name for _, attrs in parser.tags for name in attrs if name.startswith("on")]
    hrefs = [attrs["href"] or "" for tag, attrs in parser.tags if tag == "a"]
    assert not [href for href in hrefs if not href.startswith("/")]  # no live outside link at all
    assert not [href for href in hrefs if "javascript" in href.lower() or "data%3a" in href.lower()]
    assert "/leave?url=https%3A%2F%2Fevil.example.org%2Fpage%3Fa%3D1%26b%3D2" in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;" in page
    assert "<code class=\"url\">javascript:alert(6)</code>" in page
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in page
    assert "&lt;b onmouseover=alert(5)&gt;thread&lt;/b&gt;" in page
    queue = client.get("/queue").text
    assert "<script>alert" not in queue and "&lt;script&gt;alert(&#34;title&#34;)" in queue


def test_the_threshold_column_shows_what_the_model_applied_in_the_documents_language(warehouse, signed_in) -> None:
    manifest = model_manifest("default")
    ru = applied_thresholds(manifest, manifest["version"], "ru")
    by_model = stored_item(warehouse, 1, text="Текст.", language="ru", labels=("incitement",),
                           scores={"incitement": 0.9}, model_version=manifest["version"] + "+lexicon.v3+taxonomy.v1")
    by_other = stored_item(warehouse, 2, text="Text.", labels=("incitement",), scores={"incitement": 0.9},
                           model_version="retired-model+lexicon.v1")

    client = signed_in(Role.reviewer)

    def threshold(doc_id: str, category: str) -> str:
        page = client.get(f"/items/{doc_id}").text
        row = re.search(rf'<td>{category}(?:(?!</tr>).)*', page, re.DOTALL)
        assert row, category
        return re.findall(r"<td>([^<]*)</td>", row.group(0))[2]  # severity, score, threshold

    assert float(threshold(by_model.id, "Incitement")) == round(ru["incitement"], 3)  # "#,##0.###"
    assert float(threshold(by_other.id, "Incitement")) == load_taxonomy().categories["incitement"].threshold
