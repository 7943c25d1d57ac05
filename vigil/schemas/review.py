"""``ReviewDecision``: a reviewer's verdict on a flagged document; feeds retraining."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from vigil.schemas.base import Message, utcnow

# "unsure" (added within schema version 1) is stored like "escalate": no labels required, and the
# document does not join the known-content bank.
Verdict = Literal["confirm", "reject", "relabel", "escalate", "unsure"]


class ReviewDecision(Message):
    schema_name: ClassVar[str] = "review_decision"

    schema_version: Literal[1] = 1
    decision_id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=r"^[0-9a-f]{32}$")
    document_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    reviewer: str = Field(min_length=1, max_length=200)
    verdict: Verdict
    labels: list[str] = Field(default_factory=list, description="the categories that apply after review")
    model_version: str | None = Field(default=None, description="the model whose output was reviewed")
    note: str | None = Field(default=None, max_length=5000)
    decided_at: datetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _labels_match_verdict(self) -> "ReviewDecision":
        if self.verdict == "reject" and self.labels:
            raise ValueError("a 'reject' decision carries no labels")
        if self.verdict in {"confirm", "relabel"} and not self.labels:
            raise ValueError(f"a '{self.verdict}' decision names the labels that apply")
        return self

    def key(self) -> str:
        return self.document_id
