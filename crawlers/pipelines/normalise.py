"""Tidy the text fields of a post: Unicode NFC, no control characters or lone surrogates (which a JSON
``\\ud800`` escape can carry and UTF-8 cannot encode), no runs of blank space."""

from __future__ import annotations

import re
import unicodedata

from scrapy.crawler import Crawler

from crawlers.items import RawPost

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ud800-\udfff]")  # and lone surrogates
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(text: str | None) -> str | None:
    """The text with line structure kept but noise removed; None stays None."""
    if text is None:
        return None
    clean = _CONTROL.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    lines = [_SPACES.sub(" ", line).strip() for line in clean.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class NormalisePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "NormalisePipeline":
        return cls(crawler)

    def process_item(self, item: RawPost) -> RawPost:
        before = item.text
        item.text = tidy(item.text) or ""
        item.quoted_text = tidy(item.quoted_text) or None
        item.title = tidy(item.title) or None
        item.author = tidy(item.author) or None
        item.thread_title = tidy(item.thread_title) or None
        item.url = item.url.strip()
        if item.text != before:
            self.stats.inc_value("vigil/normalise/text_cleaned")
        return item
