"""The migrations rendered for a ClickHouse cluster: one SQL source, two forms.

With ``warehouse.cluster`` set, :func:`render` turns each statement of a migration into its
cluster form, and the runner (:mod:`vigil.warehouse.migrate`) applies that instead:

- ``CREATE TABLE t (...) ENGINE = XMergeTree(args) ...`` becomes ``t_local``, created ``ON CLUSTER``
  with ``ReplicatedXMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', args)``,
  and a ``Distributed`` table under the name ``t`` in front of it, so every query and insert keeps
  the name it has. Rows are sharded by the document id's hash where the table has one
  (``document_id``; ``documents`` is keyed by its ``id``), so a document, its classifications,
  events and decisions live on one shard and ``FINAL`` collapses their duplicates there; other
  tables that collapse rows by their sorting key (Replacing, Aggregating, ...) shard by that key's
  hash, and the rest at random (``rand()``).
- ``CREATE MATERIALIZED VIEW v TO t AS SELECT ... FROM s`` runs on every node, from ``s_local`` into
  ``t_local``: each shard folds its own rows. ``ALTER TABLE v MODIFY QUERY SELECT ... FROM s`` (a view's new
  query) likewise goes ``ON CLUSTER`` and reads ``s_local``.
- ``ALTER TABLE t`` changes ``t_local`` ``ON CLUSTER``; column changes (not a codec) go to the ``Distributed`` ``t``
  as well. ``DROP TABLE t`` drops both; ``TRUNCATE``/``OPTIMIZE`` act on ``t_local``. Views and
  ``DROP VIEW`` just gain ``ON CLUSTER``; ``INSERT`` goes through the ``Distributed`` table unchanged.
- Tables in ``everywhere`` (the ledger ``schema_migrations``) are one replicated table holding every
  row on every node, under their own name, with no ``Distributed`` table.
- The database itself is created ``ON CLUSTER`` first (:func:`database_ddl`).

Anything else is refused (:class:`ClusterRenderError`), so a migration the renderer does not
understand fails its test rather than a deployment. :func:`render` is pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LOCAL_SUFFIX = "_local"
REPLICA_PATH = "/clickhouse/tables/{shard}/{database}/{table}"
REPLICA_NAME = "{replica}"
# A table on every node: one ZooKeeper path for the whole cluster, a replica name unique in it.
EVERYWHERE_PATH = "/clickhouse/tables/all/{database}/{table}"
EVERYWHERE_REPLICA = "{shard}-{replica}"
EVERYWHERE = frozenset({"schema_migrations"})
# Engines whose rows with one sorting key are folded together: their shards must not split a key.
_FOLDING = ("Replacing", "Collapsing", "VersionedCollapsing", "Aggregating", "Summing", "Coalescing", "Graphite")
# The document id column, where a table's is not called document_id.
DOCUMENT_ID_COLUMNS = {"documents": "id"}
_COLUMN_COMMAND = re.compile(r"^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b", re.IGNORECASE)
# A column's compression: storage of the local tables only, nothing a Distributed table holds.
_CODEC_ONLY = re.compile(r"^MODIFY\s+COLUMN\s+[A-Za-z_][A-Za-z0-9_]*\s+CODEC\s*\(", re.IGNORECASE)
_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_INE = r"(IF\s+NOT\s+EXISTS\s+)?"
_CREATE_TABLE = re.compile(rf"^CREATE\s+TABLE\s+{_INE}{_NAME}\s*\(", re.IGNORECASE)
_CREATE_MV = re.compile(rf"^CREATE\s+MATERIALIZED\s+VIEW\s+{_INE}{_NAME}\s+TO\s+{_NAME}\s+AS\s+", re.IGNORECASE)
_CREATE_VIEW = re.compile(rf"^CREATE\s+(OR\s+REPLACE\s+)?VIEW\s+{_INE}{_NAME}\s+AS\s+", re.IGNORECASE)
_ALTER = re.compile(rf"^ALTER\s+TABLE\s+{_NAME}\s+", re.IGNORECASE)
_MODIFY_QUERY = re.compile(r"^MODIFY\s+QUERY\s+", re.IGNORECASE)
_DROP = re.compile(rf"^DROP\s+(TABLE|VIEW)\s+(IF\s+EXISTS\s+)?{_NAME}\b", re.IGNORECASE)
_LOCAL_ONLY = re.compile(rf"^(TRUNCATE\s+TABLE|OPTIMIZE\s+TABLE)\s+(IF\s+EXISTS\s+)?{_NAME}\b", re.IGNORECASE)
_INSERT = re.compile(r"^INSERT\s+INTO\s+", re.IGNORECASE)
_ENGINE = re.compile(r"^\s*ENGINE\s*=\s*([A-Za-z]+)", re.IGNORECASE)
_CLAUSE = re.compile(r"(PARTITION\s+BY|ORDER\s+BY|PRIMARY\s+KEY|SAMPLE\s+BY|TTL|SETTINGS|COMMENT)\b", re.IGNORECASE)
_SOURCE = re.compile(rf"\b(ARRAY\s+)?(FROM|JOIN)\s+{_NAME}\b(?!\s*[(.])", re.IGNORECASE)


class ClusterRenderError(ValueError):
    """A statement the cluster renderer does not know how to distribute."""


@dataclass(frozen=True)
class Cluster:
    """Where cluster statements go: the cluster's name (or a macro such as ``{cluster}``) and the database."""

    name: str
    database: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_{}.-]+", self.name):
            raise ClusterRenderError(f"refusing cluster name {self.name!r}")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.database):
            raise ClusterRenderError(f"refusing database name {self.database!r}")

    @property
    def on(self) -> str:
        return f"ON CLUSTER '{self.name}'"


