"""The classify stage: documents in, classifications out, bad records dead-lettered."""

from __future__ import annotations

import threading

import pytest

from tests.flows.conftest import marker_classify
from tests.vigil.bus.factories import make_document, publish, read_all
from vigil.bus import Topic
from vigil.bus.codec import decode
from vigil.bus.memory import reset_process_bus
from vigil.schemas import Classification
from classifiers.consumer import run_classify


def check_round_trip(settings, documents, counts) -> None:
    assert (counts.consumed, counts.written, counts.dead_letters) == (len(documents) + 1, len(documents), 1)
    out = read_all(settings, Topic.classifications, "reader-1", len(documents))
    by_id = {r.key.decode(): decode(Topic.classifications, r.value) for r in out}
    assert set(by_id) == {d.id for d in documents}  # keyed by document id, one each
    assert all(isinstance(c, Classification) for c in by_id.values())
    letters = read_all(settings, Topic.dlq_classify, "reader-dlq", 1)
    assert len(letters) == 1
    letter = decode(Topic.dlq_classify, letters[0].value)
    assert letter.stage == "classify" and letter.kind == "decode"


@pytest.mark.slow
def test_classify_stage_labels_with_the_default_model_on_the_in_process_bus(settings) -> None:
    reset_process_bus()
    documents = [
        make_document(1, "Brothers, take up arms and kill the infidels in their homes tonight, spare no one."),
        make_document(2, "The Tajik community centre in Yekaterinburg opened a new library for children."),
        make_document(3, "Police detained three men suspected of recruiting for a banned terrorist group, "
                         "the interior ministry said on Tuesday."),
    ]
    publish(settings, documents, raw=b"{not json")
    counts = run_classify(settings, threading.Event(), stop_when_idle_s=0.5)
    check_round_trip(settings, documents, counts)
    labels = {r.key.decode(): decode(Topic.classifications, r.value).labels
              for r in read_all(settings, Topic.classifications, "reader-2", 3)}
    assert labels[documents[0].id], "a direct call to kill should be flagged"
    assert labels[documents[1].id] == [], "a neutral mention of a group must not be flagged"
    reset_process_bus()


@pytest.mark.kafka
def test_classify_stage_on_a_real_broker(kafka_settings) -> None:
    documents = [make_document(n, f"report {n} flag-incitement" if n % 2 else None) for n in range(10)]
    publish(kafka_settings, documents, raw=b"\xff\xfe not utf-8")
    counts = run_classify(kafka_settings, threading.Event(), stop_when_idle_s=3.0, classify=marker_classify)
    check_round_trip(kafka_settings, documents, counts)


@pytest.mark.slow
def test_a_running_classifier_picks_up_a_promoted_model(tmp_path) -> None:
    import json
    import shutil

    from classifiers.labeller import promoted_model_dir
    from classifiers.model.predict import DEFAULT_MODEL_DIR, MANIFEST
    from flows.retrain import promote
    from vigil.settings import load_settings
    from classifiers.classify import live_classifier

    settings = load_settings(home=tmp_path)
    classify = live_classifier(settings)
    document = make_document(1, "The library opens a new reading room next month.")
    shipped = json.loads((DEFAULT_MODEL_DIR / MANIFEST).read_text())["version"]
    assert classify([document])[0].model_version.startswith(shipped + "+")
    candidate = tmp_path / "candidate"
    shutil.copytree(DEFAULT_MODEL_DIR, candidate)
    manifest = json.loads((candidate / MANIFEST).read_text())
    (candidate / MANIFEST).write_text(json.dumps({**manifest, "version": "vigil-promoted"}))
    promote(candidate, promoted_model_dir(settings))
    assert classify([document])[0].model_version.startswith("vigil-promoted+")


def test_a_document_the_model_chokes_on_is_dead_lettered_and_the_rest_flow(settings) -> None:
    reset_process_bus()
    documents = [make_document(n, f"report {n}" + (" CHOKE" if n == 3 else "")) for n in range(6)]

    def classify(batch):
        if any("CHOKE" in d.text for d in batch):
            raise RuntimeError("tokenizer exploded")
        return marker_classify(batch)

    publish(settings, documents)
    counts = run_classify(settings, threading.Event(), stop_when_idle_s=0.5, classify=classify)
    assert counts.consumed == 6
    out = read_all(settings, Topic.classifications, "reader-choke", 5)
    assert sorted(r.key.decode() for r in out) == sorted(d.id for d in documents if d.id != documents[3].id)
    [letter] = read_all(settings, Topic.dlq_classify, "reader-choke-dlq", 1)
    decoded = decode(Topic.dlq_classify, letter.value)
    assert (decoded.kind, decoded.error, decoded.original_key) == ("processing", "RuntimeError", documents[3].id)
    reset_process_bus()


def test_the_classify_consumer_takes_at_most_consumer_batch_documents_a_poll(settings) -> None:
    # every poll must be labelled before the next, within Kafka's max_poll_interval_ms: 500 long documents a poll
    # took longer than that, the consumer was dropped from its group and its batch redelivered, again and again
    reset_process_bus()
    documents = [make_document(n, f"report {n}") for n in range(7)]
    sizes: list[int] = []

    def classify(batch):
        sizes.append(len(batch))
        return marker_classify(batch)

    publish(settings, documents)
    small = settings.model_copy(update={"classifier": settings.classifier.model_copy(update={"consumer_batch": 2})})
    counts = run_classify(small, threading.Event(), stop_when_idle_s=0.5, classify=classify)
    assert counts.consumed == 7 and sum(sizes) == 7 and max(sizes) == 2
    reset_process_bus()
