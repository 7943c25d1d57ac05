from classifiers.rules.fold import at_word_edges, fold, fold_phrase, script_of


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