def local_name(table: str) -> str:
    return table + LOCAL_SUFFIX


def stored_table(table: str, cluster: str | None) -> str:
    """Where ``table``'s rows are stored: itself, or on a cluster its ``_local`` table (behind the Distributed one)."""
    return local_name(table) if cluster else table


def mutation_target(table: str, cluster: str | None) -> str:
    """The target of a mutation (``DELETE FROM``, ``ALTER TABLE … UPDATE`` / ``MODIFY TTL``) on ``table``.

    A Distributed table takes no mutations: on a cluster they go to every node's ``_local`` table ON CLUSTER.
    """
    if not cluster:
        return table
    Cluster(cluster, "default")  # validates the name
    return f"{local_name(table)} ON CLUSTER '{cluster}'"


def database_ddl(cluster: Cluster) -> str:
    """The database on every node, before any table (a server creates it only where the client connects)."""
    return f"CREATE DATABASE IF NOT EXISTS {cluster.database} {cluster.on}"


def render(statement: str, cluster: Cluster, everywhere: Iterable[str] = EVERYWHERE) -> list[str]:
    """The cluster form of one statement (one or two statements, applied in order)."""
    sql = statement.strip().rstrip(";").strip()
    everywhere = frozenset(everywhere)
    if match := _CREATE_TABLE.match(sql):
        return _create_table(sql, match, cluster, everywhere)
    if match := _CREATE_MV.match(sql):
        ine, name, target = match.group(1) or "", match.group(2), match.group(3)
        select = _view_select(name, sql[match.end():], everywhere)
        return [f"CREATE MATERIALIZED VIEW {ine}{name} {cluster.on} TO {_local(target, everywhere)} AS\n{select}"]
    if match := _CREATE_VIEW.match(sql):
        return [f"{sql[:match.end(3)]} {cluster.on} AS\n{sql[match.end():]}"]
    if (match := _ALTER.match(sql)) and (query := _MODIFY_QUERY.match(sql[match.end():])):
        name = match.group(1)
        select = _view_select(name, sql[match.end() + query.end():], everywhere)
        return [f"ALTER TABLE {name} {cluster.on} MODIFY QUERY\n{select}"]
    if match := _ALTER.match(sql):
        return _alter(match.group(1), sql[match.end():], cluster, everywhere)
    if match := _DROP.match(sql):
        kind, exists, name = match.group(1).upper(), match.group(2) or "", match.group(3)
        rest = sql[match.end():]
        if kind == "VIEW" or name in everywhere:
            return [f"DROP {kind} {exists}{name} {cluster.on}{rest}"]
        return [f"DROP TABLE {exists}{name} {cluster.on}{rest}",
                f"DROP TABLE IF EXISTS {local_name(name)} {cluster.on}{rest}"]
    if match := _LOCAL_ONLY.match(sql):
        verb, exists, name = " ".join(match.group(1).upper().split()), match.group(2) or "", match.group(3)
        return [f"{verb} {exists}{_local(name, everywhere)} {cluster.on}{sql[match.end():]}"]
    if _INSERT.match(sql):
        return [sql]
    raise ClusterRenderError(f"no cluster form for: {sql[:80]}")


