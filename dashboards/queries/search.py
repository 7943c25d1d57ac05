"""Documents matching the filters and a text: the search page, a source's documents and the document
exports. The aggregates hold no documents, so this reads the tables that do, as narrowly as it can:

- a search by category alone (no text, no link) reads ``classification_events``, partitioned by the
  documents' time and carrying their source and language: a document matches while its current events
  by the chosen model carry the label (retractions carry the labels they retract), so its count is the
  charts';
- any other reads ``documents``, pruned by the time range's monthly partitions. Its rows are ordered by
  id, not time, so reading ids is what costs. A list by time, source or language takes its count from
  ``counts_hourly`` (the documents the model classified, as the charts count them), and the time of its
  newest matches from there too while few documents share their hour (else exactly, from the time
  columns); a range off the hour, or one the model has no counts for, is counted from the time columns.
  Then it reads only the rows from that time on. A search by text or link, whose scan costs and whose
  matches are few, lists its newest :data:`LIMIT` matches in one pass and counts those;
- no ``FINAL``, which would merge every part on read: a document fetched again with new content has two
  versions until the warehouse merges them; a list shows it once, in its latest version (a count from
  the time columns may include it twice meanwhile);
- the text matches when every term occurs in the title or in the text (case-insensitive, UTF-8:
  ``positionCaseInsensitiveUTF8``, the longest term first, so a document is searched for the others
  only while it holds the longest); each term is bound;
- only the listed rows are read whole (their labels: the latest classification by the model).

At most the newest :data:`LIMIT` matches can be listed. WHERE clauses are put together from constant
fragments for the filters that are set; every value is bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from dashboards.filters import Filters
from dashboards.queries.sources import LINKS_TO
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

LIMIT = 10_000
FLOOR_SPARE = 4  # a list reads from an hour of the counts while that holds at most this many times its rows
EXCERPT_BEFORE, EXCERPT_LENGTH = 120, 360
_AT = "coalesce(published_at, fetched_at)"
_TIME = "DateTime64(3, 'UTC')"
_TITLE = "ifNull(title, '')"


def _text_match(count: int) -> str:
    """Every one of ``count`` terms (bound as ``term0``…, longest first) in the text, or every one in the title:
    a chain of ``positionCaseInsensitiveUTF8`` joined by AND, which ClickHouse cuts short at the first term a
    document lacks, so the longest (the likeliest to be rare) is the only one most documents are searched for.
    On 3M synthetic texts it took half the time of ``multiSearchAllPositionsCaseInsensitiveUTF8``, which looks
    for every term in every document."""
    def every(field: str) -> str:
        return " AND ".join(f"positionCaseInsensitiveUTF8({field}, {{term{i}:String}}) > 0" for i in range(count))
    return f"(({every('text')}) OR ({every(_TITLE)}))"


_LABELLED = "if({category:String} = 'any', length(labels) > 0, has(labels, {category:String}))"
_NEWEST = "groupArraySorted({k:UInt32})"
_POSITION = "toInt64(positionCaseInsensitiveUTF8(text, {first:String}))"
_DETAILS = (f"id, url, title, source_id, language, "
            f"substringUTF8(text, greatest(1, {_POSITION} - {EXCERPT_BEFORE}), {EXCERPT_LENGTH}) AS excerpt, "
            f"greatest(1, {_POSITION} - {EXCERPT_BEFORE}) AS start, lengthUTF8(text) AS length")


def _events(scope: str = "") -> str:
    """The documents whose current events by the model carry the category, with their time, in scope."""
    return ("SELECT document_id AS id, max(event_at) AS at FROM classification_events "
            f"WHERE model_version = {{model:String}} AND event_at >= {{since:{_TIME}}} "
            f"AND event_at < {{until:{_TIME}}} "
            f"AND {_LABELLED}{scope} GROUP BY document_id HAVING sum(sign) > 0")


@dataclass(frozen=True)
class DocumentSearch:
    """What to find: the filters (``model`` resolved), the text's terms, a link target's key."""

    filters: Filters
    model: str
    terms: tuple[str, ...] = ()
    link: str = ""

    @property
    def selective(self) -> bool:
        """Whether it scans text or links (a costly scan, few matches: listed in one pass)."""
        return bool(self.terms or self.link)

    def scope(self) -> str:
        """The source and language conditions that are set (the same columns in both tables)."""
        f = self.filters
        return "".join([" AND source_id = {source:String}" if f.source else "",
                        " AND language = {language:String}" if f.language else ""])

    def where(self) -> str:
        """The ``documents`` conditions."""
        conditions = [f"{_AT} >= {{since:{_TIME}}}", f"{_AT} < {{until:{_TIME}}}"]
        conditions += [_text_match(len(self.terms))] if self.terms else []
        conditions += [LINKS_TO] if self.link else []
        conditions += [f"id IN (SELECT id FROM ({_events()}))"] if self.filters.category else []
        return " AND ".join(conditions) + self.scope()

    def params(self, **extra: Any) -> dict[str, Any]:
        f = self.filters
        return dict(since=f.since, until=f.until, source=f.source, language=f.language, model=self.model,
                    category=f.category, link=self.link,
                    **{f"term{i}": term for i, term in enumerate(sorted(self.terms, key=len, reverse=True))},
                    first=self.terms[0] if self.terms else "", **extra)


@dataclass(frozen=True)
class Found:
    total: int  # every match (a text or link search: those listed, at most LIMIT)
    documents: list[Row]  # the asked-for slice, newest first, each once: its latest version, with an excerpt


def find(warehouse: Warehouse, search: DocumentSearch, offset: int, limit: int) -> Found:
    """The matches ``offset`` to ``offset + limit`` (newest first; at most :data:`LIMIT` deep), each with
    an excerpt of its text around the first term (``excerpt``, from character ``start`` of ``length``),
    and the total."""
    k = min(offset + limit, LIMIT)
    if search.selective:
        ids = [row["id"] for row in _newest(warehouse, search, LIMIT, "id")]
        return Found(len(ids), _by_id(warehouse, search, ids[offset:k]))
    if search.filters.category:
        row = warehouse.query(f"SELECT count() AS total, {_NEWEST}((-toUnixTimestamp64Milli(at), id)) AS newest "
                              f"FROM ({_events(search.scope())})", search.params(k=k))[0]
        return Found(int(row["total"]), _by_id(warehouse, search, [i for _, i in row["newest"]][offset:k]))
    hours = _counted_hours(warehouse, search)
    total = sum(documents for _, documents in hours)
    # The newest k are no older than the hour from which k documents are counted; when that hour holds
    # many more (a busy list), the times of the newest k are found exactly instead.
    floor = next(((hour, running) for hour, running in _running(hours) if running >= k), None)
    if total and (floor is None or floor[1] <= FLOOR_SPARE * k):
        oldest: datetime | None = floor[0] if floor else search.filters.since
    else:
        row = warehouse.query(f"SELECT count() AS total, {_NEWEST}(-toUnixTimestamp64Milli({_AT})) AS newest "
                              f"FROM documents WHERE {search.where()}", search.params(k=k))[0]
        total = total or int(row["total"])
        oldest = datetime.fromtimestamp(-row["newest"][-1] / 1000, timezone.utc) if row["newest"] else None
    if offset >= min(total, k) or oldest is None:
        return Found(total, [])
    return Found(total, _newest(warehouse, search, k, _DETAILS, oldest)[offset:k])


def _counted_hours(warehouse: Warehouse, search: DocumentSearch) -> list[tuple[datetime, int]]:
    """(hour, documents) newest first, from ``counts_hourly``: what the model classified in the range, in
    scope; none when there is no model or the range does not fall on whole hours."""
    f = search.filters
    if not search.model or not all(m == m.replace(minute=0, second=0, microsecond=0) for m in (f.since, f.until)):
        return []
    rows = warehouse.query(
        "SELECT hour, sum(documents) AS documents FROM counts_hourly WHERE model_version = {model:String} "
        f"AND category = 'any' AND hour >= {{since:{_TIME}}} AND hour < {{until:{_TIME}}}{search.scope()} "
        "GROUP BY hour HAVING documents > 0 ORDER BY hour DESC", search.params())
    return [(row["hour"], int(row["documents"])) for row in rows]


def _running(hours: list[tuple[datetime, int]]) -> list[tuple[datetime, int]]:
    """Each hour with the documents counted from it to the end of the range."""
    found, running = [], 0
    for hour, documents in hours:
        running += documents
        found.append((hour, running))
    return found


def labels(warehouse: Warehouse, ids: list[str], model: str) -> dict[str, list[str]]:
    """The labels of each of ``ids`` in its latest classification by ``model`` (none when unclassified)."""
    latest: dict[str, Row] = {}
    for row in warehouse.query("SELECT document_id, labels, classified_at FROM classifications "
                               "WHERE document_id IN {ids:Array(String)} AND model_version = {model:String}",
                               dict(ids=ids, model=model)) if ids else []:
        if row["document_id"] not in latest or row["classified_at"] > latest[row["document_id"]]["classified_at"]:
            latest[row["document_id"]] = row
    return {i: list(row["labels"]) for i, row in latest.items()}


def _newest(warehouse: Warehouse, search: DocumentSearch, k: int, columns: str,
            oldest: datetime | None = None) -> list[Row]:
    """``columns`` of the ``k`` newest matches, each once (none older than ``oldest``, which spares
    reading the rest of the rows)."""
    floor, bound = (f" AND {_AT} >= {{oldest:{_TIME}}}", {"oldest": oldest}) if oldest else ("", {})
    return _once(warehouse.query(
        f"SELECT {columns}, {_AT} AS at, fetched_at FROM documents WHERE {search.where()}{floor} "
        "ORDER BY at DESC, id, fetched_at DESC LIMIT {k:UInt32}", search.params(k=k, **bound)))


def _by_id(warehouse: Warehouse, search: DocumentSearch, ids: list[str]) -> list[Row]:
    """The documents ``ids``, in that order, with their excerpts."""
    if not ids:
        return []
    rows = _once(warehouse.query(f"SELECT {_DETAILS}, {_AT} AS at, fetched_at FROM documents "
                                 "WHERE id IN {ids:Array(String)} ORDER BY fetched_at DESC",
                                 search.params(ids=ids)))
    found = {row["id"]: row for row in rows}
    return [found[i] for i in ids if i in found]


def _once(rows: list[Row]) -> list[Row]:
    """The first row of each id (rows come latest version first)."""
    seen: dict[str, Row] = {}
    for row in rows:
        seen.setdefault(row["id"], row)
    return list(seen.values())
