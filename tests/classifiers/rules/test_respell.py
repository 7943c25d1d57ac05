"""Respelling: misspelt and run-together key terms restored, real words and clean text left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.rules.fold import Folded
from classifiers.rules.readable import original_span, readable_view
from classifiers.rules.respell import Speller, misspellings

SMALL = Speller.build(
    terms=["vermin", "parasites", "hate", "muslims", "migrants", "тараканы", "паразиты", "мигранты"],
    known=["they", "them", "are", "and", "should", "be", "i", "a", "the", "hat", "heat", "all", "on", "us", "ate",
           "verminous"],
)


def view_of(text: str, speller: Speller = SMALL) -> str | None:
    view = speller.respell(Folded(text, list(range(len(text)))))
    return view.text if view else None


def test_misspellings_are_one_swap_or_one_dropped_letter() -> None:
    found = misspellings("hate")
    assert {"ahte", "htae", "haet", "hte", "hae", "hat"} <= found
    assert "ate" not in found  # the first letter is never dropped
    assert "hate" not in found


@pytest.mark.parametrize(("text", "expected"), [
    ("they are vermni", "they are vermin"),  # swapped
    ("they are vermn", "they are vermin"),  # dropped
    ("I haet Muslmis", "I hate Muslims"),  # the group name too, capital kept
    ("PARSITES", "PARASITES"),
    ("they areverminand should", "they are vermin and should"),  # run together
    ("IhateMuslims", "I hate Muslims"),
    ("thevermin", "the vermin"),
    ("#hatethem", "#hate them"),  # a four-letter key term is split out of a hashtag only
    ("таракны везде", "тараканы везде"),  # Cyrillic, a term long enough without a vocabulary
    ("паразтиы", "паразиты"),
])
def test_key_terms_are_restored(text: str, expected: str) -> None:
    assert view_of(text) == expected


@pytest.mark.parametrize("text", [
    "I ate a hat in the heat",  # real words one letter from "hate" stay
    "verminous",  # a known word containing a term is not split
    "они мигранты",  # nothing misspelt
    "мигранту",  # not one swap or drop away: an inflection, left alone
    "Pythonic refactoring",  # unknown words with no key term in them
    "ahate",  # under six letters: not split
    "hatethem",  # a four-letter key term outside a hashtag
])
def test_real_words_and_other_text_are_left_alone(text: str) -> None:
    assert view_of(text) is None


def test_a_misspelling_of_two_terms_is_left_alone() -> None:
    speller = Speller.build(["pigs", "pits"], known=["the"])
    assert speller.correct("pis") is None  # "pigs" or "pits": ambiguous
    assert speller.correct("pgis") == "pigs"


def test_short_terms_need_a_vocabulary() -> None:
    unguarded = Speller.build(["hate"])
    assert unguarded.correct("haet") is None  # no vocabulary to tell "hat" from "hate": not respelt
    assert SMALL.correct("haet") == "hate"


def test_evidence_in_a_respelt_view_maps_back_to_the_original() -> None:
    text = "they areverminand should"
    view = SMALL.respell(Folded(text, list(range(len(text)))))
    start = view.text.index("vermin")
    assert text[slice(*original_span(view, start, start + len("vermin")))] == "vermin"
    assert len(view.origin) == len(view.text)


def test_the_readable_view_respells_after_undoing_leetspeak() -> None:
    assert readable_view("they are v3rmni", SMALL).text == "they are vermin"
    assert readable_view("they are vermni", SMALL).text == "they are vermin"
    assert readable_view("they are vermni") is None  # without a speller, as before
    assert readable_view("they are vermin", SMALL) is None  # clean text is scored once


def test_the_default_speller_knows_english_and_the_lexicon() -> None:
    from classifiers.labeller import default_speller
    from classifiers.rules.matcher import load_lexicon

    speller = default_speller(load_lexicon())
    assert {"vermin", "muslims", "tajiks", "паразиты"} <= speller.terms
    assert "vermni" not in speller.known and "house" in speller.known
    assert view_of("Tajiks are vermni", speller) == "Tajiks are vermin"
    assert view_of("#deportthemnow", speller) == "#deport them now"
    assert view_of("они настоящиепаразиты", speller) == "они настоящие паразиты"
    for text in ("The weather is lovely and the house is warm",
                 "@RomainCaillet https://example.org/RomainCaillet/1",  # names stay as written
                 "self-deporting hatemonger expeled unhateable",  # a key term inside a longer word
                 "Украины и Узбекистана, христианство",  # one letter from a group's name, or containing one
                 ):
        assert view_of(text, speller) is None, text


@given(st.text(max_size=200))
def test_respelling_keeps_an_origin_per_character(text: str) -> None:
    view = SMALL.respell(Folded(text, list(range(len(text)))))
    if view is not None:
        assert len(view.origin) == len(view.text)
        assert all(0 <= i < len(text) for i in view.origin)
        assert view.origin == sorted(view.origin)