def render_all(statements: Iterable[str], cluster: Cluster, everywhere: Iterable[str] = EVERYWHERE) -> list[str]:
    """The cluster form of a migration's statements, in order."""
    return [out for statement in statements for out in render(statement, cluster, everywhere)]


def _view_select(name: str, select: str, everywhere: frozenset[str]) -> str:
    """A materialized view's query reading every source from its ``_local`` table on the node."""
    if re.search(r"\b(FROM|JOIN)\s+[A-Za-z_][A-Za-z0-9_]*\.", select, re.IGNORECASE):
        raise ClusterRenderError(f"materialized view {name}: name its sources without a database")
    return _SOURCE.sub(lambda m: _source(m, everywhere), select)


def _source(match: re.Match, everywhere: frozenset[str]) -> str:
    """A view's ``FROM t`` or ``JOIN t`` read from ``t_local`` (an ``ARRAY JOIN`` names a column)."""
    if match.group(1):
        return match.group(0)
    return f"{match.group(2)} {_local(match.group(3), everywhere)}"


def _local(name: str, everywhere: frozenset[str]) -> str:
    return name if name in everywhere else local_name(name)


def _create_table(sql: str, match: re.Match, cluster: Cluster, everywhere: frozenset[str]) -> list[str]:
    ine, name = match.group(1) or "", match.group(2)
    open_at = match.end() - 1
    close_at = _closing(sql, open_at)
    columns = sql[open_at + 1:close_at]
    rest = sql[close_at + 1:]
    engine_match = _ENGINE.match(rest)
    if not engine_match:
        raise ClusterRenderError(f"CREATE TABLE {name}: no ENGINE clause")
    engine = engine_match.group(1)
    after_engine = rest[engine_match.end():]
    args = ""
    if after_engine.lstrip(" ").startswith("("):
        after_engine = after_engine.lstrip(" ")
        end = _closing(after_engine, 0)
        args, after_engine = after_engine[1:end].strip(), after_engine[end + 1:]
    if not engine.endswith("MergeTree") or engine.startswith("Replicated"):
        raise ClusterRenderError(f"CREATE TABLE {name}: engine {engine} has no Replicated form to render")
    path, replica = (EVERYWHERE_PATH, EVERYWHERE_REPLICA) if name in everywhere else (REPLICA_PATH, REPLICA_NAME)
    replicated = f"Replicated{engine}('{path}', '{replica}'" + (f", {args})" if args else ")")
    if name in everywhere:
        return [f"CREATE TABLE {ine}{name} {cluster.on}\n({columns})\nENGINE = {replicated}{after_engine}"]
    local = local_name(name)
    key = sharding_key(name, _column_names(columns), engine, _sorting_key(after_engine))
    return [
        f"CREATE TABLE {ine}{local} {cluster.on}\n({columns})\nENGINE = {replicated}{after_engine}",
        f"CREATE TABLE {ine}{name} {cluster.on} AS {local}\n"
        f"ENGINE = Distributed('{cluster.name}', '{cluster.database}', '{local}', {key})",
    ]


