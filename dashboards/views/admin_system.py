"""What the admins check before they trust the numbers (``/admin/system``): the source registry as
the crawler reads it, the taxonomy's thresholds and the model in force with its decision history.

Everything here is read-only: the registry is edited in its file (``crawl.sources_file``), the
taxonomy in ``classifiers/taxonomy.yaml``, and models change through the retrain flow's gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from classifiers.labeller import resolve_model
from classifiers.taxonomy import load_taxonomy
from crawlers.sources import SourcesError, load_sources
from dashboards.views.model_info import model_manifest, model_thresholds
from vigil.settings import Settings
from vigil.warehouse import Warehouse

DECISIONS_SQL = ("SELECT decided_at, candidate_version, current_version, promoted, reason FROM model_decisions "
                 "ORDER BY decided_at DESC LIMIT {limit:UInt32}")


@dataclass(frozen=True)
class SourceRow:
    id: str
    kind: str
    url: str
    language: str
    enabled: bool
    robots: str  # "obey", or the recorded reason for ignoring robots.txt


@dataclass(frozen=True)
class Registry:
    path: Path | None
    sources: list[SourceRow]
    problems: list[str]  # one line per problem, as `vigil sources validate` prints them


@dataclass(frozen=True)
class ThresholdRow:
    category: str
    severity: str
    taxonomy_threshold: float
    model_thresholds: dict[str, float]  # per encoder head of the model in force, when it has them


@dataclass(frozen=True)
class ModelDecision:
    decided_at: datetime
    candidate: str
    current: str
    promoted: bool
    reason: str


@dataclass(frozen=True)
class AdminSystemView:
    registry: Registry
    taxonomy_version: int
    thresholds: list[ThresholdRow]
    model_name: str  # as configured and resolved: "default", a folder or a Hugging Face id
    model_version: str
    decisions: list[ModelDecision]


def registry_of(path: Path | None) -> Registry:
    """The registry at ``path`` validated as the crawler validates it (no sources file: empty)."""
    if path is None:
        return Registry(None, [], [])
    try:
        sources = load_sources(path, include_disabled=True)
    except SourcesError as exc:
        return Registry(path, [], list(exc.problems))
    except OSError as exc:
        return Registry(path, [], [str(exc)])
    return Registry(path, [SourceRow(s.id, s.kind, s.start_urls[0], s.language or "", s.enabled,
                                     "obey" if not s.ignore_robots else s.ignore_robots) for s in sources], [])


def admin_system_view(settings: Settings, warehouse: Warehouse, history: int = 20) -> AdminSystemView:
    taxonomy = load_taxonomy()
    name = resolve_model(settings)
    manifest = model_manifest(name)
    per_route = model_thresholds(manifest)
    thresholds = [ThresholdRow(c.name, c.severity, c.threshold,
                               {route: table[c.name] for route, table in per_route.items() if c.name in table})
                  for c in taxonomy.categories.values()]
    decisions = [ModelDecision(r["decided_at"], r["candidate_version"], r["current_version"], bool(r["promoted"]),
                               r["reason"]) for r in warehouse.query(DECISIONS_SQL, {"limit": history})]
    return AdminSystemView(registry_of(settings.crawl.sources_file), taxonomy.version, thresholds, name,
                           manifest.get("version", name), decisions)
