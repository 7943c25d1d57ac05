"""Latent Hatred's hate of a named group (``latent-hatred-groups``), on a tiny synthetic labels.csv written like the
source's (placeholder sentences, no real post)."""

from pathlib import Path

import pandas as pd
import pytest

from classifiers.training.data import (
    DATASETS,
    LATENT_GROUP_NAMES,
    MAPPING_NOTES,
    READERS,
    load_shared,
    source_dir,
)

ROWS = [  # post, class, implicit class, project label, project sub-label
    ("placeholder about migrants taking over", "implicit_hate", "stereotypical", "other", "stereotypical"),
    ("placeholder: jews are a lesser kind", "implicit_hate", "inferiority", "other", "inferiority"),
    ("placeholder slur against blacks", "explicit_hate", "", "other", "explicit_hate_target_unknown"),
    ("placeholder about muslims, no sub-class", "implicit_hate", "", "other", "implicit_unsubtyped"),
    ("placeholder irony about mexicans", "implicit_hate", "irony", "other", "irony"),
    ("placeholder other about arabs", "implicit_hate", "other", "other", "other"),
    ("placeholder inferiority of liberals", "implicit_hate", "inferiority", "other", "inferiority"),
    ("placeholder about whites and the black market", "explicit_hate", "", "other", "explicit_hate_target_unknown"),
    ("placeholder neutral news about refugees", "not_hate", "", "none", "extremist_account_non_hate"),
    ("placeholder threat against immigrants", "implicit_hate", "threatening", "incitement", "implicit_threat"),
    ("placeholder white grievance", "implicit_hate", "white_grievance", "neo_nazism", "white_grievance"),
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "latent-hatred").mkdir()
    pd.DataFrame([("en", post, cls, implicit, "", label, sub) for post, cls, implicit, label, sub in ROWS],
                 columns=["lang", "post", "class", "implicit_class", "extra_implicit_class", "project_label",
                          "project_sublabel"]).to_csv(tmp_path / "latent-hatred" / "labels.csv", index=False)
    (tmp_path / "mlma").mkdir()
    pd.DataFrame([(i, f"tweet {i}", "normal" if i % 2 else "hateful", "direct", "x", "origin", "immigrants")
                  for i in range(6)],
                 columns=["HITId", "tweet", "sentiment", "directness", "annotator_sentiment", "target", "group"]
                 ).to_csv(tmp_path / "mlma" / "en_dataset_with_stop_words.csv", index=False)
    return tmp_path


def test_hate_of_a_named_group_becomes_xenophobia(root):
    rows = READERS["latent-hatred-groups"](root)
    assert [r.text for r in rows] == [post for post, *_ in ROWS[:4]]
    assert {(r.labels, r.source, r.language, r.kind) for r in rows} == {
        (("xenophobia",), "latent-hatred-groups", "en", "real")}


def test_the_first_mapping_is_unchanged_and_shares_no_row(root):
    first = {r.text: r.labels for r in READERS["latent-hatred"](root)}
    assert first == {ROWS[8][0]: (), ROWS[9][0]: ("incitement",), ROWS[10][0]: ("neo_nazism",)}
    assert not set(first) & {r.text for r in READERS["latent-hatred-groups"](root)}


@pytest.mark.parametrize("text, named", [
    ("the jews run it", True), ("Muslims again", True), ("illegal aliens at the border", True),
    ("black people are", True), ("non-whites", True), ("the third world", True),
    ("whites only", False), ("black friday sales", False), ("liberals and feminists", False),
    ("a romantic jewel", False),
])
def test_the_group_names(text, named):
    assert bool(LATENT_GROUP_NAMES.search(text)) is named


def test_read_from_latent_hatreds_folder_and_registered(root):
    assert source_dir(root, "latent-hatred-groups") == root / "latent-hatred"
    assert source_dir(root, "mlma") == root / "mlma"
    assert "research" in DATASETS["latent-hatred-groups"][2]
    assert any(note.startswith("latent-hatred-groups:") for note in MAPPING_NOTES)
    assert list(READERS)[-1] == "latent-hatred-groups"


def test_adding_it_moves_no_other_sets_rows(root):
    common = dict(max_negatives_per_source=2, max_positives_per_label=2, seed=5)
    with_it = load_shared(root, **common)
    without = load_shared(root, **common, exclude=("latent-hatred-groups",))
    assert sum(r.source == "latent-hatred-groups" for r in with_it) == 2  # capped like any set's positives
    assert [r for r in with_it if r.source != "latent-hatred-groups"] == without
