"""The JSON a page embeds for ``static/js/charts.js`` (in a ``data-chart`` attribute), which draws it
with the vendored ECharts. Times are milliseconds since the epoch (UTC); every clickable thing carries
where it leads: a series its ``/search`` query (the script adds the bucket's time), a bar or a node its
``href``.

    time   {"kind": "time", "measure", "step": hour|day|week, "range": [since, until], "search": "/search",
            "series": [{"name", "query", "data": [[t, value], ...]}],
            "lines": [{"at", "label"}], "areas": [{"from", "to", "label"}]}
    bars   {"kind": "bars", "categories": [...], "series": [{"name", "data": [{"value", "href"}, ...]}]}
    graph  {"kind": "graph", "groups": [...], "nodes": [{"id", "name", "value", "group", "href"}],
            "links": [{"source", "target", "value"}]}
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dashboards.filters import Filters
from dashboards.views.links import SEARCH
from dashboards.views.marks import Mark
from dashboards.views.series import Series

Chart = dict[str, Any]


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def time_chart(series: Sequence[Series], filters: Filters, marks: Sequence[Mark]) -> Chart:
    """Lines over time: flagged documents, or their share of all documents (``filters.measure``)."""
    share = filters.measure == "share"
    return {
        "kind": "time", "measure": filters.measure, "step": filters.granularity,
        "range": [millis(filters.since), millis(filters.until)], "search": SEARCH,
        "series": [{"name": s.name, "query": s.search,
                    "data": [[millis(p.bucket), p.share if share else p.flagged] for p in s.points]}
                   for s in series],
        "lines": [{"at": millis(m.start), "label": m.label} for m in marks if m.end is None],
        "areas": [{"from": millis(m.start), "to": millis(m.end), "label": m.label} for m in marks if m.end is not None],
    }


def bar_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[tuple[float, str]]]]) -> Chart:
    """Grouped bars: per series (name, [(value, href) per category])."""
    return {"kind": "bars", "categories": list(categories),
            "series": [{"name": name, "data": [{"value": value, "href": href} for value, href in values]}
                       for name, values in series]}


def graph_chart(groups: Sequence[str], nodes: Sequence[dict[str, Any]], links: Sequence[dict[str, Any]]) -> Chart:
    """A force-laid graph: ``nodes`` (id, name, value, group index, href) and directed ``links``."""
    return {"kind": "graph", "groups": list(groups), "nodes": list(nodes), "links": list(links)}
