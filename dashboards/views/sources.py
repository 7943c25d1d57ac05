"""The sources page (``/sources``): every source's activity, flagged share and crawl health, the
sources that documents link to or forward from which the registry does not hold yet, and a graph of
who links to whom. :class:`SourceList` is also the API's answer; ``views.source`` is one source's page.

Health: ``failing`` when the last run failed; ``stale`` when the last good crawl is older than three
crawl intervals; ``never`` when a registered source has no good crawl; ``unregistered`` for a source
known only from its documents; else ``ok``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from dashboards.filters import Filters
from dashboards.i18n import N_
from dashboards.queries import overview as trend_queries
from dashboards.queries import sources as queries
from dashboards.queries.sql import as_datetime
from dashboards.review.wellbeing import leave_href
from dashboards.views.change import Change, change, share
from dashboards.views.charts import Chart, graph_chart
from dashboards.views.filter_form import FilterForm, Scope, filter_form, read_scope
from dashboards.views.labels import Labels
from dashboards.views.links import Download, downloads, search_url
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

HEALTH_LABELS = {"ok": N_("OK"), "failing": N_("Failing"), "stale": N_("Stale"), "never": N_("Never crawled"),
                 "unregistered": N_("Not in the registry")}
LINK_KINDS = {"link": N_("links to"), "forward": N_("forwarded from")}
GROUPS = (N_("Registered source"), N_("Not in the registry"))
STALE_INTERVALS = 3
ALL_SOURCES = 100_000
GRAPH_UNREGISTERED = 40  # discovered sources drawn in the graph, the most linked first


@dataclass(frozen=True)
class SourceRow:
    source_id: str
    href: str  # its page
    kind: str
    url: str  # shown as text
    leave_href: str | None  # the warning page before opening it; None unless it is http(s)
    registered: bool
    enabled: bool
    documents: int  # classified, in the range
    flagged: Change  # before: the period before; after: the range
    share: float | None
    flagged_href: str
    runs: int  # in the range
    failed: int
    errors: int
    skipped: int  # pages
    last_run: datetime | None
    last_status: str
    last_error: str
    last_good: datetime | None
    health: str
    health_label: str  # translated


@dataclass(frozen=True)
class DiscoveredRow:
    """A link or forward target no registered source has the key of."""

    key: str
    documents: int  # distinct documents linking to it or forwarded from it
    sources: list[str]  # the sources those documents come from
    kinds: list[str]  # translated: links to, forwarded from
    href: str  # those documents


@dataclass(frozen=True)
class SourceList:
    filters: Filters
    model: str
    sources: list[SourceRow]
    discovered: list[DiscoveredRow]


@dataclass(frozen=True)
class SourcesView:
    sources: SourceList
    form: FilterForm
    graph: Chart
    downloads: dict[str, list[Download]]


def source_list(warehouse: Warehouse, filters: Filters, scope: Scope, labels: Labels,
                now: datetime | None = None) -> SourceList:
    """Every source the registry, the crawl runs or the counts know, most flagged first."""
    return _read(warehouse, filters, scope, labels, now)[0]


def _read(warehouse: Warehouse, filters: Filters, scope: Scope, labels: Labels,
          now: datetime | None = None) -> tuple[SourceList, dict[str, Row], list[Row]]:
    """The source list, the registry (by id) and the link edges of the range."""
    registry = {row["source_id"]: row for row in queries.registry(warehouse)}
    health = {row["source_id"]: row for row in queries.crawl_health(warehouse, filters.since, filters.until)}
    activity = {row["key"]: row for row in trend_queries.top(warehouse, filters, scope.model, "source", ALL_SOURCES)
                } if scope.model else {}
    moment = now or datetime.now(timezone.utc)
    rows = [source_row(i, registry.get(i), health.get(i), activity.get(i), filters, scope.model, labels, moment)
            for i in sorted(set(registry) | set(health) | set(activity))]
    rows.sort(key=lambda r: (-r.flagged.after, -r.documents, r.source_id))
    edges = queries.link_edges(warehouse, filters.since, filters.until)
    found = SourceList(filters, scope.model, rows, discovered(edges, registry, filters, scope.model, labels))
    return found, registry, edges


def source_row(source_id: str, registered: Row | None, health: Row | None, activity: Row | None, filters: Filters,
               model: str, labels: Labels, now: datetime) -> SourceRow:
    documents = int(activity["total"]) if activity else 0
    flagged = change(int(activity["previous"]), int(activity["current"])) if activity else change(0, 0)
    last_good = as_datetime(health["last_good"]) if health and health["last_good"] else None
    state = _health(registered, health, last_good, now)
    url = registered["url"] if registered else ""
    return SourceRow(
        source_id=source_id, href=source_href(source_id),
        kind=registered["kind"] if registered else "", url=url, leave_href=leave_href(url),
        registered=registered is not None, enabled=bool(registered and registered["enabled"]),
        documents=documents, flagged=flagged, share=share(flagged.after, documents),
        flagged_href=search_url(filters, model, source=source_id, category=filters.flagged_category),
        runs=int(health["runs"]) if health else 0, failed=int(health["failed"]) if health else 0,
        errors=int(health["errors"]) if health else 0, skipped=int(health["skipped"]) if health else 0,
        last_run=as_datetime(health["last_run"]) if health else None,
        last_status=health["last_status"] if health else "", last_error=health["last_error"] if health else "",
        last_good=last_good, health=state, health_label=labels.gettext(HEALTH_LABELS[state]),
    )


def _health(registered: Row | None, health: Row | None, last_good: datetime | None, now: datetime) -> str:
    if registered is None:
        return "unregistered"
    if health and health["last_status"] != "ok":
        return "failing"
    if last_good is None:
        return "never"
    interval = timedelta(minutes=int(registered["interval_minutes"] or 60))
    return "stale" if now - last_good > STALE_INTERVALS * interval else "ok"


def registered_by_key(registry: dict[str, Row]) -> dict[str, str]:
    return {row["key"]: source_id for source_id, row in registry.items() if row["key"]}


def discovered(edges: Sequence[Row], registry: dict[str, Row], filters: Filters, model: str,
               labels: Labels) -> list[DiscoveredRow]:
    """The targets of ``edges`` that no registered source has the key of, most documents first."""
    known = registered_by_key(registry)
    documents: dict[str, int] = defaultdict(int)
    sources: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge["target"] in known:
            continue
        documents[edge["target"]] += int(edge["documents"])
        sources[edge["target"]].add(edge["source_id"])
        kinds[edge["target"]].add(edge["kind"])
    everything = filters.with_(category="", source="", language="")
    return [DiscoveredRow(key, count, sorted(sources[key]), [labels.gettext(LINK_KINDS[k]) for k in sorted(kinds[key])],
                          search_url(everything, model, link=key))
            for key, count in sorted(documents.items(), key=lambda item: (-item[1], item[0]))]


def link_graph(found: SourceList, edges: Sequence[Row], registry: dict[str, Row], labels: Labels) -> Chart:
    """Who links to or forwards whom: registered sources, and the most linked sources not registered."""
    known = registered_by_key(registry)
    drawn = {row.key for row in found.discovered[:GRAPH_UNREGISTERED]}
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for edge in edges:
        target = known.get(edge["target"], edge["target"])
        if target != edge["source_id"] and (target in registry or target in drawn):
            weights[(edge["source_id"], target)] += int(edge["documents"])
    ends = sorted({end for pair in weights for end in pair})
    sizes = {row.source_id: (row.documents, row.href) for row in found.sources}
    sizes |= {row.key: (row.documents, row.href) for row in found.discovered}
    nodes = [{"id": end, "name": end, "value": sizes.get(end, (0, ""))[0], "group": 0 if end in registry else 1,
              "href": sizes.get(end, (0, source_href(end)))[1]} for end in ends]
    return graph_chart([labels.gettext(g) for g in GROUPS], nodes,
                       [{"source": a, "target": b, "value": w} for (a, b), w in sorted(weights.items())])


def sources_view(warehouse: Warehouse, filters: Filters, labels: Labels, query: dict[str, str]) -> SourcesView:
    scope = read_scope(warehouse, filters)
    found, registry, edges = _read(warehouse, filters, scope, labels)
    return SourcesView(found, filter_form(filters, scope, labels, series=False),
                       link_graph(found, edges, registry, labels),
                       {name: downloads(name, query) for name in ("sources", "discovered-sources")})


def source_href(source_id: str) -> str:
    """A source's page."""
    return f"/sources/{quote(source_id, safe='')}"
