"""Every schema has one JSON example per version, kept in the repo; each validates and round-trips."""

import json

import pytest
from pydantic import ValidationError

from vigil.schemas import (
    CATEGORIES, SCHEMAS, Classification, Document, ReviewDecision, example, examples,
)


def test_every_schema_has_an_example() -> None:
    named = {name for name, _, _ in examples()}
    assert named == set(SCHEMAS)


@pytest.mark.parametrize(("name", "version", "payload"), examples(), ids=lambda v: str(v)[:20])
def test_example_validates_and_round_trips(name: str, version: int, payload: dict) -> None:
    model = SCHEMAS[name]
    message = model.model_validate(payload)
    assert message.schema_version == version
    again = model.from_json_bytes(message.to_json_bytes())
    assert again == message
    assert json.loads(message.to_json_bytes())["schema_version"] == version
    assert len(message.key()) == 32


def test_newer_producer_fields_are_ignored_by_older_consumers() -> None:
    payload = example("document") | {"a_field_from_the_future": {"x": 1}}
    assert Document.model_validate(payload).id == example("document")["id"]


def test_document_build_computes_identity_and_hash() -> None:
    doc = Document.build(url="https://Example.org/post/?utm_source=t", text="Hello", source_id="ex",
                         source_kind="site")
    assert str(doc.url) == "https://example.org/post"
    assert Document.model_validate_json(doc.to_json_bytes()) == doc


def test_document_with_forged_id_or_hash_is_refused() -> None:
    payload = example("document")
    with pytest.raises(ValidationError, match="does not match document_id"):
        Document.model_validate(payload | {"id": "0" * 32})
    with pytest.raises(ValidationError, match="content_hash does not match"):
        Document.model_validate(payload | {"text": payload["text"] + " (edited)"})


def test_classification_checks_scores_and_labels() -> None:
    payload = example("classification")
    assert set(payload["scores"]) == set(CATEGORIES)
    with pytest.raises(ValidationError, match="outside"):
        Classification.model_validate(payload | {"scores": payload["scores"] | {"incitement": 1.5}})
    with pytest.raises(ValidationError, match="labels without a score"):
        Classification.model_validate(payload | {"labels": ["not_a_category"]})


def test_review_decision_labels_must_match_the_verdict() -> None:
    payload = example("review_decision")
    with pytest.raises(ValidationError, match="carries no labels"):
        ReviewDecision.model_validate(payload | {"labels": ["incitement"]})
    with pytest.raises(ValidationError, match="names the labels"):
        ReviewDecision.model_validate(payload | {"verdict": "confirm"})
    assert ReviewDecision.model_validate(payload | {"verdict": "confirm", "labels": ["recruitment"]})


def test_unsure_is_a_verdict_of_version_1_like_escalate() -> None:
    payload = example("review_decision") | {"verdict": "unsure", "note": "irony or a call to violence?"}
    decision = ReviewDecision.model_validate(payload)
    assert (decision.schema_version, decision.verdict, decision.labels) == (1, "unsure", [])
    assert ReviewDecision.model_validate(payload | {"labels": ["incitement"]}).labels == ["incitement"]


def test_naive_datetimes_are_read_as_utc() -> None:
    payload = example("review_decision") | {"decided_at": "2026-06-30T09:15:00"}
    assert ReviewDecision.model_validate(payload).decided_at.utcoffset().total_seconds() == 0
