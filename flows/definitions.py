"""The Prefect 3 flows: thin shells that narrate, over the library functions of :mod:`flows`.

Tasks are single steps; only I/O tasks retry (a crawl, an alert delivery),
with growing delays and a condition that does not retry a client error. Steps
that write the warehouse or load the model hold a global concurrency slot
(``vigil-warehouse``, ``vigil-model``), created by ``vigil flows serve``. A
failed flow run notifies the alert channels. Each flow run connects to the
warehouse through :func:`vigil.warehouse.connect`, so in embedded mode it
reaches the process that serves it (``vigil flows serve`` owns and serves it).

Every flow takes ``settings_file``: the YAML settings file the command that
deployed or ran it was started with (``vigil -c FILE ...``), so a flow run in
Prefect's child process reads the same settings; the environment applies on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture

from flows import alerts as alerts_lib
from flows import crawl as crawl_lib
from flows.emerging import run_emerging_terms
from flows.reconcile import reconcile
from flows.rescore import rescore
from flows.retention import apply_retention
from flows.retrain import classifiers_training, retrain
from flows.trends import SpikeSettings, run_trends
from vigil.logs import set_project_level
from vigil.settings import Mode, Settings, load_settings
from vigil.warehouse import connect

WAREHOUSE_LIMIT = "vigil-warehouse"
MODEL_LIMIT = "vigil-model"
CONCURRENCY_LIMITS = {WAREHOUSE_LIMIT: 2, MODEL_LIMIT: 1}
CLIENT_ERRORS = (ValueError, TypeError, KeyError, FileNotFoundError, PermissionError)


def transient_only(task_obj, task_run, state) -> bool:
    """Retry condition: retry I/O failures, never a client error (bad input stays bad)."""
    try:
        state.result()
    except CLIENT_ERRORS:
        return False
    except Exception:  # noqa: BLE001
        return True
    return False


@contextmanager
def slot(name: str) -> Iterator[None]:
    """Hold a global concurrency slot inside a flow run; nothing outside one (tests call ``.fn``)."""
    if FlowRunContext.get() is None:
        yield
        return
    from prefect.concurrency.sync import concurrency

    with concurrency(name, occupy=1):
        yield


def settings_from(settings_file: str | None) -> Settings:
    """The settings of a flow run: its ``settings_file`` parameter, then the environment.

    Also sets the level of the project's loggers to ``log_level`` in the flow run's process. Prefect's
    logging configuration leaves every other logger at the root's WARNING, so each step's counts
    (:func:`vigil.logs.counted_step`: a crawl's documents, a store batch's times, a backfill) were
    dropped there; at their level they reach the root's console handler, in the output of the process
    serving the flows (``<home>/run/logs/scheduler.log`` under ``vigil up``)."""
    settings = load_settings(settings_file)
    set_project_level(settings.log_level)
    return settings


def notify_failure(flow_obj, flow_run, state) -> None:
    """on_failure hook: tell the alert channels which flow run failed and why."""
    settings = settings_from((flow_run.parameters or {}).get("settings_file"))
    alerts_lib.notify(alerts_lib.channels(settings), f"flow run {flow_run.name} of {flow_obj.name} failed",
                      {"flow": flow_obj.name, "flow_run": flow_run.name, "flow_run_id": str(flow_run.id),
                       "state": state.name, "message": state.message or ""})


@task(retries=2, retry_delay_seconds=[30, 300], retry_condition_fn=transient_only)
def crawl_source_task(source_id: str, sources_file: str, run_id: str, settings_file: str | None = None) -> dict:
    from crawlers.sources import load_sources

    settings = settings_from(settings_file)
    source = load_sources(sources_file, only=[source_id])[0]
    with connect(settings) as wh:
        if settings.mode is Mode.distributed:
            from crawlers.outputs import BusOutput

            output = BusOutput(settings)
        else:
            from classifiers.classify import default_classifier
            from flows.store import StoreOutput

            output = StoreOutput(wh, default_classifier(settings))
        return crawl_lib.crawl_source(settings, wh, source, output, run_id)


@flow(name="crawl", on_failure=[notify_failure])
def crawl_flow(sources_file: str | None = None, settings_file: str | None = None) -> list[dict]:
    """Crawl the sources that are due, one task per source; one failing source does not stop the others."""
    from crawlers.run import new_run_id
    from crawlers.sources import load_sources

    settings = settings_from(settings_file)
    path = sources_file or (str(settings.crawl.sources_file) if settings.crawl.sources_file else None)
    if path is None:
        raise ValueError("no sources file: pass sources_file or set crawl.sources_file")
    sources = load_sources(path)
    with connect(settings) as wh:
        crawl_lib.record_sources(wh, sources, settings.flows.crawl_interval_minutes)
        due = crawl_lib.due_sources(wh, sources, datetime.now(timezone.utc), settings.flows.crawl_interval_minutes)
    get_run_logger().info("%d sources due", len(due))
    run_id = new_run_id()
    futures = [crawl_source_task.submit(s.id, path, run_id, settings_file) for s in due]
    return [source_outcome(future, s.id, run_id) for future, s in zip(futures, due)]


def source_outcome(future: PrefectFuture, source_id: str, run_id: str) -> dict:
    """A crawl task's run row once it is done, retries included; a task that failed gives a failed
    row naming its error (the task recorded it in ``crawl_runs`` when the crawl got that far), so
    the flow reports the source instead of raising and the other sources' rows are returned too."""
    outcome = future.result(raise_on_failure=False)
    if not isinstance(outcome, BaseException):
        return outcome
    get_run_logger().warning("source %s failed: %s: %s", source_id, type(outcome).__name__, outcome)
    return crawl_lib.run_row(run_id, source_id, datetime.now(timezone.utc), None,
                             f"{type(outcome).__name__}: {outcome}")