def sharding_key(table: str, columns: list[str], engine: str, sorting_key: list[str]) -> str:
    """How a table's Distributed front spreads its rows over the shards (see the module's text)."""
    document_id = DOCUMENT_ID_COLUMNS.get(table, "document_id")
    if document_id in columns:
        return f"cityHash64({document_id})"
    if engine.removesuffix("MergeTree") in _FOLDING and sorting_key:
        return f"cityHash64({', '.join(sorting_key)})"
    return "rand()"


def _alter(name: str, commands_sql: str, cluster: Cluster, everywhere: frozenset[str]) -> list[str]:
    commands = [part.strip() for part in _split_top(commands_sql, ",") if part.strip()]
    if not commands:
        raise ClusterRenderError(f"ALTER TABLE {name}: no command")
    if name in everywhere:
        return [f"ALTER TABLE {name} {cluster.on} {', '.join(commands)}"]
    out = [f"ALTER TABLE {local_name(name)} {cluster.on} {', '.join(commands)}"]
    columns = [c for c in commands if _COLUMN_COMMAND.match(c) and not _CODEC_ONLY.match(c)]
    if columns:
        out.append(f"ALTER TABLE {name} {cluster.on} {', '.join(columns)}")
    return out


def _column_names(columns: str) -> list[str]:
    names = []
    for item in _split_top(columns, ","):
        first = item.strip().split(None, 1)[0] if item.strip() else ""
        if first.upper() in {"INDEX", "PROJECTION", "CONSTRAINT", "PRIMARY"}:
            continue
        names.append(first.strip("`\""))
    return names


def _sorting_key(clauses: str) -> list[str]:
    """The ORDER BY expressions of a CREATE TABLE's clauses after the engine (empty: tuple())."""
    found = _top_level_clauses(clauses)
    key = found.get("ORDER BY", "").strip()
    if key.startswith("(") and _closing(key, 0) == len(key) - 1:
        key = key[1:-1]
    if key.replace(" ", "").lower() in {"", "tuple()"}:
        return []
    return [part.strip() for part in _split_top(key, ",") if part.strip()]


def _top_level_clauses(text: str) -> dict[str, str]:
    starts = [(m.start(), " ".join(m.group(1).upper().split()), m.end()) for m in _scan(text, _CLAUSE)]
    clauses = {}
    for i, (_, name, body_from) in enumerate(starts):
        body_to = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        clauses[name] = text[body_from:body_to]
    return clauses


def _scan(text: str, pattern: re.Pattern) -> list[re.Match]:
    """Matches of ``pattern`` that start outside quotes and parentheses."""
    return [m for m in pattern.finditer(text) if _depth_at(text, m.start()) == 0 and _word_start(text, m.start())]


def _word_start(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _unquoted(text: str, start: int = 0, stop: int | None = None) -> tuple[list[tuple[int, str]], bool]:
    """The (index, character) pairs of ``text[start:stop]`` outside quotes, and whether it ends inside one."""
    out, quote, i, stop = [], "", start, len(text) if stop is None else stop
    while i < stop:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        else:
            out.append((i, ch))
        i += 1
    return out, bool(quote)


def _depth_at(text: str, at: int) -> int:
    """Parentheses open at ``at`` (-1 inside a quote)."""
    chars, quoted = _unquoted(text, 0, at)
    return -1 if quoted else sum((ch == "(") - (ch == ")") for _, ch in chars)


def _closing(text: str, open_at: int) -> int:
    """The index of the parenthesis closing the one at ``open_at`` (quotes respected)."""
    depth = 0
    for i, ch in _unquoted(text, open_at)[0]:
        depth += (ch == "(") - (ch == ")")
        if ch == ")" and depth == 0:
            return i
    raise ClusterRenderError(f"unbalanced parentheses in: {text[open_at:open_at + 80]}")


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` characters outside quotes and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in _unquoted(text)[0]:
        depth += (ch == "(") - (ch == ")")
        if ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
