"""The labeller on bad input: empty, blank, obfuscated, garbled and 10 MB texts each get a decision, with
scores in [0, 1] and evidence inside the text; look-alike letters and zero-width characters do not hide a
phrase from the rules. Every text is harmless (bakeries, libraries, a school fund)."""

from __future__ import annotations

import json

import pytest

from classifiers.classify_file import classify_file
from classifiers.known.bank import KnownBank
from classifiers.labeller import MAX_MODEL_CHARS, Labeller, to_classification
from classifiers.rules.matcher import load_lexicon
from classifiers.taxonomy import load_taxonomy
from tests.bad_input import read, ten_megabyte_line
from vigil.schemas import CATEGORIES, Classification

TEXTS = {
    "empty": "",
    "blank": read("text/whitespace_only.txt").decode(),
    "look-alikes": read("text/homoglyphs_zero_width.txt").decode(),
    "mojibake": read("text/mojibake.txt").decode(),
    "punctuation": "?!…\n...\n!!!" * 50,
    "one long word": "хлеб" * 500,
}
PLAIN = "The police arrested two men. Please donate to the school library fund via paypal."
# The same sentence with Cyrillic look-alikes and zero-width joiners, spaces and word joiners inside words.
OBFUSCATED = ("The p\u043el\u200bice arr\u0435st\u200ded two men. Please d\u043e\u2060n\u0430te to the school "
              "library fund via paypal.")


def check(decision, text: str) -> None:
    assert set(decision.scores) == set(CATEGORIES) and all(0 <= s <= 1 for s in decision.scores.values())
    assert all(0 <= e.start <= e.end <= len(text) and e.text == text[e.start:e.end] for e in decision.evidence)
    Classification.from_json_bytes(to_classification("0" * 32, decision, "test").to_json_bytes())


@pytest.mark.slow  # the default model on CPU
def test_odd_texts_each_get_a_decision(default_labeller):
    decisions = default_labeller.label_texts(list(TEXTS.values()))
    assert len(decisions) == len(TEXTS)
    for decision, text in zip(decisions, TEXTS.values()):
        check(decision, text)
    empty, blank = decisions[0], decisions[1]
    assert empty.labels == blank.labels == [] and empty.evidence == blank.evidence == []


def test_look_alike_letters_and_zero_width_characters_do_not_hide_a_phrase():
    lexicon = load_lexicon()
    assert lexicon.reporting_context(PLAIN) and lexicon.reporting_context(OBFUSCATED)
    plain, hidden = lexicon.match(PLAIN), lexicon.match(OBFUSCATED)
    assert [(m.entry_id, m.score) for m in plain] == [(m.entry_id, m.score) for m in hidden]
    assert [m.text for m in plain] == ["donate"] and [m.text for m in hidden] == ["d\u043e\u2060n\u0430te"]


@pytest.mark.slow  # about a minute and 1.2 GB on 2 cores: the rules fold all 10 MB twice per script
def test_ten_megabytes_of_text_get_a_decision_from_the_rules_and_the_start_of_it_from_the_model(default_labeller):
    text = ten_megabyte_line()
    [decision] = default_labeller.label_texts([text])
    check(decision, text)
    assert all(e.end <= MAX_MODEL_CHARS for e in decision.evidence if e.layer == "model")


def test_vigil_classify_skips_bad_lines_with_their_number_and_goes_on(tmp_path):
    bank = KnownBank(tmp_path / "bank.jsonl")
    bank.add("known-1", "the river bakery sells rye bread and pretzels on saturdays", ["recruitment"],
             source_document_id="c" * 32)
    labeller = Labeller(None, load_lexicon(), bank, load_taxonomy())
    lines = [json.dumps({"id": 1, "text": "Fresh bread at the river bakery."}),
             read("messages/lone_surrogate.json").decode().replace("\n", " "),  # "text" with \ud800 escapes
             read("messages/truncated.json").decode(), json.dumps({"id": 4, "text": 42}),
             json.dumps({"id": 5, "text": read("text/homoglyphs_zero_width.txt").decode()})]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad: list[tuple[int, str]] = []
    counts = classify_file(labeller, source, out, on_bad=lambda n, why: bad.append((n, why)))
    assert (counts.read, counts.written, counts.bad) == (5, 2, 3)
    assert [n for n, _ in bad] == [2, 3, 4] and "surrogate" in bad[0][1]
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == [1, 5]
