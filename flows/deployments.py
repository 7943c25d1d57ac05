"""Every deployment and its schedule, declared in one place.

``vigil flows serve`` serves these (all, or those named) against the Prefect
server in ``PREFECT_API_URL``; intervals come from the settings where the
settings have them. Each deployment allows one run at a time, so a slow run is
never overlapped by the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from vigil.settings import Settings


@dataclass(frozen=True)
class Declared:
    name: str
    flow: str  # attribute of flows.definitions
    every: timedelta | None = None
    cron: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def declared(settings: Settings) -> list[Declared]:
    """Every deployment; each passes on the settings file ``settings`` came from, if any."""
    f = settings.flows
    crawl_params = {"sources_file": str(settings.crawl.sources_file)} if settings.crawl.sources_file else {}
    items = [
        Declared("crawl", "crawl_flow", every=timedelta(minutes=f.crawl_interval_minutes), parameters=crawl_params,
                 description="crawl the sources that are due"),
        Declared("trends", "trends_flow", every=timedelta(minutes=f.trends_interval_minutes),
                 description="refresh aggregates, detect spikes, deliver alerts"),
        Declared("alerts", "alerts_flow", every=timedelta(minutes=5), description="retry undelivered alerts"),
        Declared("emerging-terms", "emerging_terms_flow", every=timedelta(hours=1),
                 description="terms rising in flagged content"),
        Declared("reconciliation", "reconciliation_flow", every=timedelta(hours=1),
                 description="flag incomplete run-hour windows"),
        Declared("retention", "retention_flow", cron="30 3 * * *", description="delete or anonymise old data"),
        Declared("retrain", "retrain_flow", cron="0 4 * * 0", parameters={"model_version": "retrained"},
                 description="weekly retraining from reviewer decisions"),
        Declared("rescore", "rescore_flow", description="on demand: reclassify with a new model"),
    ]
    if settings.config_file is None:
        return items
    return [replace(item, parameters={**item.parameters, "settings_file": str(settings.config_file)})
            for item in items]


def to_deployments(settings: Settings, only: list[str] | None = None,
                   every_override: timedelta | None = None) -> list[Any]:
    """RunnerDeployments for ``prefect.serve``; ``every_override`` replaces the selected schedules (tests)."""
    import flows.definitions as definitions

    chosen = [d for d in declared(settings) if not only or d.name in only]
    unknown = set(only or []) - {d.name for d in declared(settings)}
    if unknown:
        raise ValueError(f"unknown deployments {sorted(unknown)}; known: {[d.name for d in declared(settings)]}")
    result = []
    for item in chosen:
        schedule: dict[str, Any] = {}
        if every_override is not None:
            schedule["interval"] = every_override
        elif item.every is not None:
            schedule["interval"] = item.every
        elif item.cron is not None:
            schedule["cron"] = item.cron
        result.append(getattr(definitions, item.flow).to_deployment(
            name=item.name, parameters=item.parameters, description=item.description, concurrency_limit=1,
            tags=["vigil"], **schedule,
        ))
    return result


def ensure_concurrency_limits() -> None:
    """Create (or update) the global concurrency limits the flows hold."""
    from prefect.client.orchestration import get_client

    from flows.definitions import CONCURRENCY_LIMITS

    with get_client(sync_client=True) as client:
        for name, limit in CONCURRENCY_LIMITS.items():
            client.upsert_global_concurrency_limit_by_name(name, limit)
