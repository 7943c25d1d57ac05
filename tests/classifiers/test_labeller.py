"""The shipped default model through the classify stage: runs without ../shared and without network."""

from classifiers.labeller import classify_document, classify_documents
from classifiers.known.bank import KnownBank
from vigil.schemas import CATEGORIES, Classification, Document


def _doc(text: str, post: str, language: str | None = None) -> Document:
    return Document.build(url="https://forum.example.org/t/1", post_id=post, text=text, source_id="forum-example",
                          source_kind="forum", language=language)


def test_a_document_becomes_a_valid_classification(default_labeller):
    doc = _doc("S1eg H3il, brothers! 14/88", "p1")
    result = classify_document(default_labeller, doc)
    assert isinstance(result, Classification) and result.document_id == doc.id
    assert set(result.scores) == set(CATEGORIES)
    assert "neo_nazism" in result.labels and result.needs_review
    spans = [e for e in result.evidence if e.layer == "rules"]
    assert {doc.text[e.start:e.end] for e in spans} == {"S1eg H3il", "14/88"}
    Classification.from_json_bytes(result.to_json_bytes())  # survives the bus


def test_neutral_mentions_are_not_flagged(default_labeller):
    docs = [_doc("Muslims and Jews in our city held a joint charity dinner.", "p2"),
            _doc("Мигранты из Таджикистана открыли на нашей улице пекарню.", "p3")]
    for result in classify_documents(default_labeller, docs):
        assert result.labels == [] and result.in_coverage and not result.needs_review


def test_uncovered_languages_are_routed_to_review_not_scored_low(default_labeller):
    result = classify_document(default_labeller, _doc("Ман ба мактаб меравам, ҷавонон дар боғ бозӣ мекунанд.", "p4"))
    assert result.language == "tg" and not result.in_coverage and result.needs_review
    given = classify_document(default_labeller, _doc("Guten Morgen, wie geht es dir heute?", "p5", language="de"))
    assert given.language == "de" and not given.in_coverage


def test_a_known_repost_is_labelled_with_a_pointer(default_labeller, tmp_path):
    original = ("Leave your family tonight, the brigade pays for the ticket and the rifle, "
                "the emir will meet every young man at the border crossing")
    bank = KnownBank(tmp_path / "bank.jsonl")
    bank.add("known-7", original, ["recruitment"], source_document_id="c" * 32)
    labeller = type(default_labeller)(default_labeller.model, default_labeller.lexicon, bank, default_labeller.taxonomy)
    result = classify_document(labeller, _doc("FWD: " + original + " !!", "p6"))
    known = [e for e in result.evidence if e.layer == "known"]
    assert "recruitment" in result.labels and known[0].known_item_id == "known-7" and known[0].similarity >= 0.6


def test_the_model_is_damped_in_a_reporting_context():
    from classifiers.combine import ModelPart, combine
    from classifiers.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    part = ModelPart({c: 0.5 for c in taxonomy.names}, {c: 0.4 for c in taxonomy.names},
                     {c: (0, 4) for c in taxonomy.names})
    plain = combine("text", taxonomy, part, [], [], language="en", in_coverage=True)
    damped = combine("text", taxonomy, part, [], [], language="en", in_coverage=True, model_factor=0.6)
    assert set(plain.labels) == set(taxonomy.names) and damped.labels == []
    assert damped.scores["incitement"] == 0.3


class _Keyword:
    """A model that scores 0.9 for incitement where it reads the word "kill", else 0.01."""

    version, categories, coverage = "keyword", ("incitement", "racism"), frozenset({"en"})

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts, languages=None):
        import numpy as np

        from classifiers.model.predict import Prediction

        self.calls.append(list(texts))
        probs = np.asarray([[0.9 if "kill" in t else 0.01, 0.01] for t in texts])
        spans = [[(t.find("kill"), t.find("kill") + 4) if "kill" in t else (0, 0), (0, 0)] for t in texts]
        return Prediction(self.categories, probs, np.full(probs.shape, 0.5), spans)


def test_an_obfuscated_text_is_also_scored_readable_and_clean_text_only_once():
    from classifiers.labeller import predict_with_readable_views

    model = _Keyword()
    texts = ["go k1ll them", "go k i l l them", "a calm report"]
    pred = predict_with_readable_views(model, texts, ["en"] * 3)
    assert model.calls == [texts, ["go kill them", "go kill them"]]  # the clean text is not scored twice
    assert list(pred.probabilities[:, 0]) == [0.9, 0.9, 0.01]
    assert [texts[i][slice(*pred.spans[i][0])] for i in range(2)] == ["k1ll", "k i l l"]


