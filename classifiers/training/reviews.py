"""Reviewer decisions from the warehouse as training examples (the latest decision per document)."""

from __future__ import annotations

from classifiers.training.data import Example
from vigil.warehouse.base import Warehouse

REVIEWED_SQL = """
SELECT d.text, d.language, r.verdict, r.labels
FROM (SELECT document_id, argMax(verdict, decided_at) AS verdict, argMax(labels, decided_at) AS labels
      FROM review_decisions GROUP BY document_id) AS r
INNER JOIN (SELECT id, argMax(text, fetched_at) AS text, argMax(language, fetched_at) AS language
            FROM documents GROUP BY id) AS d ON d.id = r.document_id
WHERE r.verdict IN ('confirm', 'relabel', 'reject')
"""


def reviewed_examples(warehouse: Warehouse, categories: tuple[str, ...]) -> list[Example]:
    """Confirmed or relabelled documents are positives for their labels; rejected ones are negatives."""
    examples = []
    for row in warehouse.query(REVIEWED_SQL):
        kept = tuple(c for c in categories if c in row["labels"]) if row["verdict"] != "reject" else ()
        examples.append(Example(row["text"], row["language"] or "en", kept, "reviews"))
    return examples
