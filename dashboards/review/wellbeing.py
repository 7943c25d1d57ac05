"""Protecting the people who read flagged content: what is blurred, and how crawled links are shown.

**Blur.** A document's text (and its raw JSON, thread and duplicates, which carry the same words)
is blurred by default when its latest classification labels it, by any layer, with a category that
is graphic (:data:`GRAPHIC`: calls to violence, glorified attacks) or dehumanising
(:data:`DEHUMANISING`: neo-Nazi, xenophobic, racist and anti-religious hostility). Recruitment,
aggressive nationalism and financing appeals are not blurred. One click reveals one item; a user
whose ``blur_media`` preference (on ``/account``) is off sees nothing blurred.

**Links.** A link from crawled content is never live: it is shown as text, and its "open link"
action goes to ``/leave?url=...``, a warning page that shows the URL as text and asks for an
explicit click. Only http and https URLs with a host are offered; anything else (``javascript:``,
``data:``, ``file:``, control characters) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit

GRAPHIC = ("incitement", "terrorism_justification")
DEHUMANISING = ("neo_nazism", "xenophobia", "racism", "religious_intolerance")
LEAVE = "/leave"


def should_blur(labels: Iterable[str], user_blurs: bool) -> bool:
    """Whether a document with ``labels`` is blurred for a user whose preference is ``user_blurs``."""
    return user_blurs and any(label in GRAPHIC or label in DEHUMANISING for label in labels)


def outside_url(url: str) -> str | None:
    """``url`` if it may be opened from the warning page (http or https, with a host), else None."""
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in {"http", "https"} and parts.hostname else None


def leave_href(url: str) -> str | None:
    """The warning page's address for ``url``; None when ``url`` may not be opened at all."""
    return f"{LEAVE}?{urlencode({'url': url})}" if outside_url(url) else None
