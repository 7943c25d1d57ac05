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


def _walk(element, parts: list[str], skip: set) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.rsplit("}", 1)[-1].lower()
    if element in skip or local in SKIP_TAGS or not tag:
        if element.tail and tag:
            parts.append(element.tail)
        elif not tag and element.tail:  # comments and processing instructions
            parts.append(element.tail)
        return
    if local == "br":
        parts.append("\n")
    elif local in BLOCK_TAGS:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts, skip)
    if local in BLOCK_TAGS:
        parts.append("\n")
    if element.tail:
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
