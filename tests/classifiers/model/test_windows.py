from hypothesis import example, given, settings
from hypothesis import strategies as st

from classifiers.model.windows import length_batches, sentence_windows, whole_windows


def test_sentence_windows_overlap_by_one_sentence_and_cover_the_text():
    text = "A b c. D e f. G h i. J k l."
    windows = sentence_windows([text], max_chars=14)
    assert [w.text for w in windows] == ["A b c. D e f.", "D e f. G h i.", "G h i. J k l."]
    for w in windows:
        assert text[w.start:w.end] == w.text


def test_over_long_sentences_are_cut_into_word_chunks():
    text = "word " * 30 + "end."
    windows = sentence_windows([text, "short one"], max_chars=40)
    mine = [w for w in windows if w.owner == 0]
    assert all(len(w.text) <= 40 for w in mine)
    assert " ".join(w.text for w in mine).split() == text.split()
    assert [w.text for w in windows if w.owner == 1] == ["short one"]


def test_empty_text_still_gets_a_window():
    [window] = sentence_windows([""], max_chars=50)
    assert window.owner == 0 and window.text == ""
    assert [w.text for w in whole_windows(["x y", ""])] == ["x y", ""]


def test_length_batches_group_similar_lengths():
    batches = list(length_batches([5, 100, 7, 98, 6, 99], batch_size=3))
    assert batches == [[1, 5, 3], [2, 4, 0]]


# Properties, on any texts: every window lies inside its own text, no window is longer than asked when
# the text has words, and together the windows cover every character but white space and the
# sentence ends between sentences.
SENTENCE_ENDS = ".!?…"
texts = st.lists(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" .!?…\n»\"")), max_size=5)


@settings(max_examples=200, deadline=None)
@given(texts=texts, max_chars=st.integers(1, 60))
@example(texts=["x" * 100 + " y."], max_chars=20)  # one word longer than a window
def test_windows_lie_inside_their_text_and_cover_it(texts, max_chars):
    windows = sentence_windows(texts, max_chars)
    assert [w.owner for w in windows] == sorted(w.owner for w in windows)
    assert {w.owner for w in windows} == set(range(len(texts)))
    for w in windows:
        text = texts[w.owner]
        assert 0 <= w.start <= w.end <= len(text) and w.text == text[w.start:w.end]
        assert len(w.text) <= max_chars or all(ch.isspace() or ch in SENTENCE_ENDS for ch in text)
    for owner, text in enumerate(texts):
        covered = set()
        for w in windows:
            if w.owner == owner:
                covered.update(range(w.start, w.end))
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace() and ch not in SENTENCE_ENDS)


@settings(max_examples=100, deadline=None)
@given(lengths=st.lists(st.integers(0, 1000)), batch_size=st.integers(1, 8))
def test_length_batches_hold_every_index_once(lengths, batch_size):
    batches = list(length_batches(lengths, batch_size))
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert all(0 < len(batch) <= batch_size for batch in batches)
