"""The sources pages' queries: the registry, crawl health from ``crawl_runs``, and the sources that
documents link to or forward from (their ``links``, ``entities.invite_links`` and the Telegram
``forwarded_from`` kept in ``extra``). Activity and flagged share come from the overview's queries.

A link target is named by a *key*: ``t.me/<channel>`` (or ``t.me/+<invite>``) for Telegram, else the
host without ``www.``; a forward that names no URL keeps its name. A registered source has the key of
its URL (a Telegram source, of its channel), so a target whose key no registered source has is a
source the registry does not hold yet.
"""

from __future__ import annotations

from datetime import datetime

from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

_TELEGRAM = r"'(?i)^https?://(?:www\\.)?t(?:elegram)?\\.me/(?:s/)?((?:\\+|joinchat/)?[A-Za-z0-9_-]+)'"
_AT = "coalesce(published_at, fetched_at)"
_IN_RANGE = f"{_AT} >= {{since:DateTime64(3, 'UTC')}} AND {_AT} < {{until:DateTime64(3, 'UTC')}}"
_FORWARDED = "JSONExtractString(extra, 'forwarded_from')"
_HAS_INVITES = "position(entities, '\"invite_links\":[\"') > 0"  # parse the JSON only where there are some
_INVITES = f"if({_HAS_INVITES}, JSONExtract(entities, 'invite_links', 'Array(String)'), CAST([], 'Array(String)'))"


def link_key(url: str, names: bool = False) -> str:
    """SQL for the key of the URL expression ``url`` ('' when it is no http(s) URL, or, with
    ``names``, the trimmed text itself: a forward that names its origin without a link)."""
    other = f"trim({url})" if names else "''"
    return (f"multiIf(extract({url}, {_TELEGRAM}) != '', concat('t.me/', lower(extract({url}, {_TELEGRAM}))), "
            f"match({url}, '(?i)^https?://'), lower(domainWithoutWWW({url})), {other})")


SOURCE_KEY = ("if(kind = 'telegram' AND extract(url, '/s/([A-Za-z0-9_]+)') != '', "
              f"concat('t.me/', lower(extract(url, '/s/([A-Za-z0-9_]+)'))), {link_key('url')})")
_MAY_LINK = f"(notEmpty(links) OR {_HAS_INVITES} OR position(extra, 'forwarded_from') > 0)"
# Documents that link to, or were forwarded from, the target bound as {link:String} (the cheap test first).
LINKS_TO = (f"({_MAY_LINK} AND (has(arrayMap(u -> {link_key('u')}, arrayConcat(links, {_INVITES})), {{link:String}}) "
            f"OR {link_key(_FORWARDED, names=True)} = {{link:String}}))")


def registry(warehouse: Warehouse) -> list[Row]:
    """Every registered source (latest snapshot) with its key."""
    return warehouse.query(
        f"SELECT source_id, kind, url, enabled, interval_minutes, {SOURCE_KEY} AS key FROM sources FINAL "
        "ORDER BY source_id")


def crawl_health(warehouse: Warehouse, since: datetime, until: datetime, source: str = "") -> list[Row]:
    """Per source (or only ``source``): runs, failed runs, errors and skipped pages in [since, until);
    its last run (any time) with its status and error, and its last good crawl (any time; NULL when none)."""
    in_range = "started_at >= {since:DateTime64(3, 'UTC')} AND started_at < {until:DateTime64(3, 'UTC')}"
    return warehouse.query(
        f"SELECT source_id, countIf({in_range}) AS runs, countIf(status != 'ok' AND {in_range}) AS failed, "
        f"sumIf(errors, {in_range}) AS errors, "
        f"sum(if({in_range}, arraySum(mapValues(JSONExtract(stats, 'skipped', 'Map(String, Int64)'))), 0)) "
        "AS skipped, "  # if() evaluates the JSON of the range's runs only
        "max(started_at) AS last_run, argMax(status, started_at) AS last_status, "
        "argMax(error, started_at) AS last_error, maxIf(finished_at, status = 'ok') AS last_good "
        "FROM crawl_runs FINAL WHERE {source:String} = '' OR source_id = {source:String} GROUP BY source_id "
        "ORDER BY source_id", dict(since=since, until=until, source=source))


def recent_runs(warehouse: Warehouse, source_id: str, limit: int = 20) -> list[Row]:
    """The source's latest crawl runs, newest first, with the pages each skipped."""
    return warehouse.query(
        "SELECT run_id, started_at, finished_at, status, crawled, published, dropped, errors, error, "
        "arraySum(mapValues(JSONExtract(stats, 'skipped', 'Map(String, Int64)'))) AS skipped "
        "FROM crawl_runs FINAL WHERE source_id = {source:String} ORDER BY started_at DESC LIMIT {limit:UInt32}",
        dict(source=source_id, limit=limit))


def link_edges(warehouse: Warehouse, since: datetime, until: datetime, *, source: str = "", target: str = "",
               limit: int = 500) -> list[Row]:
    """(source_id, target, kind, documents): how many documents of a source published in [since, until)
    link to (``link``) or were forwarded from (``forward``) a target key, most first. With ``source``
    and/or ``target``: only the edges from ``source`` or to ``target`` (one scan for a source's page).
    Counted without reading the ids (the costly column): a document fetched again counts twice until
    the warehouse merges its versions."""
    scope = f"{_IN_RANGE} AND ({{source:String}} = '' OR {{target:String}} != '' OR source_id = {{source:String}})"
    return warehouse.query(
        "SELECT source_id, target, kind, count() AS documents FROM ("
        f" SELECT source_id, arrayJoin(arrayDistinct(arrayMap(u -> {link_key('u')}, "
        f"  arrayConcat(links, {_INVITES})))) AS target, 'link' AS kind FROM documents "
        f"  WHERE {scope} AND (notEmpty(links) OR {_HAS_INVITES})"
        " UNION ALL"
        f" SELECT source_id, {link_key(_FORWARDED, names=True)} AS target, 'forward' AS kind FROM documents "
        f"  WHERE {scope} AND position(extra, 'forwarded_from') > 0"
        ") WHERE target != '' AND (({source:String} = '' AND {target:String} = '') OR source_id = {source:String} "
        "OR target = {target:String}) "
        "GROUP BY source_id, target, kind ORDER BY documents DESC, source_id, target LIMIT {limit:UInt32}",
        dict(since=since, until=until, source=source, target=target, limit=limit))


def known_source(warehouse: Warehouse, source_id: str) -> bool:
    """Whether the registry, a crawl run or the counts know ``source_id``."""
    return bool(warehouse.scalar(
        "SELECT (SELECT count() FROM sources WHERE source_id = {source:String}) "
        "+ (SELECT count() FROM crawl_runs WHERE source_id = {source:String}) "
        "+ (SELECT count() FROM (SELECT 1 FROM counts_daily WHERE category = 'any' "
        "AND source_id = {source:String} LIMIT 1))", dict(source=source_id)))
