"""Hypothesis strategies for the parsers' property tests: text that looks like markup, feeds and links,
broken in every way the pieces allow (unclosed tags, stray entities, comments, CDATA, bad links)."""

from __future__ import annotations

from hypothesis import strategies as st

TAGS = ["<p>", "</p>", "<div class='content'>", "</div>", "<br>", "<span>", "</span>", "<article>", "</article>",
        "<html>", "<body>", "</body>", "<head>", "<title>", "</title>", "<script>", "</script>", "<style>",
        "<blockquote>", "</blockquote>", "<!-- ", " -->", "<![CDATA[", "]]>", "<?pi x?>", "&amp;", "&nbsp;",
        "&#0;", "&#xD800;", "&#1114112;", "&lol;", "<", ">", "\"", "'", "\x00", "\ufeff", "\u200b"]
LINKS = ["http://[::1", "http://[zz]/", "http://a:99999/", "javascript:alert(1)", "//example.org/x", "/a?b=c#d",
         "https://news.example.org/ok", "http:///nohost", "mailto:a@b", "\x00", " ", "ht!tp://x", "%zz"]

links = st.sampled_from(LINKS) | st.text(max_size=30)
words = st.text(max_size=20) | st.sampled_from(["bread", "хлеб", "Mon, 02 May 2026 09:30:00 +0000", "2026-13-45",
                                                 "9999-12-31T23:59:59-23:59"])
html_like = st.lists(st.sampled_from(TAGS) | words | links.map(lambda h: f"<a href='{h}'>link</a>"),
                     max_size=30).map("".join)


def _item(title: str, link: str, summary: str, date: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><description>{summary}</description>"
            f"<pubDate>{date}</pubDate><guid>{link}</guid></item>")


def _entry(title: str, link: str, summary: str, date: str) -> str:
    return (f"<entry><title>{title}</title><link rel='alternate' href='{link}'/><summary>{summary}</summary>"
            f"<updated>{date}</updated></entry>")


_parts = st.tuples(words, links, html_like, words)
feed_like = st.one_of(
    st.lists(_parts.map(lambda p: _item(*p)), max_size=4).map(
        lambda items: "<?xml version='1.0'?><rss><channel>" + "".join(items) + "</channel></rss>"),
    st.lists(_parts.map(lambda p: _entry(*p)), max_size=4).map(
        lambda entries: "<feed xmlns='http://www.w3.org/2005/Atom'>" + "".join(entries) + "</feed>"),
    st.lists(st.tuples(links, words), max_size=4).map(
        lambda urls: "<urlset>" + "".join(f"<url><loc>{u}</loc><lastmod>{m}</lastmod></url>" for u, m in urls)
        + "</urlset>"),
).flatmap(lambda text: st.integers(0, len(text)).map(lambda cut: text[:cut] if cut % 3 == 0 else text))
