"""The readable view: obfuscation undone with words and spaces kept, clean text left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.rules.readable import original_span, readable_view


@pytest.mark.parametrize(("text", "view"), [
    ("k1ll the m!grants now", "kill the migrants now"),
    ("Kill all j3ws", "Kill all jews"),
    ("they are v3rm1n", "they are vermin"),
    ("a p4r451t3 on us", "a parasite on us"),  # leading and trailing leet of a leet word too
    ("k i l l them", "kill them"),
    ("s.i.e.g heil", "sieg heil"),
    ("Т а д ж и к и вон", "Таджики вон"),
    ("убить в-с-е-х", "убить всех"),
    ("мигрaнты", "мигранты"),  # a Latin "a" inside a Cyrillic word
    ("vеrmіn", "vermin"),  # Cyrillic look-alikes inside a Latin word
    ("a раrаsіtе", "a parasite"),  # mostly Cyrillic letters, but r and s have no Cyrillic look-alike: Latin
    ("like сосkrоасhеs", "like cockroaches"),
    ("как тapakaны", "как тараканы"),  # mostly Latin letters, but т and ы have no Latin look-alike: Cyrillic
    ("м0скали", "москали"),
    ("м1гранты", "мигранты"),  # "1" in a Cyrillic word reads as Russian "и", not Ukrainian "і"
    ("Св\u0069та", "Св\u0456та"),  # a Latin "i" in a Cyrillic word becomes Ukrainian "і", as typed for it
    ("п@р@зиты", "паразиты"),
    ("у$трою", "устрою"),  # a Cyrillic word gets Cyrillic letters back, never Latin ones
    ("zero\u200bwidth", "zerowidth"),
])
def test_obfuscation_is_undone_and_the_words_stay_readable(text, view):
    assert readable_view(text).text == view


@pytest.mark.parametrize("text", [
    "Plain clean text about the council.",
    "The G20 met on the 4th, 20km away, in 2025 at 10am.",
    "COVID-19 and an mp3 file",
    "I am here",
    "Мигранты приехали в Москву в 2024 году.",
    "Kill them all! said the villain in the film.",  # "!" after a word is punctuation
    "@user42 wrote to info@example.org about https://t.co/L4wHO4mbUg and #in4words",
    "<b>казахи</b> и <b>карелы</b>",  # markup is not a word with Latin letters in it
    "A family \U0001F468\u200d\U0001F469\u200d\U0001F467 emoji keeps its joiners",
    "14/88 and 1488 are codes the rules read, not words",
    "",
])
def test_clean_text_has_no_view_so_it_is_scored_once(text):
    assert readable_view(text) is None


def test_evidence_in_the_view_maps_back_to_the_original_span():
    text = "go k i l l them"
    view = readable_view(text)
    start = view.text.index("kill")
    assert original_span(view, start, start + 4) == (3, 10)
    assert text[slice(*original_span(view, start, start + 4))] == "k i l l"


@given(st.text(max_size=200))
def test_any_text_gives_a_view_whose_every_character_has_an_origin(text):
    view = readable_view(text)
    if view is None:
        return
    assert len(view.origin) == len(view.text)
    assert view.origin == sorted(view.origin) and all(0 <= i < len(text) for i in view.origin)
