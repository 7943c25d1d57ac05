"""Derogation of a named group, by construction: the lexicon's ``derogation`` section built into entries.

A list of patterns per group would never end ("Muslims are scum", "all Tajiks are
thieves by nature", "you can't trust Armenians", "fucking migrants"...). The
section instead names the parts, and each frame combines them:

- ``groups``: per category (the category follows the group: a religion is
  ``religious_intolerance``, a people or migrants ``xenophobia``, a race
  ``racism``), the words that name the group, per language and form
  (``plural``, ``one``: singular, ``any``: Russian stems that take every case);
- ``words``: the shared vocabularies (negative attributes, insults, profanity,
  fillers such as "nothing but" or "по природе"), per language; a vocabulary
  written ``{regex: ...}`` is that regex (one free word before the attribute);
- ``frames``: a regex per language with ``{name}`` placeholders, each filled
  with an alternation of a vocabulary (``{group}``, ``{one}`` and ``{any}`` with
  the category's group words, any other name with ``words``).

Each frame yields one entry per category, ``derogation-<frame>-<category>``
(and one more per category named in the frame's ``also``, such as ``incitement``
for a call to violence against the group),
matched on the raw text case-insensitively like every ``regex`` entry (so the
matcher's readable views catch it misspelt or obfuscated, and its context and
quotation damping apply). A frame leaves a statement alone when a negation
comes before the predicate: no filler is a negation, so "Muslims are not
vermin" and "мигранты — не воры" never fit a frame. ``unless_before`` lists the
words that deny or attribute a statement made later in their sentence ("I don't
think X are dangerous", "the claim that X are lazy", "неверно, что X — ...");
a frame's hit after one of them in the same sentence is dropped.

Every frame names the group, so each entry carries an ``anchor`` (its category's
group words): the matcher finds those once per text and runs the frames only
near them (:data:`classifiers.rules.matcher.ANCHOR_REACH`), which keeps their
cost small on the many texts that name no group, and on long ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
GROUP_FORMS = ("group", "one", "any")


def alternation(words: Iterable[str], space: str = r"\s+") -> str:
    """A non-capturing alternation of ``words`` as a trie (each branch starts with a different character, so
    a text position is given up after one comparison, not one per word): a space matches ``space`` (any run
    of spaces), a trailing ``*`` any word ending, and a longer word is tried before its prefix."""
    trie: dict = {}
    for word in dict.fromkeys(words):
        node = trie
        for token in _tokens(word, space):
            node = node.setdefault(token, {})
        node[""] = {}  # a word ends here
    return f"(?:{_trie_regex(trie)})"


def _tokens(word: str, space: str) -> list[str]:
    stem, ending = (word[:-1], [r"\w*"]) if word.endswith("*") else (word, [])
    return [space if ch == " " else re.escape(ch) for ch in " ".join(stem.split())] + ending


def group_alternation(words: Iterable[str]) -> str:
    """A group's names, whose spaces may also be dropped: "Blackpeople are apes" names black people (lexicon
    v19). The other vocabularies keep their spaces."""
    return alternation(words, space=r"\s*")


def _trie_regex(node: dict) -> str:
    branches = [token + _trie_regex(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _vocabulary(items: list[str] | dict) -> str:
    """A vocabulary's regex: the alternation of its words, or its own ``{regex: ...}``."""
    return f"(?:{items['regex']})" if isinstance(items, dict) else alternation(items)


def _fill(pattern: str, vocab: dict[str, str], frame: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) not in vocab:
            raise ValueError(f"derogation frame {frame!r} names {{{m.group(1)}}}, which no vocabulary defines")
        return vocab[m.group(1)]
    return _PLACEHOLDER.sub(one, pattern)


def _words(spec: dict) -> dict[str, dict[str, str]]:
    """Each language's shared vocabularies as regexes."""
    return {lang: {name: _vocabulary(items) for name, items in vocab.items()}
            for lang, vocab in spec.get("words", {}).items()}


def negation_patterns(spec: dict | None) -> list[str]:
    """The section's ``negations`` (per language, regexes with the frames' placeholders) filled with every
    category's group words: a derogation the text denies ("X are not vermin", "мигранты — не тараканы")."""
    if not spec:
        return []
    words = _words(spec)
    out = []
    for lang, patterns in (spec.get("negations") or {}).items():
        forms = {f: [w for names in spec["groups"].values() for w in names.get(lang, {}).get(f, [])]
                 for f in GROUP_FORMS}
        vocab = {**words.get(lang, {}), **{f: group_alternation(ws) for f, ws in forms.items() if ws}}
        out += [_fill(pattern, vocab, f"negations.{lang}") for pattern in patterns]
    return out


def section_languages(spec: dict) -> tuple[str, ...]:
    """The languages the section names groups in, English and Russian first (lexicon v20 added German, French and
    Spanish); a frame's pattern in a language with no group words is never built."""
    named = {lang for names in spec.get("groups", {}).values() for lang in names}
    return tuple(sorted(named, key=lambda lang: (lang not in ("en", "ru"), lang != "en", lang)))


def derogation_entries(spec: dict | None, apart: Iterable[str] = ()) -> list[dict]:
    """The lexicon entries (raw, as in ``entries:``) that ``spec`` (the ``derogation`` section) builds. A
    language of ``apart`` (one of the lexicon's language files) gets entries of its own, with the same ids,
    anchored on its own group words and marked to be read in its texts only (``languages``); its denials count
    in its entries only."""
    if not spec:
        return []
    languages = section_languages(spec)
    apart = tuple(lang for lang in apart if lang in languages)
    shared = tuple(lang for lang in languages if lang not in apart)
    unless = {lang: list(terms) for lang, terms in spec.get("unless_before", {}).items()}
    common = [term for lang, terms in unless.items() if lang not in apart for term in terms]
    entries = _entries(spec, shared, common, None)
    for lang in apart:
        entries += _entries(spec, (lang,), [*common, *unless.get(lang, [])], [lang])
    return entries


def _entries(spec: dict, languages: tuple[str, ...], unless: list[str], only: list[str] | None) -> list[dict]:
    words = _words(spec)
    entries = []
    for frame in spec["frames"]:
        for category, names in spec["groups"].items():
            patterns = []
            for lang in languages:
                pattern = frame.get(lang)
                forms = names.get(lang, {})
                if not pattern or not all(forms.get(f) for f in GROUP_FORMS if "{" + f + "}" in pattern):
                    continue
                vocab = {**words.get(lang, {}), **{f: group_alternation(forms[f]) for f in GROUP_FORMS if forms.get(f)}}
                for one in (pattern if isinstance(pattern, list) else [pattern]):
                    patterns.append(_fill(one, vocab, frame["id"]))
            if not patterns:
                continue
            # every frame names the group, so its matches lie near a hit of the group's words
            anchor = group_alternation(w for lang in languages for f in GROUP_FORMS
                                       for w in names.get(lang, {}).get(f, []))
            for target in (category, *frame.get("also", [])):
                suffix = category if target == category else f"{category}-{target}"
                entries.append({"id": f"derogation-{frame['id']}-{suffix}", "category": target,
                                "weight": frame["weight"], "regex": patterns, "unless_before": unless,
                                "anchor": anchor, **({"languages": only} if only else {})})
    return entries
