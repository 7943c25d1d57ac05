"""A document's thread or channel neighbours, and its copies elsewhere (content hash or SimHash)."""

from __future__ import annotations

import pytest

from dashboards.review.item import load_document
from dashboards.review.related import near_duplicates, thread
from tests.dashboards.review.factories import stored_item

pytestmark = pytest.mark.warehouse
THREAD = "https://forum.example.org/threads/garden.7/"
PARAGRAPH = ("The council met on Tuesday to discuss the new community garden on the river bank. Volunteers "
             "will plant apple trees in spring, and the school has offered its greenhouse for seedlings. "
             "Residents can sign up at the library until the end of the month.")


def test_forum_posts_have_their_thread_around_them(warehouse) -> None:
    posts = [stored_item(warehouse, n, url=THREAD, post_id=str(n), hours_old=10 - n, labels=None) for n in range(9)]
    stored_item(warehouse, 99, post_id="99", labels=None)  # a post of another thread
    before, after = thread(warehouse, load_document(warehouse, posts[4].id))  # type: ignore[arg-type]
    assert [d.id for d in before] == [p.id for p in posts[1:4]]
    assert [d.id for d in after] == [p.id for p in posts[5:8]]


def test_telegram_messages_have_their_channel_and_articles_nothing(warehouse) -> None:
    messages = [stored_item(warehouse, n, source_id="channel", source_kind="telegram", hours_old=5 - n,
                            url=f"https://t.me/channel/{n}", labels=None) for n in range(3)]
    before, after = thread(warehouse, load_document(warehouse, messages[1].id))  # type: ignore[arg-type]
    assert ([d.id for d in before], [d.id for d in after]) == ([messages[0].id], [messages[2].id])
    article = stored_item(warehouse, 50, source_kind="rss", labels=None)
    assert thread(warehouse, load_document(warehouse, article.id)) == ([], [])  # type: ignore[arg-type]


def test_copies_by_content_hash_and_by_near_simhash(warehouse) -> None:
    original = stored_item(warehouse, 1, text=PARAGRAPH, labels=None)
    same = stored_item(warehouse, 2, text=PARAGRAPH.upper(), labels=None)  # same normalised text
    edited = stored_item(warehouse, 3, text=PARAGRAPH.replace("Tuesday", "Wednesday") + " Share this.", labels=None)
    stored_item(warehouse, 4, text="An unrelated report about the weather in the mountains this week. " * 4,
                labels=None)
    found = near_duplicates(warehouse, load_document(warehouse, original.id))  # type: ignore[arg-type]
    assert [(d.id, d.distance) for d in found][:1] == [(same.id, 0)]
    assert [d.id for d in found] == [same.id, edited.id]
    assert 0 < found[1].distance <= 8  # type: ignore[operator]


def test_short_texts_are_tied_by_content_hash_only(warehouse) -> None:
    one = stored_item(warehouse, 1, text="Drive them all out now", labels=None)
    stored_item(warehouse, 2, text="Drive them all out today", labels=None)
    copy = stored_item(warehouse, 3, text="drive them all OUT now", labels=None)
    found = near_duplicates(warehouse, load_document(warehouse, one.id))  # type: ignore[arg-type]
    assert [d.id for d in found] == [copy.id]
