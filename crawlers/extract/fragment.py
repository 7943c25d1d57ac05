"""Plain text of an HTML fragment (a forum post, a channel message) with its line breaks kept.

Scripts, styles and templates are dropped, never run: the crawler only reads
markup.
"""

from __future__ import annotations

import re

from lxml import etree

BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
              "pre", "aside", "section", "article", "dd", "dt", "table", "cite", "figure"}
SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg"}
_SPACES = re.compile(r"[ \t\u00a0]+")


def _walk(root, parts: list[str], skip: set) -> None:
    """Append the text of ``root``'s tree to ``parts`` in document order, with an explicit stack
    rather than recursion, so that markup nested thousands deep cannot exhaust Python's stack."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""  # "": comments and processing instructions
        local = tag.rsplit("}", 1)[-1].lower()
        if not closing and not (element in skip or local in SKIP_TAGS or not tag):
            if local == "br" or local in BLOCK_TAGS:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
            stack.append((element, True))  # its end and tail come after its children
            stack.extend((child, False) for child in reversed(element))
            continue
        if closing and local in BLOCK_TAGS:
            parts.append("\n")
        if element.tail:  # after an element's end, or in place of a skipped one
            parts.append(element.tail)


def fragment_text(element: etree._Element, skip: list[etree._Element] | None = None) -> str:
    """Text of ``element`` without the subtrees in ``skip`` (e.g. quotes), lines trimmed."""
    parts: list[str] = []
    saved_tail, element.tail = element.tail, None
    try:
        _walk(element, parts, set(skip or ()))
    finally:
        element.tail = saved_tail
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)
