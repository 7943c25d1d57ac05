"""A document's text with its evidence highlighted: HTML built here, every piece of text escaped.

Each evidence item of a classification marks ``[start, end)`` of the text for one category and one
layer: the model's best window, a matched rule, or a known item (whose span is the first 300
characters). Spans overlap freely, so the text is cut at every span boundary and each piece is
wrapped in one ``<mark>`` naming every category and layer that covers it (classes ``ev-model``,
``ev-rules``, ``ev-known``; attribute ``data-categories``), which ``static/js/review.js`` shows or
mutes per category and layer. Every piece of crawled text goes through ``markupsafe.escape``, and the
result is ``Markup``, so templates print it as it is, with autoescape on and no ``|safe``.

An item whose offsets no longer match the text is found again by its own text (first occurrence);
failing that it is listed beside the text but not marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from vigil.schemas import Evidence

DISPLAY_CHARS = 50_000  # what the model reads; longer texts are shown cut here
LAYERS = ("model", "rules", "known")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    category: str
    layer: str


def locate(text: str, item: Evidence) -> Span | None:
    """Where ``item`` lies in ``text``: its own offsets if they still hold, else its text's first
    occurrence; None when it cannot be found (or is empty)."""
    if item.end > item.start and text[item.start:item.end] == item.text:
        return Span(item.start, item.end, item.category, item.layer)
    found = text.find(item.text) if item.text else -1
    return Span(found, found + len(item.text), item.category, item.layer) if found >= 0 else None


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    """``text`` as HTML, escaped, with a ``<mark>`` over every stretch some span covers."""
    cuts = sorted({0, len(text)} | {min(max(s.start, 0), len(text)) for s in spans}
                  | {min(max(s.end, 0), len(text)) for s in spans})
    pieces: list[str] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s.start <= start and s.end >= end]
        piece = escape(text[start:end])
        pieces.append(_mark(piece, covering) if covering else piece)
    return Markup("".join(pieces))


def _mark(piece: Markup, covering: list[Span]) -> str:
    categories = sorted({s.category for s in covering})
    layers = [layer for layer in LAYERS if any(s.layer == layer for s in covering)]
    title = "; ".join(f"{s.category} ({s.layer})" for s in sorted(covering, key=lambda s: (s.category, s.layer)))
    classes = " ".join(["ev", *(f"ev-{layer}" for layer in layers)])
    return (f'<mark class="{escape(classes)}" data-categories="{escape(" ".join(categories))}" '
            f'data-layers="{escape(" ".join(layers))}" title="{escape(title)}">{piece}</mark>')
