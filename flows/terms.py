"""Emerging terms: words, two-word phrases and hashtags rising in flagged content.

Method: the log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi and Quinn, 2008, "Fightin' Words"). For term ``w`` with counts
``y_r``, ``y_b`` in the recent and baseline flagged texts (totals ``n_r``,
``n_b``) and prior ``a_w`` (the pooled counts of both periods, scaled to
``alpha0`` pseudo-counts, ``a0`` in all):

    delta = log((y_r + a_w) / (n_r + a0 - y_r - a_w)) - log((y_b + a_w) / (n_b + a0 - y_b - a_w))
    z     = delta / sqrt(1 / (y_r + a_w) + 1 / (y_b + a_w))

The prior shrinks rare terms towards zero, so a word seen twice does not
outrank one seen two hundred times; ``z`` is comparable across terms.
Computed per language, because words only compare within one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_HASHTAG = re.compile(r"#\w{2,}", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(frozen=True)
class Term:
    term: str
    kind: str  # word, phrase or hashtag
    z: float
    recent: int
    baseline: int


def terms_of(text: str) -> set[str]:
    """The distinct terms of one text (a text counts once per term: documents, not repetitions)."""
    found = {tag.casefold() for tag in _HASHTAG.findall(text)}
    words = [w.casefold() for w in _WORD.findall(_HASHTAG.sub(" ", text))]
    found.update(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:]))
    return found


def term_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms_of(text))
    return counts


def kind_of(term: str) -> str:
    return "hashtag" if term.startswith("#") else "phrase" if " " in term else "word"


def log_odds(recent: Counter[str], baseline: Counter[str], *, alpha0: float = 500.0, min_recent: int = 3,
             z_min: float = 1.96, top: int = 50) -> list[Term]:
    """Terms rising in ``recent`` against ``baseline``, best first."""
    prior = recent + baseline
    prior_total = sum(prior.values())
    if not prior_total:
        return []
    scale = alpha0 / prior_total
    n_r, n_b = sum(recent.values()), sum(baseline.values())
    out = []
    for term, y_r in recent.items():
        if y_r < min_recent:
            continue
        a_w = prior[term] * scale
        y_b = baseline.get(term, 0)
        delta = (math.log((y_r + a_w) / max(n_r + alpha0 - y_r - a_w, 1e-9))
                 - math.log((y_b + a_w) / max(n_b + alpha0 - y_b - a_w, 1e-9)))
        z = delta / math.sqrt(1.0 / (y_r + a_w) + 1.0 / (y_b + a_w))
        if z >= z_min:
            out.append(Term(term, kind_of(term), round(z, 3), y_r, y_b))
    out.sort(key=lambda t: (-t.z, t.term))
    return out[:top]
