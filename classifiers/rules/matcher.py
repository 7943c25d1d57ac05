"""Find lexicon entries in a text and report each as a scored span of the original text."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from classifiers.rules.derogation import derogation_entries, negation_patterns
from classifiers.rules.fold import SCRIPTS, Folded, at_word_edges, fold, fold_phrase, script_of
from classifiers.rules.language_files import LANGUAGES_DIR, read_lexicon
from classifiers.rules.readable import original_span
from classifiers.rules.targets import Targets

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class Term:
    """A folded phrase (``prefix``: may continue with more letters) or a raw-text regex."""

    folded: str = ""  # a regex over the folded view
    script: str = "latin"
    prefix: bool = False
    regex: re.Pattern[str] | None = None
    # ``folded`` compiled once: the lexicon holds more phrases than ``re``'s cache of 512 patterns, and a phrase
    # compiled anew at each text made matching eight times slower once it grew past that (lexicon v18)
    compiled: re.Pattern[str] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Entry:
    id: str
    category: str
    weight: float
    terms: tuple[Term, ...]
    requires: tuple[tuple[Term, ...], ...] = ()
    # A hit is dropped when one of these occurs before it in its sentence ("I don't think X are...",
    # "the claim that X are...", "неверно, что X — ..."): the statement is denied or attributed, not made.
    unless_before: tuple[Term, ...] = ()
    # Where the entry's regex terms can match at all: every match holds a hit of ``anchor`` (a group's name), so
    # they are only run within ANCHOR_REACH characters of one. None: everywhere.
    anchor: re.Pattern[str] | None = None
    # The languages whose texts the entry is read in (a language file's: lexicon v21); None: every text.
    languages: frozenset[str] | None = None


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
    return Term(folded=pattern, script=script_of(phrase), prefix=prefix, compiled=re.compile(pattern))


# Characters before and after an anchor's hit that an anchored entry's match may reach.
ANCHOR_REACH = (200, 300)


def anchor_windows(anchor: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` within :data:`ANCHOR_REACH` of a hit of ``anchor``, overlapping ones merged."""
    windows: list[tuple[int, int]] = []
    for m in anchor.finditer(text):
        start, end = max(0, m.start() - ANCHOR_REACH[0]), min(len(text), m.end() + ANCHOR_REACH[1])
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _spans(term: Term, views: Views, windows: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    if term.regex is not None:
        if windows is None:
            return [m.span() for m in term.regex.finditer(views.text)]
        # pos/endpos keep offsets and lookbehinds on the whole text
        return [m.span() for pos, endpos in windows for m in term.regex.finditer(views.text, pos, endpos)]
    view = views.folded[term.script]
    spans = []
    for m in term.compiled.finditer(view.text):
        start, end = view.origin[m.start()], view.origin[m.end() - 1] + 1
        if _starts_word(views.text, start) and (term.prefix or at_word_edges(views.text, start, end)):
            while term.prefix and end < len(views.text) and views.text[end].isalpha():
                end += 1  # report the whole inflected word
            spans.append((start, end))
    return spans


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalpha()


# „ closes with “ in German and Russian, with ” in Polish, Romanian and Hungarian (lexicon v21; the model's reading
# of quotations, classifiers/model/quotes.py, pairs it with either already)
_PAIRED_QUOTES = {"«": ("»",), "“": ("”",), "„": ("“", "”"), "‘": ("’",)}
_SENTENCE_END = ".!?;\n"
QUOTE_REACH = 300  # characters either side of a match searched for its quotation marks


def quoted(text: str, start: int, end: int) -> bool:
    """A match inside quotation marks is being cited (news, counter-speech), not said: a typographic
    quote opened before it and not closed until after it, or an odd number of straight double quotes
    before it on its line with one after it; straight single quotes right at the match, or opened after a space
    before it on its line and closed before a space or a punctuation mark after it."""
    before, after = text[max(0, start - QUOTE_REACH):start], text[end:end + QUOTE_REACH]
    for open_, closes in _PAIRED_QUOTES.items():
        opened = before.rfind(open_)
        if opened >= 0 and not any(c in before[opened + 1:] for c in closes) and any(c in after for c in closes):
            return True
    line = before[before.rfind("\n") + 1:]
    if line.count('"') % 2 == 1 and '"' in after.split("\n", 1)[0]:
        return True
    if text[max(0, start - 1):start] == "'" and text[end:end + 1] == "'":
        return True
    # Since lexicon v18, also a straight single quote opened after a space on the match's line and closed after it
    # before a space or a punctuation mark ("When you say 'all X are terrorists', you ..."). An apostrophe
    # ("don't", "X's", "students' union") opens nothing: it has a letter on its left.
    line_start = start - len(line)
    opened = [m.end() for m in _SINGLE_OPEN.finditer(text, line_start, start + 1)]
    if not opened or _SINGLE_CLOSE.search(text, opened[-1], start):
        return False
    line_end = text.find("\n", end)
    return bool(_SINGLE_CLOSE.search(text, end, len(text) if line_end < 0 else line_end))


_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))'(?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\W_])'(?=[\s.,;:!?)\]]|$)")


