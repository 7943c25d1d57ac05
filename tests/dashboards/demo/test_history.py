"""The demo's generated history, without a warehouse: deterministic, 60 days, plausible, with its
spikes and model change, and never a flagged neutral mention of a community.

Most tests draw single days (``HistoryPlan.day``) rather than the whole 60 days, which takes a few
seconds; the whole is the sum of its days by construction (each day has its own seeded generator).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from dashboards.demo.history import (CATEGORIES, DAY, GROUP_WORDS, SOURCE_PREFIX, THRESHOLD, HistoryPlan, Labelled,
                                     generate_history)
from vigil.text.simhash import cluster_signatures

END = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
PLAN = HistoryPlan(seed=7, end=END, model_before="model-a", model_after="model-b")


@pytest.fixture(scope="module")
def sample() -> list[Labelled]:
    """Every fifth day of the plan: a third of the volume, across the whole span and both models."""
    return [item for index in range(0, PLAN.days, 5) for item in PLAN.day(index)]


def _key(items: list[Labelled]) -> list[tuple]:
    return [(i.document.id, i.document.text, i.document.published_at, tuple(i.classification.labels),
             i.classification.model_version) for i in items]


def test_the_same_seed_and_end_give_the_same_history() -> None:
    again = HistoryPlan(seed=7, end=END + timedelta(minutes=25), model_before="model-a", model_after="model-b")
    assert again.end == END  # the end is taken to its hour
    for index in (0, 33, 59):
        assert _key(PLAN.day(index)) == _key(again.day(index))
    other = HistoryPlan(seed=8, end=END, model_before="model-a", model_after="model-b")
    assert _key(other.day(33)) != _key(PLAN.day(33))


def test_generate_history_is_the_days_in_order() -> None:
    short = generate_history(3, END, days=4, change_days_ago=2)
    assert _key(short.items) == _key([item for index in range(4) for item in short.plan.day(index)])
    assert len(short.documents) == len(short.classifications) == len({d.id for d in short.documents})


def test_it_spans_sixty_days_up_to_the_end_hour_by_hour() -> None:
    assert PLAN.days >= 60 and PLAN.start == END - 60 * DAY
    first, last = PLAN.day(0), PLAN.day(PLAN.days - 1)
    assert min(i.document.published_at for i in first) < PLAN.start + 3 * timedelta(hours=1)
    assert END - timedelta(hours=3) <= max(i.document.published_at for i in last) < END
    hours = {i.document.published_at.replace(minute=0, second=0) for i in first}
    assert len(hours) >= 20  # documents in (nearly) every hour, night hours quieter


def test_volumes_follow_the_time_of_day(sample: list[Labelled]) -> None:
    per_hour = Counter(i.document.published_at.hour for i in sample)
    assert per_hour[14] > 3 * per_hour[2]


def test_sources_kinds_and_languages(sample: list[Labelled]) -> None:
    sources = {i.document.source_id: i.document.source_kind for i in sample}
    assert 6 <= len(sources) <= 10 and all(s.startswith(SOURCE_PREFIX) for s in sources)
    assert {"forum", "telegram"} <= set(sources.values()) and set(sources.values()) & {"rss", "site"}
    languages = Counter(i.document.language for i in sample)
    assert languages["en"] > 1000 and languages["ru"] > 1000
    assert {"kk", "uz", "tg", "ky"} <= set(languages)


def test_a_minority_is_flagged_in_every_category_with_synthetic_placeholders(sample: list[Labelled]) -> None:
    flagged = [i for i in sample if i.classification.labels]
    assert 0.005 < len(flagged) / len(sample) < 0.1
    assert {label for i in flagged for label in i.classification.labels} == set(CATEGORIES)
    for item in flagged:
        assert item.document.text.startswith(("[synthetic", "[синтетический")), item.document.text
        assert all(item.classification.scores[c] >= THRESHOLD for c in item.classification.labels)
        assert item.classification.needs_review and item.classification.evidence
    unflagged = [i for i in sample if not i.classification.labels]
    assert all(max(i.classification.scores.values()) < THRESHOLD for i in unflagged)


def test_neutral_mentions_of_communities_are_never_flagged(sample: list[Labelled]) -> None:
    mentions = [i for i in sample if any(w in i.document.text.casefold() for w in GROUP_WORDS)]
    assert len(mentions) > 100
    for item in mentions:
        assert item.classification.labels == [] and max(item.classification.scores.values()) < 0.3, item.document.text


def test_documents_outside_the_models_languages_go_to_review(sample: list[Labelled]) -> None:
    for item in sample:
        outside = item.document.language not in {"en", "ru"}
        assert item.classification.in_coverage is not outside
        assert item.classification.needs_review == (outside or bool(item.classification.labels))


def test_the_model_changes_twenty_days_before_the_end(sample: list[Labelled]) -> None:
    assert PLAN.change_at == END - 20 * DAY
    by_model = Counter()
    flagged = Counter()
    for item in sample:
        expected = "model-a" if item.document.published_at < PLAN.change_at else "model-b"
        assert item.classification.model_version == expected
        by_model[expected] += 1
        flagged[expected] += bool(item.classification.labels)
    assert by_model["model-a"] > by_model["model-b"] > 0
    assert flagged["model-a"] / by_model["model-a"] != flagged["model-b"] / by_model["model-b"]


def test_the_spikes_are_copy_paste_campaigns_from_one_source_within_an_hour() -> None:
    spikes = PLAN.spikes
    assert 3 <= len(spikes) <= 4
    assert {s.model_version for s in spikes} == {"model-a", "model-b"}  # before and after the change
    assert max(s.hour for s in spikes) >= END - 3 * timedelta(hours=1)  # one recent enough to be live
    for spike in spikes:
        day = PLAN.day(int((spike.hour - PLAN.start) / DAY))
        campaign = [i for i in day if "/campaign/" in str(i.document.url) and spike.name in str(i.document.url)]
        assert len(campaign) == spike.documents >= 20
        docs = [i.document for i in campaign]
        assert {d.source_id for d in docs} == {spike.source_id} and {d.language for d in docs} == {spike.language}
        assert all(spike.hour <= d.published_at < spike.hour + timedelta(hours=1) for d in docs)
        assert all(i.classification.labels == [spike.category] for i in campaign)
        assert all(i.classification.model_version == spike.model_version for i in campaign)
        assert len(set(cluster_signatures([d.near_duplicate_signature or "" for d in docs]))) == 1  # near-identical
        assert spike.hashtag in docs[0].entities.hashtags
        ordinary = [i for i in day if i.document.source_id == spike.source_id and i not in campaign
                    and spike.hour <= i.document.published_at < spike.hour + timedelta(hours=1)]
        assert sum(spike.category in i.classification.labels for i in ordinary) < 3  # the campaign is the spike


def test_a_model_change_outside_the_history_is_refused() -> None:
    with pytest.raises(ValueError, match="model change"):
        HistoryPlan(end=END, days=10, change_days_ago=20)
