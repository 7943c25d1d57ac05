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
