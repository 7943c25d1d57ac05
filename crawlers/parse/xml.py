"""Parse XML text whatever its declaration says (the body was already decoded), without namespaces."""

from __future__ import annotations

import re

from parsel import Selector

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def xml_selector(text: str) -> Selector:
    selector = Selector(text=_DECLARATION.sub("", text, count=1).lstrip("\ufeff"), type="xml")
    selector.remove_namespaces()
    return selector
