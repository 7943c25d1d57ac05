"""Emerging terms: the log-odds method on counts, and the flow's logic on real chDB."""

from __future__ import annotations

import math
from collections import Counter
from datetime import timedelta

import pytest

from flows.emerging import current_model_version, run_emerging_terms
from flows.terms import log_odds, terms_of
from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.warehouse.sink import Located, write_classifications, write_documents
from vigil.warehouse import Warehouse


def test_terms_are_words_phrases_and_hashtags_counted_once_per_text() -> None:
    assert terms_of("Rally at dawn #NewTag rally again") == {
        "rally", "dawn", "again", "#newtag", "rally dawn", "dawn rally", "rally again"}


def test_a_rising_term_outranks_a_steady_one_and_the_prior_shrinks_rare_terms() -> None:
    baseline = Counter({"steady": 100, "common": 400, "rising": 20, "rare": 1})
    recent = Counter({"steady": 100, "common": 400, "rising": 60, "rare": 3, "fresh": 4})
    found = log_odds(recent, baseline)
    assert [t.term for t in found] == ["rising"]  # steady, common, and the rare ones are not reported
    every = {t.term: t.z for t in log_odds(recent, baseline, z_min=-math.inf)}
    unshrunk = {t.term: t.z for t in log_odds(recent, baseline, z_min=-math.inf, alpha0=1e-9)}
    # Same ratio (x3), counts twenty times smaller: rare noise must not compete with a real rise.
    assert every["rare"] < 1.96 < every["rising"]
    # The informative Dirichlet prior pulls a rare term's log-odds towards the pooled rate, so its
    # z is well below the one computed without the prior (the prior removed, these are equal).
    assert every["rare"] < 0.8 * unshrunk["rare"]
    # And it makes a term unseen in the baseline scorable: finite, positive, below a real rise.
    assert 0 < every["fresh"] < every["rising"]


@pytest.mark.warehouse
def test_emerging_terms_per_language_from_flagged_content(warehouse: Warehouse) -> None:
    now = T0 + timedelta(days=8)
    docs = []
    for day in range(8):  # a steady vocabulary all week, a new hashtag in the last day only
        at = T0 + timedelta(days=day, hours=12)
        for i in range(6):
            text = f"harbour meeting schedule update flag-xenophobia {i}"
            if day == 7:
                text += " #risingslogan"
            docs.append(make_doc(day * 10 + i, at=at, text=text, language="en"))
        docs.append(make_doc(day * 10 + 9, at=at, text="ежедневная сводка flag-xenophobia", language="ru"))
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs)], {d.id: d for d in docs})
    assert current_model_version(warehouse) == "test-markers-1"
    stored = run_emerging_terms(warehouse, now, window_hours=24)
    rows = warehouse.query("SELECT language, term, kind, recent_count, baseline_count FROM emerging_terms "
                           "ORDER BY z_score DESC")
    assert stored == len(rows) and rows
    assert rows[0] == {"language": "en", "term": "#risingslogan", "kind": "hashtag", "recent_count": 6,
                       "baseline_count": 0}
    assert "harbour" not in {r["term"] for r in rows}