SENTENCE_REACH = 1000  # a sentence is looked for this far back at most


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding ``text[at]`` starts: after the last ., !, ?, ; or line break before it, at
    most :data:`SENTENCE_REACH` characters back."""
    floor = max(0, at - SENTENCE_REACH)
    return max(floor - 1, *(text.rfind(mark, floor, at) for mark in _SENTENCE_END)) + 1


def sentence_end(text: str, at: int) -> int:
    """Where the sentence holding ``text[at]`` ends: at the first ., !, ?, ; or line break from ``at`` on, at
    most :data:`SENTENCE_REACH` characters on (the end of the text when none)."""
    ceiling = min(len(text), at + SENTENCE_REACH)
    return min([ceiling, *(i for i in (text.find(mark, at, ceiling) for mark in _SENTENCE_END) if i >= 0)])


# A rejection that is itself denied ("it's not racist", "nothing wrong with", "это не ложь") rejects nothing.
_DENIED = re.compile(r"(?:\b(?:not|never|no|nothing|hardly)|n't|(?<!\w)(?:не|нет|ничего))\s+(?:\w+\s+)?$",
                     re.IGNORECASE)


def attributed(text: str, start: int, end: int, attributions: Sequence[tuple[int, int]],
               rejections: Sequence[int]) -> bool:
    """Whether the hit ``text[start:end]`` is a claim the text attributes and rejects, so cited, not made: an
    attribution (a span of ``attributions``: "saying", "the claim", "if you think", "говорят, что") before it in
    its sentence, and a rejection (a start in ``rejections``: "is wrong", "a stereotype", "неправда") after it
    in its sentence or the next. "Saying migrants are criminals is just wrong", "You keep saying X are apes.
    That is racism", "Говорить, что мигранты — преступники, неправильно"; but not "They say X are thieves, and
    they are right", nor "People say X are criminals. It's not racist, it's the truth"."""
    begin = sentence_start(text, start)
    if not any(begin <= a_start and a_end <= start for a_start, a_end in attributions):
        return False
    stop = sentence_end(text, sentence_end(text, end) + 1)
    return any(end <= r < stop for r in rejections)


def claim_spans(text: str, attributions: Sequence[tuple[int, int]], rejections: Sequence[int],
                min_words: int = 3) -> list[tuple[int, int]]:
    """The claims ``text`` attributes and rejects, for a reader that cannot point at a hit (the model): from
    each attribution to the first rejection after it in its sentence or the next, ending at its own
    sentence's end at the latest; at least ``min_words`` words (overlapping ones are left for the reader to
    merge: :func:`classifiers.model.quotes.cited`). A claim never runs past its rejection, so hate the text
    goes on to state ("They say X are peaceful, that's a lie: X are savages") stays outside."""
    spans: list[tuple[int, int]] = []
    for _, a_end in sorted(attributions):
        own = sentence_end(text, a_end)
        stop = sentence_end(text, own + 1)
        rejection = next((r for r in rejections if a_end < r < stop), None)
        if rejection is None:
            continue
        end = min(rejection, own)
        if len(text[a_end:end].split()) >= min_words:
            spans.append((a_end, end))
    return spans


def _flat(terms: list) -> list:
    """A phrase list or requires group with any shared list spliced in (a YAML alias such as ``*armed_group``)."""
    return [t for item in terms for t in (_flat(item) if isinstance(item, list) else [item])]