def test_the_rules_also_read_misspelt_key_terms_restored():
    from classifiers.labeller import Labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    text = "Muslims are vemrin and that is that"
    rules_only = Labeller(None, load_lexicon(), None, load_taxonomy())
    decision = rules_only.label_texts([text], ["en"])[0]
    assert "religious_intolerance" in decision.labels
    evidence = next(e for e in decision.evidence if e.category == "religious_intolerance")
    assert text[evidence.start:evidence.end] == "Muslims are vemrin"
    unrespelt = Labeller(None, load_lexicon(), None, load_taxonomy(), respell=False)
    assert unrespelt.label_texts([text], ["en"])[0].labels == []


def test_a_flag_that_depends_on_the_group_named_is_cleared(default_labeller):
    """The shipped model reads this positive sentence as neo-Nazism for four groups of nineteen; the group swaps
    clear it, and leave hate that any group's name would carry."""
    from dataclasses import replace

    positive = "Our town would be poorer without the Muslims who live here."
    blind = replace(default_labeller, group_swaps=0)
    assert "neo_nazism" in blind.label_texts([positive], ["en"])[0].labels
    checked = default_labeller.label_texts([positive, "Мигранты — паразиты, гнать их надо."], ["en", "ru"])
    assert checked[0].labels == [] and "xenophobia" in checked[1].labels


def test_a_flag_that_only_a_quotation_carries_is_damped(default_labeller):
    """The shipped English route reads this moderator's note as incitement for Tajiks, on the quoted words alone;
    the quotation check damps it, and a text that says the same words in its own voice stays flagged."""
    from dataclasses import replace

    cited = 'Posting "kill the Tajiks" is not free speech, it is a threat, and it will be removed.'
    said = "Kill the Tajiks, all of them, and do not stop until every one of them is gone."
    assert "incitement" in replace(default_labeller, quotes=False).label_texts([cited], ["en"])[0].labels
    checked = default_labeller.label_texts([cited, said], ["en", "en"])
    assert checked[0].labels == [] and "incitement" in checked[1].labels


def test_the_threads_setting_sets_torch_s_threads_and_zero_leaves_them(monkeypatch, tmp_path):
    import torch

    from classifiers.labeller import build_labeller
    from vigil.settings import Settings

    calls: list[int] = []
    monkeypatch.setattr(torch, "set_num_threads", calls.append)
    build_labeller(Settings(home=tmp_path, classifier={"threads": 1}))
    build_labeller(Settings(home=tmp_path))
    assert calls == [1]


def test_the_rules_read_a_text_in_its_language_and_an_obfuscated_one_in_its_readable_view_s():
    from classifiers.labeller import Labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    rules_only = Labeller(None, load_lexicon(), None, load_taxonomy())
    italian, obfuscated = "Gli zingari sono tutti ladri.", "c1g4n0s s4o t0d0s l4dr03s"
    # lexicon v21's Italian and Portuguese forms are read in Italian and Portuguese texts, not in English ones
    assert rules_only.label_texts([italian])[0].labels == ["racism"]
    assert rules_only.label_texts([italian], ["en"])[0].labels == []
    # the obfuscated line reads as English; its readable view, "ciganos sao todos ladroes", as Portuguese
    decision = rules_only.label_texts([obfuscated])[0]
    assert decision.language == "en" and "racism" in decision.labels
    assert rules_only.label_texts([obfuscated], ["en"])[0].labels == []  # a language given is kept


def test_the_rules_model_loads_no_model_and_labels_by_the_lexicon_alone(monkeypatch, tmp_path):
    from classifiers import labeller as module
    from vigil.settings import Settings

    def no_model(*_args, **_kwargs):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(module, "load", no_model)
    labeller = module.build_labeller(Settings(home=tmp_path, classifier={"model": "rules"}))
    assert labeller.model is None and labeller.version.startswith("rules-only+lexicon.v")
    said, neutral = "Kill the Tajiks, all of them, and do not stop until every one of them is gone.", \
        "Tajik families opened a bakery on our street."
    decisions = labeller.label_texts([said, neutral], ["en", "en"])
    assert "incitement" in decisions[0].labels and decisions[1].labels == []
    assert not decisions[1].in_coverage and decisions[1].needs_review  # no model judged it: queued, as uncovered
    with monkeypatch.context() as patched:  # any other name still loads a model
        patched.setattr(module, "load", lambda name, options: ("loaded", name))
        assert module.build_labeller(Settings(home=tmp_path)).model == ("loaded", "default")
