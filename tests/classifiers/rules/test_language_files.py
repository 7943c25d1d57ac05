"""A language's part of the lexicon in its own file (``classifiers/rules/languages/<code>.yaml``, lexicon v21),
merged into ``lexicon.yaml`` at load time."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from classifiers.rules.language_files import LANGUAGES_DIR, LanguageFileError, read_lexicon, with_language
from classifiers.rules.matcher import LEXICON_FILE, Lexicon, load_lexicon

BASE = {
    "version": 1,
    "context_factor": 0.5,
    "context_cues": ["police"],
    "attributed_claims": {"attribution": ["say"], "rejection": ["wrong"]},
    "targets": {"en": ["migrant*"]},
    "entries": [{"id": "slurs-en", "category": "xenophobia", "weight": 0.7, "phrases": ["invaderz"]}],
    "derogation": {
        "groups": {"xenophobia": {"en": {"group": ["migrants"], "one": ["migrant"]}}},
        "words": {"en": {"attribute": ["thieves"], "filler": ["all"]}},
        "negations": {"en": [r"\b{group}\s+are\s+not\s+{attribute}\b"]},
        "unless_before": {"en": ["the myth that"]},
        "frames": [{"id": "is-attribute", "weight": 0.7,
                    "en": r"\b{group}\s+are\s+(?:{filler}\s+)*{attribute}\b"}],
    },
}
ITALIAN = {
    "context_cues": ["polizia"],
    "attributed_claims": {"attribution": ["dire che"], "rejection": ["è falso"]},
    "targets": ["migrant*", "stranier*"],
    "entries": [{"id": "slurs-it", "category": "xenophobia", "weight": 0.7, "regex": [r"(?<!\w)marocchinacci(?!\w)"]}],
    "derogation": {
        "groups": {"xenophobia": {"group": ["migranti", "stranieri"], "one": ["migrante"]}},
        "words": {"attribute": ["ladri", "parassiti"], "filler": ["tutti"]},
        "negations": [r"(?<!\w){group}(?!\w)\s+non\s+sono\s+{attribute}(?!\w)"],
        "unless_before": ["è falso che"],
        "frames": {"is-attribute": r"(?<!\w){group}(?!\w)\s+sono\s+(?:{filler}\s+)*{attribute}(?!\w)"},
        "new_frames": [{"id": "go-home-it", "weight": 0.6, "patterns": [r"(?<!\w){group}\s+a\s+casa\s+loro(?!\w)"]}],
    },
}


def test_a_language_file_adds_its_forms_to_every_section():
    merged = with_language(BASE, ITALIAN, "it")
    assert merged["context_cues"] == ["police"] and merged["language_cues"] == {"it": ["polizia"]}
    assert merged["attributed_claims"] == BASE["attributed_claims"]
    assert merged["language_claims"] == {"it": {"attribution": ["dire che"], "rejection": ["è falso"]}}
    assert merged["language_files"] == ["it"]
    assert merged["targets"] == {"en": ["migrant*"], "it": ["migrant*", "stranier*"]}
    assert [e["id"] for e in merged["entries"]] == ["slurs-en", "slurs-it"]
    section = merged["derogation"]
    assert section["groups"]["xenophobia"]["it"] == {"group": ["migranti", "stranieri"], "one": ["migrante"]}
    assert section["words"]["it"]["attribute"] == ["ladri", "parassiti"]
    assert set(section["negations"]) == set(section["unless_before"]) == {"en", "it"}
    frames = {frame["id"]: frame for frame in section["frames"]}
    assert set(frames["is-attribute"]) == {"id", "weight", "en", "it"}
    assert frames["go-home-it"] == {"id": "go-home-it", "weight": 0.6,
                                    "it": [r"(?<!\w){group}\s+a\s+casa\s+loro(?!\w)"]}
    assert "it" not in BASE["targets"] and len(BASE["entries"]) == 1  # the lexicon read is left as it was


def test_the_merged_forms_match_as_the_shared_file_s_do():
    lexicon = Lexicon(with_language(BASE, ITALIAN, "it"))
    ids = {m.entry_id for m in lexicon.match("I migranti sono tutti ladri.")}
    assert ids == {"derogation-is-attribute-xenophobia"}
    assert {m.entry_id for m in lexicon.match("Stranieri a casa loro!")} == {"derogation-go-home-it-xenophobia"}
    assert not lexicon.match("È falso che i migranti sono tutti ladri.")  # unless_before
    assert lexicon.denials("I migranti non sono ladri.")  # negations, for the model's re-read
    assert lexicon.names_target("Gli stranieri del quartiere")
    assert "it" in lexicon.target_languages
    # a context cue of the file damps a hit in its texts (and where the language is unknown), not in others
    assert lexicon.match("Polizia: i migranti sono tutti ladri, diceva il cartello.", language="it")[0].score == 0.35
    assert lexicon.match("Polizia: migrants are all thieves.")[0].score == 0.35
    assert lexicon.match("Polizia: migrants are all thieves.", language="en")[0].score == 0.7
    assert lexicon.reporting_context("Polizia!", "it") and not lexicon.reporting_context("Polizia!", "en")
    # and so do its claim words
    claim = "Dire che migrants are all thieves è falso."
    assert lexicon.claims(claim, "it") and lexicon.claims(claim) and not lexicon.claims(claim, "en")


@pytest.mark.parametrize(("part", "message"), [
    ({"glossary": []}, "unknown sections"),
    ({"context_cues": ["x"], "language_files": []}, "unknown sections"),
    ({"derogation": {"phrases": []}}, "unknown derogation sections"),
    ({"targets": ["x"]}, "targets has 'en' forms already"),
    ({"entries": [{"id": "slurs-en", "category": "xenophobia", "weight": 0.7}]}, "'slurs-en' is defined already"),
    ({"derogation": {"groups": {"caste": {"any": ["x"]}}}}, "no group category 'caste'"),
    ({"derogation": {"frames": {"is-vermin": "x"}}}, "no derogation frame 'is-vermin'"),
    ({"derogation": {"new_frames": [{"id": "is-attribute", "weight": 0.5, "patterns": "x"}]}}, "defined already"),
    ({"derogation": {"words": {"attribute": ["x"]}}}, "derogation.words has 'en' forms already"),
])
def test_a_language_file_that_does_not_fit_is_refused(part, message):
    with pytest.raises(LanguageFileError, match=message):
        with_language(BASE, part, "en")


def test_the_files_of_a_folder_are_merged_in_name_order(tmp_path: Path):
    (tmp_path / "lexicon.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    languages = tmp_path / "languages"
    languages.mkdir()
    (languages / "it.yaml").write_text(yaml.safe_dump(ITALIAN), encoding="utf-8")
    (languages / "pt.yaml").write_text(yaml.safe_dump({"context_cues": ["polícia"], "targets": ["imigrant*"]}),
                                       encoding="utf-8")
    data = read_lexicon(tmp_path / "lexicon.yaml", languages)
    assert data["language_cues"] == {"it": ["polizia"], "pt": ["polícia"]}
    assert list(data["targets"]) == ["en", "it", "pt"] and data["language_files"] == ["it", "pt"]
    assert read_lexicon(tmp_path / "lexicon.yaml", None)["targets"] == {"en": ["migrant*"]}
    assert read_lexicon(tmp_path / "lexicon.yaml", tmp_path / "none")["targets"] == {"en": ["migrant*"]}


def test_the_packaged_lexicon_merges_its_language_files():
    files = sorted(LANGUAGES_DIR.glob("*.yaml"))
    assert {f.stem for f in files} >= {"it", "pt", "nl", "pl"}
    shared = load_lexicon(LEXICON_FILE, languages=None)
    full = load_lexicon()
    assert full.version == shared.version >= 21
    assert full.target_languages == shared.target_languages | {f.stem for f in files}
    assert len(full.entries) > len(shared.entries)


@pytest.mark.parametrize("path", [LEXICON_FILE, *sorted(LANGUAGES_DIR.glob("*.yaml"))], ids=lambda p: p.name)
def test_no_lexicon_file_gives_a_key_twice(path: Path):
    # YAML keeps the last of two equal keys silently: v20's round 2 first gave `negations` a second `de:` list
    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        twice = {k for k in keys if keys.count(k) > 1}
        assert not twice, f"keys given twice near line {node.start_mark.line + 1}: {sorted(map(str, twice))}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    assert yaml.load(path.read_text(encoding="utf-8"), Loader=Strict)


def test_a_language_file_s_forms_are_read_in_its_own_texts_only():
    lexicon = Lexicon(with_language(BASE, ITALIAN, "it"))
    italian = "I migranti sono tutti ladri. Marocchinacci!"
    assert {m.entry_id for m in lexicon.match(italian, language="it")} == {"derogation-is-attribute-xenophobia",
                                                                          "slurs-it"}
    assert not lexicon.match(italian, language="en")  # the text said to be English: no Italian form is read
    assert len(lexicon.match(italian)) == 2  # no language given: every form
    # the shared file's forms are read whatever the language
    assert lexicon.match("migrants are all thieves", language="it")
    # an Italian frame's entry is its own, anchored on Italian group words, with the shared and Italian denials
    entries = [e for e in lexicon.entries if e.id == "derogation-is-attribute-xenophobia"]
    assert [e.languages for e in entries] == [None, frozenset({"it"})]
    assert entries[1].anchor.search("stranieri") and not entries[1].anchor.search("migrants")
    assert len(entries[0].unless_before) == 1 and len(entries[1].unless_before) == 2


def test_the_shared_file_s_entries_are_the_same_with_or_without_language_files():
    shared = load_lexicon(LEXICON_FILE, languages=None)
    full = load_lexicon()
    assert [e for e in full.entries if e.languages is None] == list(shared.entries)
    assert {lang for e in full.entries if e.languages for lang in e.languages} == {
        f.stem for f in LANGUAGES_DIR.glob("*.yaml")}


def test_a_language_file_is_merged_once():
    with pytest.raises(LanguageFileError, match="merged already"):
        with_language(with_language(BASE, ITALIAN, "it"), {"targets": []}, "it")