class Lexicon:
    def __init__(self, data: dict) -> None:
        self.version = int(data["version"])
        self.context_factor = float(data.get("context_factor", 1.0))
        self.model_context_factor = float(data.get("model_context_factor", 1.0))
        self.context_cues = tuple(_term(raw) for raw in data.get("context_cues", []))
        claims = data.get("attributed_claims") or {}
        self.attributions = tuple(_term(raw) for raw in claims.get("attribution", []))
        self.rejections = tuple(_term(raw) for raw in claims.get("rejection", []))
        # a language file's cues and claims, read in its texts only (classifiers/rules/language_files.py)
        self.language_cues = {lang: tuple(_term(raw) for raw in cues)
                              for lang, cues in (data.get("language_cues") or {}).items()}
        own_claims = data.get("language_claims") or {}
        self.language_attributions = {lang: tuple(_term(raw) for raw in c.get("attribution", []))
                                      for lang, c in own_claims.items()}
        self.language_rejections = {lang: tuple(_term(raw) for raw in c.get("rejection", []))
                                    for lang, c in own_claims.items()}
        respell = data.get("respell") or {}
        # An entry marked ``respell: false`` names everyday words (messengers, "privately") that no misspelling
        # should be restored to.
        single_words = (p for raw in data["entries"] if raw.get("respell", True) for p in _flat(raw.get("phrases", []))
                        if isinstance(p, str) and p.replace("-", "").isalpha())
        # Key terms the model's readable view restores when misspelt (classifiers/rules/respell.py).
        self.respell_terms = tuple(dict.fromkeys([*respell.get("terms", []), *single_words]))
        self.respell_known = tuple(respell.get("known", []))
        # Derogations the text denies ("X are not vermin"), for the model's re-read without them (denials())
        self.negations = tuple(re.compile(p, re.IGNORECASE) for p in negation_patterns(data.get("derogation")))
        # The categories that are hate of a group, and the words that name one (names_target(), since lexicon v19)
        groups = (data.get("derogation") or {}).get("groups") or {}
        self.group_categories = frozenset(groups)
        names = [w for spec in groups.values() for forms in spec.values() for words in forms.values() for w in words]
        names += [w for words in (data.get("targets") or {}).values() for w in words]
        names += [p for raw in data["entries"] if raw["category"] in self.group_categories
                  for p in _flat(raw.get("phrases", [])) if isinstance(p, str)]  # slurs
        self.targets = Targets.build(names)
        # the languages the targets are listed in: elsewhere no absence of a group name can be told
        self.target_languages = frozenset((data.get("targets") or {}).keys())
        raws = [*data["entries"], *derogation_entries(data.get("derogation"), data.get("language_files", ()))]
        self.entries = tuple(
            Entry(raw["id"], raw["category"], float(raw["weight"]),
                  tuple(_term(p) for p in _flat(raw.get("phrases", [])))
                  + tuple(_term({"regex": r}) for r in raw.get("regex", [])),
                  tuple(tuple(_term(t) for t in _flat(group if isinstance(group, list) else [group]))
                        for group in raw.get("requires", [])),
                  tuple(_term(t) for t in _flat(raw.get("unless_before", []))),
                  re.compile(raw["anchor"], re.IGNORECASE) if raw.get("anchor") else None,
                  frozenset(raw["languages"]) if raw.get("languages") else None)
            for raw in raws
        )
        self._by_language: dict[str, tuple[Entry, ...]] = {}

    def reporting_context(self, text: str, language: str | None = None) -> bool:
        """Whether ``text`` (in ``language``, when known) reads as news, research, counter-speech or rebuttal (a
        context cue occurs)."""
        views = Views(text)
        return any(_spans(cue, views) for cue in self._cues(language))

    def _cues(self, language: str | None) -> tuple[Term, ...]:
        """The context cues read in a text of ``language`` (None: unknown, every language file's too)."""
        return self.context_cues + _of_language(self.language_cues, language)

    def match(self, text: str, readable: Sequence[Folded] = (), language: str | None = None) -> list[RuleMatch]:
        """Every entry hit in ``text``, scored; weights are damped in news or counter-speech context.

        ``readable`` views of the text (:func:`classifiers.rules.readable.readable_views`: obfuscation
        undone, misspelt key terms restored) are matched too, each hit reported as the span of ``text``
        it came from; the strongest hit per category and span is kept. ``language`` (the text's, when known)
        leaves out the entries of other languages' files (:mod:`classifiers.rules.language_files`)."""
        entries = self.entries if language is None else self._for_language(language)
        found = self._hits(text, entries, language)
        for view in readable:
            for hit in self._hits(view.text, entries, language):
                start, end = original_span(view, hit.start, hit.end)
                found.append(replace(hit, start=start, end=end, text=text[start:end]))
        return _strongest(found)

    def names_target(self, text: str, readable: Sequence[Folded] = (), found: Sequence[RuleMatch] = ()) -> bool:
        """Whether ``text`` names a people, a faith, a race, a nationality or migrants: a group name of the
        ``derogation`` section or a word of the ``targets`` section in the text or one of its ``readable`` views,
        or a rule hit (``found``, as :meth:`match` gives them) of a group category, such as a slur. Xenophobia,
        racism and religious intolerance need one (:mod:`classifiers.model.targets`)."""
        if any(m.category in self.group_categories for m in found):
            return True
        if self.targets is None:
            return True  # a lexicon without groups cannot tell
        return any(self.targets.named(t) for t in (text, *(view.text for view in readable)))

    def claims(self, text: str, language: str | None = None) -> list[tuple[int, int]]:
        """The spans of the claims ``text`` (in ``language``, when known) attributes and rejects
        (:func:`claim_spans`)."""
        return claim_spans(text, *self._claim_marks(Views(text), language))

    def denials(self, text: str) -> list[tuple[int, int]]:
        """The spans of the derogations ``text`` denies (the ``derogation`` section's ``negations``, since lexicon
        v18: "X are not vermin", "цыгане не воры")."""
        return sorted(m.span() for pattern in self.negations for m in pattern.finditer(text))

    def _claim_marks(self, views: Views, language: str | None) -> tuple[list[tuple[int, int]], list[int]]:
        """The attributions' spans, and where the rejections that are not themselves denied start."""
        attributions = sorted(span for term in self.attributions + _of_language(self.language_attributions, language)
                              for span in _spans(term, views))
        if not attributions:
            return [], []
        text = views.text
        rejections = self.rejections + _of_language(self.language_rejections, language)
        return attributions, sorted(start for term in rejections for start, _ in _spans(term, views)
                                    if not _DENIED.search(text[max(0, start - 24):start]))

    def _for_language(self, language: str) -> tuple[Entry, ...]:
        if language not in self._by_language:
            self._by_language[language] = tuple(e for e in self.entries
                                                if e.languages is None or language in e.languages)
        return self._by_language[language]

    def _hits(self, text: str, entries: Sequence[Entry], language: str | None) -> list[RuleMatch]:
        views = Views(text)
        factor = self.context_factor if any(_spans(cue, views) for cue in self._cues(language)) else 1.0
        found: list[RuleMatch] = []
        windows: dict[str, list[tuple[int, int]]] = {}  # per anchor pattern, computed once per text
        denials: dict[tuple[Term, ...], list[tuple[int, int]]] = {}  # per unless_before list, likewise
        claims: list = []  # the attributions' spans and the rejections' starts, found at the first hit
        for entry in entries:
            if not all(any(_spans(t, views) for t in group) for group in entry.requires):
                continue
            where = None
            if entry.anchor is not None:
                if entry.anchor.pattern not in windows:
                    windows[entry.anchor.pattern] = anchor_windows(entry.anchor, text)
                where = windows[entry.anchor.pattern]
                if not where:
                    continue
            for term in entry.terms:
                for start, end in _spans(term, views, where if term.regex is not None else None):
                    if entry.unless_before:
                        if entry.unless_before not in denials:
                            denials[entry.unless_before] = sorted(
                                span for term in entry.unless_before for span in _spans(term, views))
                        if _denied(denials[entry.unless_before], views.text, start):
                            continue
                    if not claims:
                        claims += self._claim_marks(views, language)
                    cited = quoted(text, start, end) or attributed(text, start, end, *claims)
                    damp = factor * (self.context_factor if cited else 1.0)
                    found.append(RuleMatch(entry.category, start, end, text[start:end], entry.id,
                                           round(entry.weight * damp, 4)))
        return found


