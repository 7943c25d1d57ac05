import json
from datetime import datetime, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.parse import discourse
from crawlers.parse.forum_presets import PRESETS
from crawlers.parse.forum_thread import parse_thread
from crawlers.sources import ForumSelectors
from tests.crawlers.conftest import saved_page
from tests.crawlers.strategies import html_like

BASE = "http://forum.example.org/forum/topic-7.html"


def test_phpbb_posts_quotes_and_pagination():
    page = parse_thread(saved_page("forum/topic-7.html").decode(), PRESETS["phpbb"], BASE)
    assert page.title == "Old mill on the river"
    assert [p.post_id for p in page.posts] == ["701", "702", "703"]
    assert page.next_page == "http://forum.example.org/forum/topic-7-page-2.html"
    first, reply = page.posts[0], page.posts[1]
    assert first.author == "history_buff"
    assert first.published_at == datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)
    assert first.text.startswith("Does anyone know") and "\nI would love to find old photos." in first.text
    assert reply.text == ("It closed in 1968. The city archive has a folder of photos, "
                          "ask for the Mill Street collection.")
    assert "history_buff wrote:" in reply.quoted_text and "stopped working?" in reply.quoted_text
    last = parse_thread(saved_page("forum/topic-7-page-2.html").decode(), PRESETS["phpbb"], BASE)
    assert last.next_page is None and [p.post_id for p in last.posts] == ["704", "705"]


def test_xenforo_posts():
    page = parse_thread(saved_page("forum/xf/community-iftar.15.html").decode(), PRESETS["xenforo"], BASE)
    assert page.title == "Community iftar open to all neighbours"
    assert [(p.post_id, p.author) for p in page.posts] == [("1501", "Karim"), ("1502", "Rivka"), ("1503", "Timur")]
    assert page.posts[1].text.startswith("Thank you! A few of us from the synagogue choir")
    assert "Everyone is welcome" in page.posts[1].quoted_text and page.posts[0].quoted_text is None
    assert page.next_page == "http://forum.example.org/forum/xf/threads/community-iftar.15/page-2"
    last = parse_thread(saved_page("forum/xf/community-iftar.15-page-2.html").decode(), PRESETS["xenforo"], BASE)
    assert last.next_page is None and [p.post_id for p in last.posts] == ["1504", "1505"]
    assert last.posts[0].text == "The school choir can sing two songs before sunset if the organisers agree."
    assert last.posts[0].quoted_text.endswith("I will bring my colleagues from the tram depot")


def test_custom_selectors():
    html = ("<div class='t'>Thread</div><section data-id='9'><b>ann</b><span class='m'>"
            "<q>old words</q>my words</span></section>")
    selectors = ForumSelectors(post="section", post_id="::attr(data-id)", body="span.m", author="b::text",
                               quote="q", thread_title="div.t::text")
    [post] = parse_thread(html, selectors, BASE).posts
    assert (post.post_id, post.author, post.text, post.quoted_text) == ("9", "ann", "my words", "old words")


def test_discourse_topic_json():
    topic = json.loads(saved_page("t/42.json"))
    assert discourse.topic_json_url("http://f.org/t/community-garden/42") == "http://f.org/t/42.json"
    assert discourse.missing_post_ids(topic) == [4203, 4204]
    posts = discourse.parse_posts(topic["post_stream"]["posts"], "http://f.org/t/42.json")
    assert posts[1].text == "Count me in. My family grew melons near Khujand, I can share seeds and tips."
    assert "herbs and flowers" in posts[1].quoted_text and posts[1].author == "Aziz"
    assert discourse.more_posts_url("http://f.org/t/42.json", 42, [1, 2]).endswith(
        "/t/42/posts.json?post_ids%5B%5D=1&post_ids%5B%5D=2")


def test_vbulletin_preset():
    html = """<span class="threadtitle"><a href="#">Bus timetable changes</a></span><ol id="posts">
    <li class="postbitlegacy postcontainer" id="post_881"><a class="username"><strong>ivan</strong></a>
    <span class="date">05.05.2026, 09:15</span><div class="content"><blockquote class="postcontent restore">
    <div class="bbcode_quote">Quote: old timetable</div>The number 7 bus now runs every ten minutes.</blockquote></div></li>
    </ol><a rel="next" href="showthread.php?t=5&amp;page=2">Next</a>"""
    page = parse_thread(html, PRESETS["vbulletin"], "http://f.org/showthread.php?t=5")
    [post] = page.posts
    assert (page.title, post.post_id, post.author) == ("Bus timetable changes", "881", "ivan")
    assert post.text == "The number 7 bus now runs every ten minutes." and post.quoted_text == "Quote: old timetable"
    assert post.published_at == datetime(2026, 5, 5, 9, 15, tzinfo=timezone.utc)
    assert page.next_page == "http://f.org/showthread.php?t=5&page=2"


@settings(max_examples=100, deadline=None)
@given(posts=st.lists(html_like, max_size=4), engine=st.sampled_from(sorted(PRESETS)))
def test_any_markup_in_a_thread_gives_posts_or_none(posts, engine):
    html = "<h2 class='topic-title'>t</h2>" + "".join(
        f"<div id='p{i}' class='post'><div class='content'>{body}</div></div>"
        f"<article class='message--post' data-content='post-{i}'><div class='message-body'><div class='bbWrapper'>"
        f"{body}</div></div></article>" for i, body in enumerate(posts))
    page = parse_thread(html, PRESETS[engine], BASE)
    assert all(post.post_id and "<script" not in post.text for post in page.posts)
