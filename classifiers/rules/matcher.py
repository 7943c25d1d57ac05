"""Find lexicon entries in a text and report each as a scored span of the original text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from classifiers.rules.fold import SCRIPTS, Folded, at_word_edges, fold, fold_phrase, script_of
from classifiers.rules.readable import original_span

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class Term:
    """A folded phrase (``prefix``: may continue with more letters) or a raw-text regex."""

    folded: str = ""  # a regex over the folded view
    script: str = "latin"
    prefix: bool = False
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    weight: float
    terms: tuple[Term, ...]
    requires: tuple[tuple[Term, ...], ...] = ()


@dataclass(frozen=True)
class RuleMatch:
    category: str
    start: int
    end: int
    text: str
    entry_id: str
    score: float


@dataclass
class Views:
    """The original text plus one folded view per script, built once per text."""

    text: str
    folded: dict[str, Folded] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folded = {script: fold(self.text, script) for script in SCRIPTS}


_GAP = r"[^\W\d_]{0,8}"  # an inner * : the word may go on for a few letters (Russian endings)


def _term(raw: str | dict) -> Term:
    if isinstance(raw, dict):
        return Term(regex=re.compile(raw["regex"], re.IGNORECASE))
    prefix = raw.endswith("*")
    phrase = raw.rstrip("*")
    pattern = _GAP.join(re.escape(fold_phrase(part)) for part in phrase.split("*"))
    return Term(folded=pattern, script=script_of(phrase), prefix=prefix)


def _spans(term: Term, views: Views) -> list[tuple[int, int]]:
    if term.regex is not None:
        return [m.span() for m in term.regex.finditer(views.text)]
    view = views.folded[term.script]
    spans = []
    for m in re.finditer(term.folded, view.text):
        start, end = view.origin[m.start()], view.origin[m.end() - 1] + 1
        if _starts_word(views.text, start) and (term.prefix or at_word_edges(views.text, start, end)):
            while term.prefix and end < len(views.text) and views.text[end].isalpha():
                end += 1  # report the whole inflected word
            spans.append((start, end))
    return spans


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalpha()


_OPEN_QUOTES = "«\"'“„‘"
_CLOSE_QUOTES = "»\"'”“’"


def quoted(text: str, start: int, end: int) -> bool:
    """A match inside quotation marks is being cited (news, counter-speech), not said."""
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return any(q in before for q in _OPEN_QUOTES) and any(q in after for q in _CLOSE_QUOTES)


def _flat(terms: list) -> list:
    """A requires group with any shared list spliced in (a YAML alias such as ``*armed_group``)."""
    return [t for item in terms for t in (_flat(item) if isinstance(item, list) else [item])]


class Lexicon:
    def __init__(self, data: dict) -> None:
        self.version = int(data["version"])
        self.context_factor = float(data.get("context_factor", 1.0))
        self.model_context_factor = float(data.get("model_context_factor", 1.0))
        self.context_cues = tuple(_term(raw) for raw in data.get("context_cues", []))
        respell = data.get("respell") or {}
        single_words = (p for raw in data["entries"] for p in raw.get("phrases", [])
                        if isinstance(p, str) and p.replace("-", "").isalpha())
        # Key terms the model's readable view restores when misspelt (classifiers/rules/respell.py).
        self.respell_terms = tuple(dict.fromkeys([*respell.get("terms", []), *single_words]))
        self.respell_known = tuple(respell.get("known", []))
        self.entries = tuple(
            Entry(raw["id"], raw["category"], float(raw["weight"]),
                  tuple(_term(p) for p in raw.get("phrases", [])) + tuple(_term({"regex": r}) for r in raw.get("regex", [])),
                  tuple(tuple(_term(t) for t in _flat(group if isinstance(group, list) else [group]))
                        for group in raw.get("requires", [])))
            for raw in data["entries"]
        )

    def reporting_context(self, text: str) -> bool:
        """Whether ``text`` reads as news, research, counter-speech or rebuttal (a context cue occurs)."""
        views = Views(text)
        return any(_spans(cue, views) for cue in self.context_cues)

    def match(self, text: str, readable: Sequence[Folded] = ()) -> list[RuleMatch]:
        """Every entry hit in ``text``, scored; weights are damped in news or counter-speech context.

        ``readable`` views of the text (:func:`classifiers.rules.readable.readable_views`: obfuscation
        undone, misspelt key terms restored) are matched too, each hit reported as the span of ``text``
        it came from; the strongest hit per category and span is kept."""
        found = self._hits(text)
        for view in readable:
            for hit in self._hits(view.text):
                start, end = original_span(view, hit.start, hit.end)
                found.append(replace(hit, start=start, end=end, text=text[start:end]))
        return _strongest(found)

    def _hits(self, text: str) -> list[RuleMatch]:
        views = Views(text)
        factor = self.context_factor if any(_spans(cue, views) for cue in self.context_cues) else 1.0
        found: list[RuleMatch] = []
        for entry in self.entries:
            if not all(any(_spans(t, views) for t in group) for group in entry.requires):
                continue
            for term in entry.terms:
                for start, end in _spans(term, views):
                    damp = factor * (self.context_factor if quoted(text, start, end) else 1.0)
                    found.append(RuleMatch(entry.category, start, end, text[start:end], entry.id,
                                           round(entry.weight * damp, 4)))
        return found


def _strongest(matches: list[RuleMatch]) -> list[RuleMatch]:
    """Drop a match that overlaps a stronger (or equal, earlier) match of the same category."""
    kept: list[RuleMatch] = []
    for m in sorted(matches, key=lambda m: (-m.score, m.start)):
        if not any(k.category == m.category and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.category))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return Lexicon(yaml.safe_load(path.read_text(encoding="utf-8")))


def rule_scores(matches: list[RuleMatch], categories: tuple[str, ...]) -> dict[str, float]:
    """Per category, the strongest matching entry's score (0 when none matched)."""
    scores = dict.fromkeys(categories, 0.0)
    for m in matches:
        scores[m.category] = max(scores[m.category], m.score)
    return scores
