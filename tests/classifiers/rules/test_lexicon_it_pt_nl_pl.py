"""Lexicon v21: Italian, Portuguese, Dutch and Polish, each in its language file (classifiers/rules/languages/).
The sentences (``sentences/<code>.txt``) were written for these tests, apart from the probe sets, by the files'
authors: a line starting with ``+`` must get a rule label, one with ``-`` must not (denials, news, history,
research, counter-speech, neutral and positive mentions, everyday senses of the words, profanity at no group)."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers.labeller import default_speller
from classifiers.rules.matcher import Lexicon, load_lexicon
from classifiers.rules.readable import readable_views

SENTENCES = Path(__file__).with_name("sentences")
LANGUAGES = ("it", "pt", "nl", "pl")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _labelled(lexicon: Lexicon, text: str, language: str | None) -> bool:
    views = readable_views(text, default_speller(lexicon))
    return any(m.score >= 0.5 for m in lexicon.match(text, views, language))


def _cases(language: str) -> list[tuple[bool, str]]:
    lines = (SENTENCES / f"{language}.txt").read_text(encoding="utf-8").splitlines()
    return [(line[0] == "+", line[1:].strip()) for line in lines if line[:1] in ("+", "-")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_s_sentences_are_labelled_as_written(lexicon, language):
    cases = _cases(language)
    assert sum(hateful for hateful, _ in cases) >= 100 and sum(not hateful for hateful, _ in cases) >= 100
    wrong = [("missed " if hateful else "labelled ") + text for hateful, text in cases
             if _labelled(lexicon, text, language) != hateful]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_s_forms_are_not_read_in_an_english_text(lexicon, language):
    hateful = [text for is_hate, text in _cases(language) if is_hate][:40]
    # the shared file's forms and the other files' are read, this file's are not: most lines fall silent
    assert sum(_labelled(lexicon, text, "en") for text in hateful) < sum(
        _labelled(lexicon, text, language) for text in hateful) / 2


def test_their_group_words_are_no_english_words(lexicon):
    for text in ("I bought a pool table", "the stranger at the door",
                 "read-only memory (ROM)", "she plays polo", "a sad story", "Mit freundlichen Grüßen",
                 "revisionist history", "secessionists in the south"):
        assert not lexicon.names_target(text), text
