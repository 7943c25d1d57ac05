"""``Classification``: what classifiers emit, one per document and model version."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from vigil.schemas.base import Message, utcnow

# The categories of the CSTO foreign ministers' statement (June 2025). The taxonomy
# in classifiers/taxonomy.yaml defines each; this tuple is the contract consumers rely on.
CATEGORIES: tuple[str, ...] = (
    "incitement",
    "recruitment",
    "neo_nazism",
    "xenophobia",
    "terrorism_justification",
    "racism",
    "religious_intolerance",
    "aggressive_nationalism",
    "financing",
)

Layer = Literal["model", "rules", "known"]


class Evidence(Message):
    category: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    layer: Layer
    known_item_id: str | None = Field(default=None, description="nearest known item (layer 'known')")
    similarity: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _span_order(self) -> "Evidence":
        if self.end < self.start:
            raise ValueError(f"evidence span end {self.end} is before start {self.start}")
        return self


class Classification(Message):
    schema_name: ClassVar[str] = "classification"

    schema_version: Literal[1] = 1
    document_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    model_version: str = Field(min_length=1)
    scores: dict[str, float]
    labels: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    language: str | None = None
    in_coverage: bool = Field(default=True, description="False: language not evaluated; routed to review")
    needs_review: bool = False
    classified_at: datetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _check_scores(self) -> "Classification":
        for category, score in self.scores.items():
            if not 0.0 <= score <= 1.0:
                raise ValueError(f"score for {category} is {score}, outside [0, 1]")
        unknown = [label for label in self.labels if label not in self.scores]
        if unknown:
            raise ValueError(f"labels without a score: {unknown}")
        return self

    def key(self) -> str:
        return self.document_id
