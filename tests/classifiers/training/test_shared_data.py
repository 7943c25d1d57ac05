"""Reads ../shared/data (skips without it, fails without it under CI); asserts counts and labels, never prints texts."""

from collections import Counter

from classifiers.training.data import MODEL_CATEGORIES, RECRUITMENT_CALL, load_shared


def test_shared_sets_map_onto_model_categories(shared_dir):
    rows = load_shared(shared_dir / "data", max_negatives_per_source=300, max_positives_per_label=200, seed=1)
    by_source = Counter(row.source for row in rows)
    assert set(by_source) == {"stormfront", "latent-hatred", "isis-tweets", "ru-sensitive-topics", "ru-ethnohate", "mlma",
                              "toxigen-seeds", "identity-templates", "latent-hatred-groups"}
    assert {label for row in rows for label in row.labels} <= set(MODEL_CATEGORIES)
    assert all(row.language == "ru" for row in rows if row.source == "ru-sensitive-topics")
    assert all(row.labels == ("recruitment",) for row in rows if row.source == "isis-tweets")
    assert max(Counter((r.source, r.labels) for r in rows).values()) <= 300
    again = load_shared(shared_dir / "data", max_negatives_per_source=300, max_positives_per_label=200, seed=1)
    assert [r.text for r in again] == [r.text for r in rows]


def test_recruitment_guideline_on_synthetic_text():
    assert RECRUITMENT_CALL.search("Make hijrah to the land of the caliphate, DM me")
    assert not RECRUITMENT_CALL.search("Reports say the airstrike hit the town")
