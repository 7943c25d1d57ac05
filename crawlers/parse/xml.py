"""Parse XML text whatever its declaration says (the body was already decoded), without namespaces."""

from __future__ import annotations

import re

from parsel import Selector

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NUMERIC_REF = re.compile(r"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,8});")


def _surrogate(match: re.Match[str]) -> str:
    body = match.group(1)
    code = int(body[1:], 16) if body[0] in "xX" else int(body)
    return chr(code) if 0xD800 <= code <= 0xDFFF else match.group(0)


def _without_surrogate_refs(text: str) -> str:
    """References to UTF-16 surrogates (``&#xD83D;&#xDE00;``, an emoji as JavaScript writes it) are not
    XML, and libxml2 turns them into bytes that are not UTF-8: a pair becomes its character, a lone
    one U+FFFD."""
    fixed = _NUMERIC_REF.sub(_surrogate, text)
    if fixed == text:
        return text
    return fixed.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def xml_selector(text: str) -> Selector:
    text = _without_surrogate_refs(_DECLARATION.sub("", text, count=1).lstrip("\ufeff"))
    selector = Selector(text=text, type="xml")
    selector.remove_namespaces()
    return selector
