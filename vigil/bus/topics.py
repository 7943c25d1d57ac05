"""Every topic, declared once: its schema, producers, consumers and dead-letter topic.
No topic name is spelled anywhere else."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vigil.bus.dead_letter import DeadLetter
from vigil.schemas import Classification, Document, Message, ReviewDecision


@dataclass(frozen=True)
class TopicSpec:
    name: str
    schema: type[Message] | None
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    description: str
    partitions: int | None = None  # None: settings.bus.partitions


class Topic(str, Enum):
    raw_documents = "raw-documents"
    classifications = "classifications"
    review_decisions = "review-decisions"
    dlq_classify = "dlq.classify"
    dlq_sink = "dlq.sink"
    dlq_feedback = "dlq.feedback"

    def full_name(self, prefix: str) -> str:
        return f"{prefix}{self.value}"

    @classmethod
    def from_name(cls, name: str, prefix: str = "") -> "Topic":
        """The topic called ``name`` (with or without ``prefix``), or the dead-letter topic of
        the stage called ``name``; raises ValueError naming the known topics."""
        bare = name[len(prefix):] if prefix and name.startswith(prefix) else name
        if bare in STAGE_DEAD_LETTERS:
            return STAGE_DEAD_LETTERS[bare]
        try:
            return cls(bare)
        except ValueError:
            known = ", ".join(topic.value for topic in cls)
            raise ValueError(f"unknown topic {name!r}; known: {known}") from None


TOPICS: dict[Topic, TopicSpec] = {
    Topic.raw_documents: TopicSpec(
        "raw-documents", Document, ("crawl",), ("classify", "sink"), "documents as crawled"
    ),
    Topic.classifications: TopicSpec(
        "classifications", Classification, ("classify",), ("sink",), "per-category scores and evidence"
    ),
    Topic.review_decisions: TopicSpec(
        "review-decisions", ReviewDecision, ("dashboards",), ("feedback",), "reviewers' verdicts"
    ),
    Topic.dlq_classify: TopicSpec(
        "dlq.classify", DeadLetter, ("classify",), ("dlq",), "dead letters of classify"
    ),
    Topic.dlq_sink: TopicSpec(
        "dlq.sink", DeadLetter, ("sink",), ("dlq",), "dead letters of the warehouse sink"
    ),
    Topic.dlq_feedback: TopicSpec(
        "dlq.feedback", DeadLetter, ("feedback",), ("dlq",), "dead letters of feedback"
    ),
}

# Each consuming stage reads these topics and writes its failures to its own dead-letter topic.
STAGE_DEAD_LETTERS: dict[str, Topic] = {
    "classify": Topic.dlq_classify,
    "sink": Topic.dlq_sink,
    "feedback": Topic.dlq_feedback,
}
