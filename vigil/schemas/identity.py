"""A document's identity and its content hash: the two hashes every stage agrees on.

``document_id`` is the Kafka key and the ClickHouse dedup key, so it must not
change between crawls of the same page or post: it hashes the canonical URL
(scheme and host lower-cased, default port, fragment and tracking parameters
dropped, query parameters sorted) plus the post or message id, if any.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "ref_src", "utm_id"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
_WHITESPACE = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def canonical_url(url: str) -> str:
    """Normalise a URL so that trivially different spellings of one page compare equal."""
    raw = url.strip()
    if not raw:
        raise ValueError("empty URL")
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError(f"URL has no host: {url!r}")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{parts.port}"
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def document_id(url: str, post_id: str | int | None = None) -> str:
    """Stable 32-hex-digit id of a page (``post_id`` None) or of one post or message on it."""
    key = canonical_url(url) + "\x1f" + ("" if post_id is None else str(post_id).strip())
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def normalise_text(text: str) -> str:
    """NFKC, zero-width characters removed, case folded, white space collapsed."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _ZERO_WIDTH.sub("", folded).casefold()
    return _WHITESPACE.sub(" ", folded).strip()


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for copies that differ only in case, spacing or width."""
    # surrogatepass: a lone surrogate (a JSON "\\ud800" escape can make one) hashes instead of raising
    return hashlib.blake2b(normalise_text(text).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
