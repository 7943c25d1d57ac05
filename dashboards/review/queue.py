"""The review queue: flagged documents (the latest classification per document has labels) that no
reviewer has decided yet, or, in the *escalated* state, whose latest decision is escalate or unsure;
highest :mod:`priority` first, filtered by category, language and source.

Items claimed by another reviewer, and items decided in the last ``claim_minutes`` (whose decision
may still be on its way to the warehouse), are left out: the caller passes them as ``hidden``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urlencode

from dashboards.review import priority
from vigil.warehouse import Warehouse

PAGE_SIZE = 50
WINDOW = 500  # how far next/previous look along the queue
SNIPPET_CHARS = 280


class State(str, Enum):
    new = "new"  # never decided
    escalated = "escalated"  # the latest decision is escalate or unsure


_STATES = {
    State.new: "document_id NOT IN (SELECT document_id FROM review_decisions)",
    State.escalated: ("document_id IN (SELECT document_id FROM review_decisions FINAL GROUP BY document_id "
                      "HAVING argMax(verdict, decided_at) IN ('escalate', 'unsure'))"),
}
_FILTERS = ("({category:String} = '' OR has(labels, {category:String}))"
            " AND ({language:String} = '' OR language = {language:String})"
            " AND ({source:String} = '' OR source_id = {source:String})")


def _candidates(condition: str) -> str:
    """Labelled documents meeting ``condition`` (on ``classifications.document_id``), one row each
    with the latest classification, the document's facts and the priority."""
    latest = ("SELECT document_id AS id, argMax(scores, classified_at) AS latest_scores, "
              "argMax(labels, classified_at) AS latest_labels, "
              "argMax(language, classified_at) AS latest_language "
              f"FROM classifications FINAL WHERE {condition} GROUP BY document_id HAVING notEmpty(latest_labels)")
    joined = ("SELECT c.id AS id, c.latest_scores AS scores, "
              "c.latest_labels AS labels, if(c.latest_language != '', c.latest_language, d.language) AS language, "
              "d.source_id AS source_id, d.title AS title, d.author AS author, "
              "coalesce(d.published_at, d.fetched_at) AS posted_at, d.extra AS extra, "
              f"substring(d.text, 1, {SNIPPET_CHARS}) AS snippet "
              f"FROM ({latest}) AS c INNER JOIN documents AS d FINAL ON d.id = c.id")
    return f"SELECT *, {priority.SQL} AS priority FROM ({joined})"


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows; every field travels in the URL's query."""

    category: str = ""
    language: str = ""
    source: str = ""
    state: State = State.new

    def params(self) -> dict[str, str]:
        return {"category": self.category, "language": self.language, "source": self.source}

    def query(self) -> str:
        """The filters as a URL query (only those set), for links that keep them."""
        chosen = {**self.params(), "state": "" if self.state is State.new else self.state.value}
        return urlencode({name: value for name, value in chosen.items() if value})


@dataclass(frozen=True)
class QueueItem:
    id: str
    labels: list[str]
    scores: dict[str, float]
    language: str
    source_id: str
    title: str | None
    author: str | None
    posted_at: datetime
    snippet: str
    priority: float


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> items


def _params(filters: QueueFilters, hidden: Sequence[str], now: datetime, half_life_hours: float) -> dict[str, Any]:
    return {**filters.params(), **priority.sql_params(now, half_life_hours), "hidden": list(hidden)}


def _queue_sql(filters: QueueFilters) -> str:
    condition = f"{_STATES[filters.state]} AND document_id NOT IN {{hidden:Array(String)}}"
    return f"SELECT * FROM ({_candidates(condition)}) WHERE {_FILTERS}"


def queue_page(warehouse: Warehouse, filters: QueueFilters, hidden: Sequence[str], now: datetime,
               half_life_hours: float, page: int = 1) -> QueuePage:
    """One page of the queue, with the count of all matching items and the facets of the unfiltered state."""
    params = _params(filters, hidden, now, half_life_hours)
    rows = warehouse.query(
        f"SELECT *, count() OVER () AS total FROM ({_queue_sql(filters)}) ORDER BY priority DESC, id "
        "LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        {**params, "limit": PAGE_SIZE, "offset": (max(page, 1) - 1) * PAGE_SIZE})
    total = rows[0]["total"] if rows else 0
    return QueuePage([_item(row) for row in rows], total, _facets(warehouse, filters.state, params))


def queue_ids(warehouse: Warehouse, filters: QueueFilters, hidden: Sequence[str], now: datetime,
              half_life_hours: float) -> list[str]:
    """The first :data:`WINDOW` ids of the queue in order (for next and previous)."""
    rows = warehouse.query(f"SELECT id FROM ({_queue_sql(filters)}) ORDER BY priority DESC, id LIMIT {WINDOW}",
                           _params(filters, hidden, now, half_life_hours))
    return [row["id"] for row in rows]


def items_by_id(warehouse: Warehouse, ids: Sequence[str], now: datetime, half_life_hours: float) -> list[QueueItem]:
    """Queue rows for ``ids`` whatever their state (a second reviewer's items are decided), in the order given."""
    if not ids:
        return []
    rows = warehouse.query(f"SELECT * FROM ({_candidates('document_id IN {ids:Array(String)}')})",
                           {**priority.sql_params(now, half_life_hours), "ids": list(ids)})
    found = {row["id"]: _item(row) for row in rows}
    return [found[i] for i in ids if i in found]


def _facets(warehouse: Warehouse, state: State, params: dict[str, Any]) -> dict[str, dict[str, int]]:
    base = _queue_sql(QueueFilters(state=state))
    rows = warehouse.query(
        f"SELECT 'category' AS facet, arrayJoin(labels) AS value, count() AS n FROM ({base}) GROUP BY value "
        f"UNION ALL SELECT 'language' AS facet, language AS value, count() AS n FROM ({base}) GROUP BY value "
        f"UNION ALL SELECT 'source' AS facet, source_id AS value, count() AS n FROM ({base}) GROUP BY value",
        {**params, "category": "", "language": "", "source": ""})
    facets: dict[str, dict[str, int]] = {"category": {}, "language": {}, "source": {}}
    for row in rows:
        facets[row["facet"]][row["value"]] = row["n"]
    return {name: dict(sorted(values.items())) for name, values in facets.items()}


def _item(row: dict[str, Any]) -> QueueItem:
    return QueueItem(id=row["id"], labels=list(row["labels"]), scores=dict(row["scores"]), language=row["language"],
                     source_id=row["source_id"], title=row["title"], author=row["author"], posted_at=row["posted_at"],
                     snippet=row["snippet"], priority=float(row["priority"]))