def _of_language(per_language: dict[str, tuple], language: str | None) -> tuple:
    """What a language file gives a text of ``language``: its own, or every file's when the language is unknown."""
    if language is None:
        return tuple(item for items in per_language.values() for item in items)
    return per_language.get(language, ())


def _denied(denials: list[tuple[int, int]], text: str, start: int) -> bool:
    """Whether one of ``denials`` (sorted spans of an entry's ``unless_before``) lies in the sentence before
    ``start``."""
    begin = sentence_start(text, start)
    return any(e <= start for _, e in denials[bisect_left(denials, (begin, -1)):bisect_left(denials, (start, -1))])


def _strongest(matches: list[RuleMatch]) -> list[RuleMatch]:
    """Drop a match that overlaps a stronger (or equal, earlier) match of the same category."""
    kept: list[RuleMatch] = []
    spans: dict[str, list[tuple[int, int]]] = {}  # per category, the kept spans in order (they never overlap)
    for m in sorted(matches, key=lambda m: (-m.score, m.start)):
        taken = spans.setdefault(m.category, [])
        at = bisect_left(taken, (m.start, m.end))
        if (at > 0 and taken[at - 1][1] > m.start) or (at < len(taken) and taken[at][0] < m.end):
            continue
        taken.insert(at, (m.start, m.end))
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.category))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE, languages: Path | None = LANGUAGES_DIR) -> Lexicon:
    """The lexicon at ``path`` with the language files under ``languages`` merged in (none when None)."""
    return Lexicon(read_lexicon(path, languages))


def rule_scores(matches: list[RuleMatch], categories: tuple[str, ...]) -> dict[str, float]:
    """Per category, the strongest matching entry's score (0 when none matched)."""
    scores = dict.fromkeys(categories, 0.0)
    for m in matches:
        scores[m.category] = max(scores[m.category], m.score)
    return scores
