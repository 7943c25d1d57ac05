"""Quoted words: a model flag that only the quotation carries is cited hate, damped as the rules damp it.

Counter-speech and reports quote hate to reject it: 'Posting "kill the Tajiks" is not free
speech, it will be removed', "Someone wrote 'go home, dirty Tajiks' on the school wall. We
condemn it." The rules multiply a hit inside quotation marks by the lexicon's
``context_factor`` (citing is not saying). This module does the same for the model: when the
model flags a short text that holds a quotation, the text is read again with every quotation
replaced by "…". A category still flagged without the quotations keeps its probability; one
flagged only with them falls to the higher of its probability without them and ``factor`` times
its own, so quoted hate the model reads as strong (0.9 → 0.45) stays flagged, and a borderline
flag carried by a quote (0.37 → 0.19) does not. Scores are only lowered.

A quotation is three words or more between paired marks on one line: « », “ ”, „ “, ‘ ’, straight
double quotes, or straight single quotes that open after a space or punctuation and close before one
(so "don't" and "the boys' team" hold none). Shorter ones are mostly scare quotes ("so-called
'white privilege'"), which say what the writer means, and are left alone; so is a text that is mostly
quotation (a post sharing one: 'RT "…" via'), which needs a frame of its own words to cite it in, and a
text whose straight double quotes come two in a row or escaped (CSV and JSON escaping in scraped text),
whose marks cannot be paired.

A claim the text attributes and rejects is cited as a quotation is, without the marks: "Saying
migrants are criminals is just wrong", "В комментариях пишут, что таджики — животные. Это язык
вражды." The lexicon finds them (``attributed_claims``: an attribution, then a rejection in the same
sentence or the next that is not itself denied), and the claim, from the attribution to the
rejection, is replaced by "…" in the re-read too.

A derogation the text denies ("Refugees are not vermin", "цыгане не воры": the lexicon's
:meth:`~classifiers.rules.matcher.Lexicon.denials`, since lexicon v18) says no hate at all, so the labeller reads
such a text again without it and a flag only the denial carries falls to the re-read's probability (``factor``
0); what the text goes on to say is read as before ("X are not vermin? Of course they are…").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from classifiers.model.predict import ModelClassifier, Prediction

# Texts longer than this are left to the windows' reading with context (their flag is a window's).
MAX_CHARS = 1_500
# A quotation is cited when it has at least MIN_WORDS words (shorter ones are mostly scare quotes: "so-called
# 'white privilege'"), and the text around it at least FRAME_WORDS words and as many as the quotations: a text
# that is mostly a quotation shares it ('RT "…" via'), it does not cite it.
MIN_WORDS = 3
FRAME_WORDS = 6
_QUOTED = re.compile(
    r"«([^«»\n]{1,300})»|“([^“”\n]{1,300})”|„([^„“”\n]{1,300})[“”]|‘([^‘’\n]{1,300})’"
    r"|\"([^\"\n]{1,300})\"|(?<![\w'])'([^'\n]{1,300})'(?![\w'])"
)

# Straight double quotes two in a row ('""', '" "') or escaped ('\"'), as CSV and JSON escaping leave them in
# scraped text: which marks pair up cannot be told, so such a text is read as having no quotation.
_UNPAIRED = re.compile(r'"\s*"|\\"')


def quotations(text: str) -> list[tuple[int, int]]:
    """The spans of the quoted words in ``text`` (inside the marks) that it cites: quotations of
    :data:`MIN_WORDS` words or more, inside a frame of at least :data:`FRAME_WORDS` words and as many as they
    hold; none where the text is mostly quotation."""
    if _UNPAIRED.search(text):
        return []
    spans, quoted_words = [], 0
    for m in _QUOTED.finditer(text):
        group = next(g for g in range(1, 7) if m.group(g) is not None)
        words = len(m.group(group).split())
        if words >= MIN_WORDS:
            spans.append(m.span(group))
            quoted_words += words
    frame = len(unquoted(text, spans).split()) - len(spans)  # each quotation leaves one "…"
    return spans if spans and frame >= max(FRAME_WORDS, quoted_words) else []


def unquoted(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span replaced by "…"."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], "…"]
        last = end
    return "".join(pieces) + text[last:]


def cited(text: str, claims: Callable[[str, str | None], list[tuple[int, int]]] | None = None,
          language: str | None = None) -> list[tuple[int, int]]:
    """The spans of ``text`` (in ``language``, when known) it cites rather than says: its :func:`quotations`, and
    the claims it attributes and rejects (``claims``: the lexicon's
    :meth:`~classifiers.rules.matcher.Lexicon.claims`, such as "Saying [migrants are criminals] is wrong", whose
    claim words of a language file count in that language's texts only), overlapping ones merged."""
    spans = sorted([*quotations(text), *(claims(text, language) if claims is not None else [])])
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def cited_only(model: ModelClassifier, pred: Prediction, texts: list[str], languages: list[str | None],
               factor: float, skip: Sequence[bool] | None = None,
               claims: Callable[[str, str | None], list[tuple[int, int]]] | None = None,
               spans_of: Callable[[str], list[tuple[int, int]]] | None = None) -> tuple[Prediction, int]:
    """``pred`` with each flag that only a text's cited spans carry (its quotations, and with ``claims`` the
    claims it attributes and rejects: :func:`cited`; or the spans ``spans_of`` gives instead) damped by
    ``factor`` (in place); also how many texts had a flag damped. A text marked in ``skip`` (flagged by the
    rules) is left alone."""
    if factor >= 1.0:
        return pred, 0
    flagged = (pred.probabilities >= pred.thresholds).any(axis=1)
    jobs = []
    for i, text in enumerate(texts):
        if not flagged[i] or (skip is not None and skip[i]) or len(text) > MAX_CHARS:
            continue
        spans = spans_of(text) if spans_of is not None else cited(text, claims, languages[i])
        if spans:
            jobs.append((i, unquoted(text, spans)))
    if not jobs:
        return pred, 0
    again = model.predict([t for _, t in jobs], [languages[i] for i, _ in jobs]).probabilities
    damped = 0
    for row, (i, _) in enumerate(jobs):
        probs, thresholds = pred.probabilities[i], pred.thresholds[i]
        lowered = np.where(probs >= thresholds, np.minimum(probs, np.maximum(again[row], factor * probs)), probs)
        damped += bool(((probs >= thresholds) & (lowered < thresholds)).any())
        pred.probabilities[i] = lowered
    return pred, damped
