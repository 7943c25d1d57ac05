"""Decode a fetched body into text, whatever its page claims about its character set.

Russian-language sites still serve windows-1251 and KOI8-R, and some declare one
charset while sending another. The rules, in order: a byte-order mark wins; a
body that is valid UTF-8 and not plain ASCII is UTF-8 whatever it declares
(single-byte Cyrillic text is practically never valid UTF-8); a declared
Cyrillic single-byte charset is checked against the other one by letter case
(running text is mostly lower case); otherwise the declared charset, then
charset-normalizer's guess.
"""

from __future__ import annotations

import codecs

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

CYRILLIC_SINGLE_BYTE = ("cp1251", "koi8-r")


def _lower_case_share(text: str) -> float:
    letters = [c for c in text if "\u0400" <= c <= "\u04ff"]
    if not letters:
        return 0.0
    return sum(c.islower() for c in letters) / len(letters)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name) or name
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def declared_encoding(body: bytes, content_type: str | None) -> str | None:
    """The charset the HTTP header or, failing that, the page itself declares."""
    return _codec(http_content_type_encoding(content_type or "")) or _codec(html_body_declared_encoding(body))


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec used)`` for a response body."""
    bom, _ = read_bom(body)
    if bom:
        codec = _codec(bom) or "utf-8"
        return body.decode(codec, errors="replace").lstrip("\ufeff"), codec
    if not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    declared = declared_encoding(body, content_type)
    if body.isascii():
        return body.decode("ascii"), declared or "ascii"
    if declared in CYRILLIC_SINGLE_BYTE or declared is None:
        candidates = {codec: body.decode(codec, errors="replace") for codec in CYRILLIC_SINGLE_BYTE}
        best = max(candidates, key=lambda codec: _lower_case_share(candidates[codec]))
        if _lower_case_share(candidates[best]) > 0.5:
            return candidates[best], best
    if declared and declared != "utf-8":
        return body.decode(declared, errors="replace"), declared
    guess = charset_normalizer.from_bytes(body).best()
    codec = _codec(guess.encoding) if guess else None
    return body.decode(codec or "utf-8", errors="replace"), codec or "utf-8"
