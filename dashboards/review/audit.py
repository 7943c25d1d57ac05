"""The audit log: every review decision, who took it and when, read from ``review_decisions`` (which
the classifiers' feedback stage owns and only appends to; the dashboards only read it).

Filters: reviewer, verdict, category (among the decision's labels), and a range of days (UTC). A
second reviewer stays blind: the documents of their open second reviews are left out of what they see.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from vigil.warehouse import Warehouse

PAGE_SIZE = 100
EXPORT_LIMIT = 100_000
CSV_COLUMNS = ("decided_at", "reviewer", "verdict", "labels", "document_id", "model_version", "note", "decision_id")
_TIME = "Nullable(DateTime64(3, 'UTC'))"
_WHERE = (
    "({reviewer:String} = '' OR reviewer = {reviewer:String})"
    " AND ({verdict:String} = '' OR verdict = {verdict:String})"
    " AND ({category:String} = '' OR has(labels, {category:String}))"
    f" AND ({{since:{_TIME}}} IS NULL OR decided_at >= {{since:{_TIME}}})"
    f" AND ({{until:{_TIME}}} IS NULL OR decided_at < {{until:{_TIME}}})"
    " AND document_id NOT IN {blind:Array(String)}"
)
_COLUMNS = "decision_id, document_id, reviewer, verdict, labels, model_version, note, decided_at"


@dataclass(frozen=True)
class AuditFilters:
    reviewer: str = ""
    verdict: str = ""
    category: str = ""
    since: date | None = None  # first day shown
    until: date | None = None  # last day shown (inclusive)

    def params(self) -> dict[str, Any]:
        return {"reviewer": self.reviewer, "verdict": self.verdict, "category": self.category,
                "since": _midnight(self.since), "until": _midnight(self.until + timedelta(days=1) if self.until else None)}

    def query(self) -> str:
        """The filters as a URL query (only those set)."""
        values = {"reviewer": self.reviewer, "verdict": self.verdict, "category": self.category,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return urlencode({name: value for name, value in values.items() if value})


@dataclass(frozen=True)
class AuditRow:
    decision_id: str
    document_id: str
    reviewer: str
    verdict: str
    labels: list[str]
    model_version: str
    note: str
    decided_at: datetime


def audit_log(warehouse: Warehouse, filters: AuditFilters, blind: Sequence[str], page: int = 1,
              page_size: int = PAGE_SIZE) -> tuple[list[AuditRow], int]:
    """One page of matching decisions, newest first, and how many match in all."""
    rows = warehouse.query(
        f"SELECT {_COLUMNS}, count() OVER () AS total FROM review_decisions FINAL WHERE {_WHERE} "
        "ORDER BY decided_at DESC, decision_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}",
        {**filters.params(), "blind": list(blind), "limit": page_size, "offset": (max(page, 1) - 1) * page_size})
    return [_row(row) for row in rows], (rows[0]["total"] if rows else 0)


def export(warehouse: Warehouse, filters: AuditFilters, blind: Sequence[str]) -> str:
    """Every matching decision (up to :data:`EXPORT_LIMIT`), newest first, as CSV."""
    rows, _ = audit_log(warehouse, filters, blind, 1, EXPORT_LIMIT)
    return to_csv(rows)


def to_csv(rows: Iterable[AuditRow]) -> str:
    """CSV with a header; a cell that a spreadsheet would read as a formula is prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(value) for value in (row.decided_at.isoformat(), row.reviewer, row.verdict,
                                                     " ".join(row.labels), row.document_id, row.model_version,
                                                     row.note, row.decision_id)])
    return out.getvalue()


def reviewers(warehouse: Warehouse) -> list[str]:
    """Everyone who has decided something (for the reviewer filter)."""
    return [row["reviewer"] for row in warehouse.query(
        "SELECT DISTINCT reviewer FROM review_decisions ORDER BY reviewer")]


def verdict_counts(warehouse: Warehouse) -> dict[str, dict[str, int]]:
    """Decisions per reviewer and verdict."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in warehouse.query("SELECT reviewer, verdict, count() AS n FROM review_decisions FINAL "
                               "GROUP BY reviewer, verdict ORDER BY reviewer, verdict"):
        counts[row["reviewer"]][row["verdict"]] = row["n"]
    return dict(counts)


def decisions_on(warehouse: Warehouse, document_id: str) -> list[AuditRow]:
    """Every decision on one document, oldest first."""
    rows = warehouse.query(f"SELECT {_COLUMNS} FROM review_decisions FINAL WHERE document_id = {{id:String}} "
                           "ORDER BY decided_at, decision_id", {"id": document_id})
    return [_row(row) for row in rows]


def decisions_by_id(warehouse: Warehouse, ids: Sequence[str]) -> dict[str, AuditRow]:
    if not ids:
        return {}
    rows = warehouse.query(f"SELECT {_COLUMNS} FROM review_decisions FINAL WHERE decision_id IN {{ids:Array(String)}}",
                           {"ids": list(ids)})
    return {row["decision_id"]: _row(row) for row in rows}


def _row(row: dict[str, Any]) -> AuditRow:
    return AuditRow(decision_id=row["decision_id"], document_id=row["document_id"], reviewer=row["reviewer"],
                    verdict=row["verdict"], labels=list(row["labels"]), model_version=row["model_version"],
                    note=row["note"], decided_at=row["decided_at"])


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), timezone.utc)
