"""What a trend chart marks, so that a change in the numbers is not read as a change in the world:

- where a model version's counts begin (series never mix model versions, so another model's numbers
  start from zero) and where a model was promoted (``model_decisions``);
- the hours the reconciliation found incomplete (something crawled was not stored or not classified),
  merged into spans, so that a lost batch is not read as a quiet hour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from dashboards.filters import Filters
from dashboards.i18n import N_
from dashboards.queries import markers
from dashboards.queries.sql import as_datetime
from dashboards.views.labels import Labels
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

HOUR = timedelta(hours=1)
MODEL_STARTS = N_("Model %(model)s begins")
PROMOTED = N_("Model %(model)s promoted")
INCOMPLETE = N_("Incomplete data")


@dataclass(frozen=True)
class Mark:
    kind: Literal["model", "promotion", "incomplete", "alert"]
    start: datetime
    end: datetime | None  # the end of a span (incomplete data, an alert's window); None for a moment
    label: str  # translated
    detail: str  # the promotion's reason, or the reconciliation's reasons


def chart_marks(warehouse: Warehouse, filters: Filters, spans: Sequence[Row], labels: Labels) -> list[Mark]:
    """Model beginnings and promotions, then incomplete spans, within the range."""
    found = [Mark("model", start, None, labels.gettext(MODEL_STARTS) % {"model": span["model_version"]}, "")
             for span in spans[1:] if filters.since < (start := as_datetime(span["first_day"])) < filters.until]
    found += [Mark("promotion", as_datetime(row["decided_at"]), None,
                   labels.gettext(PROMOTED) % {"model": row["candidate_version"]}, row["reason"])
              for row in markers.promotions(warehouse, filters.since, filters.until)]
    found.sort(key=lambda mark: mark.start)
    return found + incomplete_spans(markers.incomplete_hours(warehouse, filters.since, filters.until), labels)


def incomplete_spans(hours: Sequence[Row], labels: Labels) -> list[Mark]:
    """Consecutive incomplete hours merged into one span each, with their distinct reasons."""
    spans: list[tuple[datetime, datetime, list[str]]] = []
    for row in hours:
        start = as_datetime(row["window_start"])
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], start + HOUR, spans[-1][2] + list(row["reasons"]))
        else:
            spans.append((start, start + HOUR, list(row["reasons"])))
    return [Mark("incomplete", start, end, labels.gettext(INCOMPLETE),
                 "; ".join(dict.fromkeys(r for r in reasons if r)))
            for start, end, reasons in spans]