@flow(name="trends", on_failure=[notify_failure])
def trends_flow(settings_file: str | None = None) -> dict:
    """Refresh the aggregates, detect spikes, store the new alerts, then deliver them."""
    settings = settings_from(settings_file)
    f = settings.flows
    with connect(settings) as wh, slot(WAREHOUSE_LIMIT):
        counts = run_trends(wh, datetime.now(timezone.utc),
                            SpikeSettings(f.spike_threshold, f.spike_min_count, f.spike_seasons))
    counts["delivered"] = deliver_task(settings_file)
    return counts


@task(retries=3, retry_delay_seconds=[10, 60, 300], retry_condition_fn=transient_only)
def deliver_task(settings_file: str | None = None) -> dict:
    """Deliver the pending alerts to every channel; a channel's failure is raised once every
    delivery is recorded, so a transient one is retried (and each retry sends only what is pending)."""
    settings = settings_from(settings_file)
    with connect(settings) as wh:
        return alerts_lib.deliver_alerts(wh, alerts_lib.channels(settings), raise_failure=True)


@flow(name="alerts", on_failure=[notify_failure])
def alerts_flow(settings_file: str | None = None) -> dict:
    """Deliver every alert not yet delivered to each configured channel, once."""
    return deliver_task(settings_file)


@flow(name="emerging-terms", on_failure=[notify_failure])
def emerging_terms_flow(window_hours: int = 24, settings_file: str | None = None) -> int:
    """Store the terms rising in flagged content, per language."""
    with connect(settings_from(settings_file)) as wh, slot(WAREHOUSE_LIMIT):
        return run_emerging_terms(wh, datetime.now(timezone.utc), window_hours)


@flow(name="reconciliation", on_failure=[notify_failure])
def reconciliation_flow(hours: int = 48, settings_file: str | None = None) -> int:
    """Flag the run-hour windows whose counts do not add up; return how many."""
    with connect(settings_from(settings_file)) as wh, slot(WAREHOUSE_LIMIT):
        incomplete = reconcile(wh, datetime.now(timezone.utc) - timedelta(hours=hours))
    if incomplete:
        get_run_logger().warning("%d incomplete windows", len(incomplete))
    return len(incomplete)


@flow(name="retention", on_failure=[notify_failure])
def retention_flow(settings_file: str | None = None) -> dict[str, int]:
    """Delete or anonymise what is past its retention period, table by table."""
    settings = settings_from(settings_file)
    with connect(settings) as wh, slot(WAREHOUSE_LIMIT):
        return apply_retention(wh, datetime.now(timezone.utc), settings.warehouse.retention_days)


@flow(name="rescore", on_failure=[notify_failure])
def rescore_flow(model: str, job_id: str, since: datetime | None = None, until: datetime | None = None,
                 settings_file: str | None = None) -> dict:
    """Reclassify [since, until) (everything when unset) with ``model``; resumes job ``job_id``."""
    from classifiers.classify import labelled
    from classifiers.labeller import build_labeller

    settings = settings_from(settings_file)
    with slot(MODEL_LIMIT):
        labeller = build_labeller(settings, model)
        with connect(settings) as wh:
            return rescore(wh, lambda docs: labelled(settings, labeller, docs), labeller.version,
                           job_id=job_id, since=since, until=until)


@flow(name="retrain", on_failure=[notify_failure])
def retrain_flow(model_version: str, min_gain: float = 0.0, settings_file: str | None = None,
                 min_confidence: float = 0.0) -> dict:
    """Train on reviewers' decisions, compare with the current model on the same gate, promote if better
    (and, with ``min_confidence``, ahead in that share of the held-back rows' resamples)."""
    from classifiers.labeller import promoted_model_dir, resolve_model
    from classifiers.model.predict import DEFAULT_MODEL_DIR

    settings = settings_from(settings_file)
    name = resolve_model(settings)
    current_dir = Path(DEFAULT_MODEL_DIR) if name == "default" else Path(name)
    if not current_dir.exists():
        raise ValueError(f"classifier.model {settings.classifier.model!r} is not a local folder; "
                         "retraining compares against local models only")
    with slot(MODEL_LIMIT), connect(settings) as wh:
        train, score = classifiers_training(wh, model_version)
        decision = retrain(wh, train, settings.home / "models" / model_version, current_dir, model_version,
                           min_gain, score=score, promote_to=promoted_model_dir(settings),
                           min_confidence=min_confidence)
    return {"promoted": decision.promoted, "reason": decision.reason, "paired": decision.paired}
