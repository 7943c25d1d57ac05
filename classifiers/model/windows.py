"""Split long texts into overlapping windows and form length-bucketed batches.

A propaganda call buried in the middle of a long page must still be seen, so
texts are cut into overlapping windows of whole sentences rather than truncated
(a window longer than the encoder's limit is split again into token windows);
sorting windows by length before batching keeps padding (wasted compute) small.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\S+")
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[\"'»”)]*|\n|$)")


@dataclass(frozen=True)
class Window:
    owner: int  # index of the text this window came from
    start: int  # character offsets in that text
    end: int
    text: str


def _pieces(start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """A word as one span, or cut into spans of ``max_chars`` when longer (a link, a blob, letters run
    together), which would otherwise make a window as long as itself."""
    return [(i, min(i + max_chars, end)) for i in range(start, end, max_chars)]


def _sentence_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Sentence spans; a sentence longer than ``max_chars`` is cut into word chunks."""
    spans = []
    for m in _SENTENCE.finditer(text):
        words = [piece for w in _WORD.finditer(text, m.start(), m.end()) for piece in _pieces(*w.span(), max_chars)]
        chunk: list[tuple[int, int]] = []
        for span in words:
            if chunk and span[1] - chunk[0][0] > max_chars:
                spans.append((chunk[0][0], chunk[-1][1]))
                chunk = []
            chunk.append(span)
        if chunk:
            spans.append((chunk[0][0], chunk[-1][1]))
    return spans


def sentence_windows(texts: Sequence[str], max_chars: int) -> list[Window]:
    """Windows of whole sentences up to ``max_chars``; consecutive windows share one sentence.

    Short windows keep a one-line call from being averaged away by pages of filler, and
    they look like the tweets and forum sentences the heads were trained on.
    """
    windows: list[Window] = []
    for owner, text in enumerate(texts):
        spans = _sentence_spans(text, max_chars)
        if not spans:
            windows.append(Window(owner, 0, len(text), text))
            continue
        first = 0
        while True:
            last = first + 1
            while last < len(spans) and spans[last][1] - spans[first][0] <= max_chars:
                last += 1
            start, end = spans[first][0], spans[last - 1][1]
            windows.append(Window(owner, start, end, text[start:end]))
            if last == len(spans):
                break
            shared = last - 1  # overlap by one sentence when it fits beside the next one
            first = shared if shared > first and spans[last][1] - spans[shared][0] <= max_chars else last
    return windows


def whole_windows(texts: Sequence[str]) -> list[Window]:
    """One window per text (training units are short: a tweet or a forum sentence)."""
    return [Window(i, 0, len(t), t) for i, t in enumerate(texts)]


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    for i in range(0, len(order), batch_size):
        yield order[i : i + batch_size]
