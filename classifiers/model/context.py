"""Sentence windows that carry their neighbouring sentences as context.

A hateful sentence quoted inside a condemning article reads as hate on its own; with
the sentence before and after it ("A post circulating today said: ... Police are
investigating.") it reads as reporting. The fine-tuned model is trained on whole short
texts, frames included, and scores each window together with its neighbours; the evidence
span is the window's own sentences, widened over the neighbours whose words it may have won on
(:func:`classifiers.model.predict._pool`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.model.windows import Window, sentence_windows


@dataclass(frozen=True)
class ContextWindow:
    window: Window  # the evidence: owner and character span of the window's own sentences
    text: str  # what the model reads: the window with up to ``context_chars`` of whole neighbouring text each side


def _left(text: str, start: int, budget: int) -> int:
    """Where the left context starts: at most ``budget`` characters back, on a word boundary."""
    if budget <= 0 or start == 0:
        return start
    cut = max(0, start - budget)
    if cut == 0:
        return 0
    space = text.find(" ", cut, start)
    return space + 1 if space != -1 else start


def _right(text: str, end: int, budget: int) -> int:
    if budget <= 0 or end >= len(text):
        return end
    cut = min(len(text), end + budget)
    if cut == len(text):
        return cut
    space = text.rfind(" ", end, cut)
    return space if space != -1 else end


def context_windows(texts: Sequence[str], window_chars: int, context_chars: int) -> list[ContextWindow]:
    """Every sentence window of ``texts`` with its neighbourhood (``context_chars`` = 0: the window alone)."""
    out = []
    for window in sentence_windows(texts, window_chars):
        text = texts[window.owner]
        left, right = _left(text, window.start, context_chars), _right(text, window.end, context_chars)
        out.append(ContextWindow(window, text[left:right]))
    return out
