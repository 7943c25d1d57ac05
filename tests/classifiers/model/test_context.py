from classifiers.model.context import context_windows
from classifiers.model.windows import sentence_windows

TEXT = ("Police opened an inquiry on Monday. A post read: they should all be driven out. "
        "Officials condemned the post and called it hateful.")


def test_without_context_the_windows_are_the_sentence_windows():
    plain = sentence_windows([TEXT], 40)
    framed = context_windows([TEXT], 40, 0)
    assert [c.window for c in framed] == plain
    assert [c.text for c in framed] == [w.text for w in plain]


def test_each_window_reads_its_neighbours_but_keeps_its_own_span_as_evidence():
    framed = context_windows([TEXT], 40, 60)
    middle = next(c for c in framed if "post read" in c.window.text)
    assert "Police" in middle.text or "inquiry" in middle.text
    assert "condemned" in middle.text
    assert middle.window.text in middle.text
    assert TEXT[middle.window.start:middle.window.end] == middle.window.text
    # context is cut on word boundaries and never exceeds the budget on either side
    left = middle.text.index(middle.window.text)
    assert left <= 60 and len(middle.text) - left - len(middle.window.text) <= 60
    assert middle.text == middle.text.strip()


def test_windows_of_several_texts_keep_their_owner():
    framed = context_windows(["One. Two.", "", TEXT], 40, 30)
    assert {c.window.owner for c in framed} == {0, 1, 2}
    assert all(c.window.owner != 0 or "Police" not in c.text for c in framed)
