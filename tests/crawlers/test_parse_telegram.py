from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.parse.telegram import page_url, parse_channel_page, parse_views
from tests.crawlers.conftest import saved_page
from tests.crawlers.strategies import html_like

BASE = "https://t.me/s/riverside_daily"


def test_channel_page_messages():
    page = parse_channel_page(saved_page("tg/riverside_daily.html").decode(), BASE)
    assert page.title == "Riverside Daily" and page.before == "5"
    assert [m.message_id for m in page.messages] == ["5", "6", "7", "8"]
    festival, recruit, _, football = page.messages
    assert festival.url == "https://t.me/riverside_daily/5"
    assert festival.published_at == datetime(2026, 5, 2, 8, 0, tzinfo=timezone.utc)
    assert festival.views == 1500 and festival.media == ["https://cdn.example.org/photos/festival.jpg"]
    assert recruit.forwarded_from == "https://t.me/fake_recruiter_demo"
    assert football.views == 1_200_000 and football.links == []
    assert page_url(BASE, page.before) == "https://t.me/s/riverside_daily?before=5"


def test_oldest_page_has_no_more_link():
    page = parse_channel_page(saved_page("tg/riverside_daily-before-5.html").decode(), BASE)
    assert page.before is None and [m.message_id for m in page.messages] == ["1", "2", "3", "4"]
    assert page.messages[1].links == ["https://library.example.org/exhibitions"]
    assert page.messages[3].forwarded_from == "https://t.me/media_literacy_hub"


def test_views():
    assert [parse_views(v) for v in ("812", "1.1K", "3M", "", None, "n/a")] == [812, 1100, 3_000_000, None, None, None]


@settings(max_examples=100, deadline=None)
@given(bodies=st.lists(html_like, max_size=3), post=st.text(max_size=20))
def test_any_markup_in_a_channel_page_gives_messages_or_none(bodies, post):
    html = "".join(f"<div class='tgme_widget_message' data-post='{post}'><div class='tgme_widget_message_text'>"
                   f"{body}</div></div>" for body in bodies)
    for message in parse_channel_page(html, BASE).messages:
        assert message.url.startswith("https://")
