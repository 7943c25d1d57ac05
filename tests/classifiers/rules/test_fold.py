from hypothesis import example, given, settings
from hypothesis import strategies as st

from classifiers.rules.fold import (
    CYRILLIC_TO_LATIN,
    SCRIPTS,
    at_word_edges,
    fold,
    fold_phrase,
    script_of,
)


def test_leetspeak_separators_and_case_fold_to_one_form():
    assert fold("S.1-e G  h3!l", "latin").text == "siegheil"  # '!' reads as i
    assert fold_phrase("sieg heil") == "siegheil"
    assert fold("h3il", "latin").text == fold("HEIL", "latin").text


def test_cyrillic_look_alikes_fold_to_latin_and_back():
    mixed = "ѕіеg hеіl"  # Cyrillic s, i, e mixed into Latin words
    assert fold(mixed, "latin").text == "siegheil"
    assert fold("Pоссия", "cyrillic").text == "россия"  # Latin P in a Russian word


def test_offsets_point_into_the_original_text():
    text = "say s-i-e-g now"
    folded = fold(text, "latin")
    start = folded.text.index("sieg")
    assert text[folded.origin[start]: folded.origin[start + 3] + 1] == "s-i-e-g"


def test_script_and_word_edges():
    assert script_of("зиг хайль") == "cyrillic" and script_of("zog") == "latin"
    assert at_word_edges("a zog b", 2, 5)
    assert not at_word_edges("zogs", 0, 3)


# Properties, on any text: folding never raises, keeps letters only, is idempotent, and every folded
# letter points back at the character it came from; zero-width characters and look-alike letters
# change nothing.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
LOOK_ALIKES = {latin: cyrillic for cyrillic, latin in CYRILLIC_TO_LATIN.items() if latin.isascii()}


@settings(max_examples=200, deadline=None)
@given(text=st.text(), script=st.sampled_from(SCRIPTS))
@example(text="Pass\u2122 \u0130 \u2162", script="cyrillic")  # compatibility forms of several letters
def test_folding_any_text_keeps_letters_that_point_back_at_their_origin(text, script):
    folded = fold(text, script)
    assert len(folded.origin) == len(folded.text)
    assert all(ch.isalpha() for ch in folded.text)
    assert folded.origin == sorted(folded.origin) and all(0 <= i < len(text) for i in folded.origin)
    for i in set(folded.origin):
        assert "".join(c for c, o in zip(folded.text, folded.origin) if o == i) == fold(text[i], script).text
    assert fold(folded.text, script).text == folded.text  # idempotent


@settings(max_examples=150, deadline=None)
@given(text=st.text(), script=st.sampled_from(SCRIPTS), data=st.data())
def test_zero_width_characters_change_nothing(text, script, data):
    spots = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(ZERO_WIDTH)), max_size=10))
    hidden = text
    for at, ch in sorted(spots, reverse=True):
        hidden = hidden[:at] + ch + hidden[at:]
    assert fold(hidden, script).text == fold(text, script).text


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,-", max_size=80), data=st.data())
def test_cyrillic_look_alikes_fold_like_the_latin_letters(text, data):
    swap = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    mixed = "".join(LOOK_ALIKES.get(ch, ch) if s else ch for ch, s in zip(text, swap))
    assert fold(mixed, "latin").text == fold(text, "latin").text


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=50), data=st.data())
def test_word_edges_of_any_span(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert at_word_edges(text, start, end) in (True, False)
