"""Readers of ru-ethnohate, mlma, toxigen-seeds and identity-templates on tiny synthetic files
(placeholder texts, no real ones), and the mix from ../shared/data (counts only, never texts)."""

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from classifiers.training.data import (
    DATASETS,
    MAPPING_NOTES,
    MODEL_CATEGORIES,
    READERS,
    Example,
    cap_per_kind,
    load_shared,
    split_key_of,
)

NEW = ("ru-ethnohate", "mlma", "toxigen-seeds", "identity-templates")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "ru-ethnohate").mkdir()
    pairs = [(1, "таджик", -1), (1, "русский", 0), (2, "узбек", 0), (2, "армянин", 1), (3, "чурка", -1),
             (4, "якут", 0)]
    lines = [json.dumps({"text_id": tid, "instance_id": f"{tid}_{g}", "ethnic_group": g, "class": c,
                         "text": f"текст номер {tid}" if tid != 4 else
                         'Это <b>якуты</b>,<br/>а это <font color=\\"#E42217\\">цвет</font> &amp; всё'},
                        ensure_ascii=False) for tid, g, c in pairs]
    (tmp_path / "ru-ethnohate" / "ruethnohate_dev.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "mlma").mkdir()
    pd.DataFrame([
        (0, "tweet a", "normal", "indirect", "x", "gender", "women"),
        (1, "tweet b", "hateful_offensive", "direct", "x", "origin", "immigrants"),
        (2, "tweet c", "offensive", "indirect", "x", "origin", "african_descent"),
        (3, "tweet d", "fearful", "indirect", "x", "origin", "refugees"),
        (4, "tweet e", "disrespectful", "indirect", "x", "origin", "arabs"),
        (5, "tweet f", "hateful_normal", "indirect", "x", "origin", "refugees"),
        (6, "tweet g", "hateful", "indirect", "x", "religion", "muslims"),
        (7, "tweet h", "abusive", "indirect", "x", "origin", "individual"),
    ], columns=["HITId", "tweet", "sentiment", "directness", "annotator_sentiment", "target", "group"]).to_csv(
        tmp_path / "mlma" / "en_dataset_with_stop_words.csv", index=False)
    (tmp_path / "toxigen-seeds").mkdir()
    pd.DataFrame([("hate", "immigrant", "seed a"), ("hate", "jewish", "seed b"), ("hate", "women", "seed c"),
                  ("hate", "muslim", "seed d"), ("neutral", "lgbtq", "seed e"), ("neutral", "black", "seed f")],
                 columns=["label", "group", "text"]).to_csv(tmp_path / "toxigen-seeds" / "seed_sentences.csv", index=False)
    (tmp_path / "identity-templates").mkdir()
    rows = [("being_adj", "nontoxic", f"Being {term} is great") for term in ("muslim", "mexican", "middle eastern")]
    rows += [("verb_adj", "nontoxic", f"hug {term}") for term in ("jewish", "deaf")]
    rows += [("being_adj", "toxic", "Being muslim is placeholder"), ("you_occupation", "nontoxic", "You are a great actor")]
    pd.DataFrame(rows, columns=["template", "toxicity", "phrase"]).to_csv(
        tmp_path / "identity-templates" / "en_sentence_templates.csv", index=False)
    return tmp_path


def test_example_defaults_keep_old_constructions_working():
    row = Example("a text", "en", (), "synthetic")
    assert (row.kind, row.group, row.split_key) == ("real", None, None)
    assert split_key_of(row) == split_key_of(Example("A  text", "ru", ("xenophobia",), "x"))
    assert split_key_of(Example("t", "en", (), "x", split_key="k")) == "k"


def test_new_sets_are_registered_with_licences_and_notes():
    for name in NEW:
        assert name in READERS and DATASETS[name][2]
        assert any(note.startswith(name + ":") for note in MAPPING_NOTES)
    assert "research use" in DATASETS["ru-ethnohate"][2]


def test_ru_ethnohate_one_example_per_text(root):
    rows = {r.split_key: r for r in READERS["ru-ethnohate"](root)}
    assert set(rows) == {f"ru-ethnohate:{i}" for i in (1, 2, 3, 4)}
    assert rows["ru-ethnohate:1"].labels == ("xenophobia",) and rows["ru-ethnohate:1"].group == "tajiks"
    assert rows["ru-ethnohate:2"].labels == () and rows["ru-ethnohate:2"].group == "uzbeks"
    assert rows["ru-ethnohate:3"].group == "central_asians" and rows["ru-ethnohate:3"].labels == ("xenophobia",)
    assert rows["ru-ethnohate:4"].group == "якут"
    assert rows["ru-ethnohate:4"].text == "Это якуты,\nа это цвет & всё"  # markup of the source, not of the text
    assert {(r.language, r.kind, r.source) for r in rows.values()} == {("ru", "real", "ru-ethnohate")}


def test_mlma_mapping(root):
    rows = {r.text: r for r in READERS["mlma"](root)}
    assert set(rows) == {"tweet a", "tweet b", "tweet c"}
    assert rows["tweet a"].labels == ()
    assert rows["tweet b"].labels == ("xenophobia",) and rows["tweet b"].group == "migrants"
    assert rows["tweet c"].labels == ("xenophobia",) and rows["tweet c"].group == "black_people"


def test_toxigen_seed_mapping(root):
    rows = {r.text: r for r in READERS["toxigen-seeds"](root)}
    assert set(rows) == {"seed a", "seed b", "seed e", "seed f"}
    assert rows["seed a"].labels == rows["seed b"].labels == ("xenophobia",)
    assert rows["seed b"].group == "jews" and rows["seed f"].group == "black_people"
    assert rows["seed e"].labels == () and {r.kind for r in rows.values()} == {"seed"}


def test_identity_templates_keep_nontoxic_group_sentences(root):
    rows = READERS["identity-templates"](root)
    assert all(r.labels == () and r.kind == "template" for r in rows)
    assert sorted(r.group for r in rows) == ["deaf", "jews", "mexicans", "middle_eastern", "muslims"]


def test_kind_caps_keep_every_group(root):
    rows = load_shared(root, max_negatives_per_source=100, max_positives_per_label=100, seed=3,
                       max_per_kind={"template": 3, "seed": 2})
    kinds = Counter(r.kind for r in rows)
    assert kinds["template"] == 3 and kinds["seed"] == 2
    assert len({r.group for r in rows if r.kind == "template"}) == 3
    again = load_shared(root, max_negatives_per_source=100, max_positives_per_label=100, seed=3,
                        max_per_kind={"template": 3, "seed": 2})
    assert [r.text for r in again] == [r.text for r in rows]
    assert cap_per_kind(rows, {}, 1) == rows


def test_a_set_of_its_own_negatives_cap_changes_only_its_rows(root):
    def negatives(rows):
        return Counter(r.source for r in rows if not r.labels)

    common = dict(max_negatives_per_source=1, max_positives_per_label=100, seed=3, max_per_kind={})
    capped = load_shared(root, **common)
    wider = load_shared(root, **common, max_negatives_by_source={"ru-ethnohate": 5})
    assert negatives(capped)["ru-ethnohate"] == 1 and negatives(wider)["ru-ethnohate"] == 2
    assert all(count == 1 for count in negatives(capped).values())
    assert [r.text for r in wider if r.source != "ru-ethnohate"] == [r.text for r in capped if r.source != "ru-ethnohate"]
    assert {r.text for r in capped if r.source == "ru-ethnohate"} < {r.text for r in wider if r.source == "ru-ethnohate"}


def test_shared_new_sets_counts_and_minority_of_templates(shared_dir):
    rows = load_shared(shared_dir / "data", max_negatives_per_source=2500, max_positives_per_label=2000, seed=13)
    by_source = Counter((r.source, bool(r.labels)) for r in rows)
    for name in NEW:
        assert by_source[(name, False)] > 0
    for name in ("ru-ethnohate", "mlma", "toxigen-seeds"):
        assert by_source[(name, True)] > 0
    assert {label for r in rows for label in r.labels} <= set(MODEL_CATEGORIES)
    kinds = Counter(r.kind for r in rows)
    assert (kinds["template"] + kinds["seed"]) / len(rows) < 0.15
    ethno = [r for r in rows if r.source == "ru-ethnohate"]
    assert len({r.split_key for r in ethno}) == len(ethno) and all(r.language == "ru" for r in ethno)
