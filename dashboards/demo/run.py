"""``vigil demo``: the whole system on the embedded default, ending with the dashboards served.

In one process, which owns the embedded warehouse (and serves it on 127.0.0.1 meanwhile, so that
``vigil warehouse query`` and ``vigil status`` work from another shell):

1. binds the dashboards' address first, so a port in use fails before any work;
2. the demo site: serves it on 127.0.0.1:8765 (any free port if taken), writes its registry to
   ``<home>/demo/sources.yaml`` and runs everything on it once (``flows.run_once.run_everything``:
   crawl, classify, store, trends, alerts, emerging terms, reconciliation), then stops it;
3. the generated history (:mod:`dashboards.demo.history`): about 60 days of synthetic documents
   written through the warehouse sink with a progress bar, its sources, the model promotion;
4. trends, alert delivery and emerging terms again, over the history;
5. the accounts ``analyst`` and ``reviewer``, with random passwords shown once;
6. prints the summary and the address, and serves the dashboards until SIGINT or SIGTERM, which
   stop uvicorn and close the warehouse (exit status 0).

What an earlier demo left is reused: the crawl is skipped when ``crawl_runs`` holds a run of the
demo site's sources, the history when its documents are stored (an interrupted generation resumes
the same history, recorded in ``<home>/demo/history.json``), and existing accounts keep their
passwords. So a second ``vigil demo`` serves within seconds.
"""

from __future__ import annotations

import json
import secrets
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from dashboards.demo.history import SEED, SOURCE_PREFIX, HistoryPlan
from dashboards.demo.load import (StoredHistory, live_model_version, plan_from_record, plan_record,
                                  record_model_change, register_sources, stored_history, write_history)
from dashboards.serve import embedded_warehouse_owner, exit_on_signals, listen, run_app
from vigil.settings import Settings
from vigil.timeutil import hour_of
from vigil.warehouse import Warehouse, WarehouseError, connect, migrate

if TYPE_CHECKING:
    from flows.run_once import RunSummary

# The demo site's documents are identified by their URLs, port included: a fixed port gives a
# second demo the documents of the first.
DEMO_SITE_PORT = 8765
ACCOUNTS = ("analyst", "reviewer")  # each with the role of its name
GRACEFUL_SHUTDOWN_S = 5
Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoOptions:
    site_port: int = DEMO_SITE_PORT
    host: str | None = None  # the dashboards' address; default dashboards.host and .port
    port: int | None = None
    serve: bool = True
    as_json: bool = False
    seed: int = SEED


@dataclass
class Account:
    name: str
    role: str
    password: str | None  # None: the account existed; its password is not shown


@dataclass
class DemoSummary:
    crawl: dict | None = None  # this run's crawl (flows.run_once.RunSummary); None: an earlier one's reused
    history: dict = field(default_factory=dict)  # what is stored (load.StoredHistory)
    history_generated: int = 0  # documents this run wrote (0: reused)
    spikes: list[dict] = field(default_factory=list)
    model_change: dict | None = None
    alerts_raised: int = 0  # by this run's trends steps
    alerts: int = 0  # stored in all
    emerging_terms: int = 0
    review_queue: int = 0  # classifications that need review and have no decision
    accounts: list[Account] = field(default_factory=list)
    warehouse: str = ""
    url: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _stdout(line: str) -> None:
    print(line, flush=True)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def demo_settings(settings: Settings) -> Settings:
    """The settings with what the demo site needs: private addresses allowed, no download delay."""
    return settings.model_copy(update={"crawl": settings.crawl.model_copy(
        update={"allow_private_networks": True, "download_delay_s": 0.0})})


def run_demo(settings: Settings, options: DemoOptions, out: Echo = _stdout, err: Echo = _stderr) -> int:
    """Run the demo (see the module's description); return the exit status. Serving returns only
    through ``SystemExit(0)`` on SIGINT/SIGTERM."""
    started = time.perf_counter()
    settings = demo_settings(settings)
    host = options.host or settings.dashboards.host
    port = options.port or settings.dashboards.port
    try:
        sock = listen(host, port) if options.serve else None
    except OSError as exc:
        err(f"error: cannot listen on {host}:{port} for the dashboards ({exc.strerror or exc}); "
            "choose another address with --dashboard-port PORT (or --host)")
        return 2
    try:
        with _interruptible(), embedded_warehouse_owner(settings), connect(settings) as warehouse:
            migrate(warehouse)
            summary = prepare(settings, warehouse, options, err)
            summary.seconds = round(time.perf_counter() - started, 1)
            if sock is not None:
                summary.url = f"http://{_display_host(host)}:{sock.getsockname()[1]}/"
            if options.as_json:
                out(json.dumps(summary.as_dict(), indent=2, default=str))
            else:
                for line in summary_lines(summary, settings):
                    out(line)
            if sock is None:
                return 0
            exit_on_signals()
            out(f"\nserving the dashboards at {summary.url} (Ctrl-C to stop)")
            run_app(settings, sock=sock, graceful_shutdown_s=GRACEFUL_SHUTDOWN_S)
            return 0
    except KeyboardInterrupt:
        err("\ninterrupted; `vigil demo` again picks up where this one stopped")
        return 130
    except WarehouseError as exc:
        err(f"error: {exc}")
        return 1
    finally:
        if sock is not None:
            sock.close()


def prepare(settings: Settings, warehouse: Warehouse, options: DemoOptions, err: Echo = _stderr) -> DemoSummary:
    """Everything before serving: crawl, history, trends, accounts (each reused when done before)."""
    summary = DemoSummary(warehouse=str(settings.warehouse_path) if settings.warehouse.backend == "chdb"
                          else f"{settings.warehouse.host}:{settings.warehouse.port}")
    if not crawled_before(warehouse):
        crawl = crawl_demo_site(settings, warehouse, options.site_port, err)
        summary.crawl = crawl.as_dict()
        summary.alerts_raised += crawl.alerts_raised
    plan, resume = history_plan(settings, warehouse, options.seed)
    if plan is not None:
        if resume:
            err(f"resuming the history begun earlier (up to {plan.end:%Y-%m-%d %H:%M} UTC)")
        summary.history_generated = generate(settings, warehouse, plan, err)
        summary.spikes = [{"name": s.name, "source_id": s.source_id, "language": s.language, "category": s.category,
                           "hour": s.hour, "documents": s.documents, "model_version": s.model_version}
                          for s in plan.spikes]
        summary.model_change = {"at": plan.change_at, "before": plan.model_before, "after": plan.model_after}
        raised, summary.emerging_terms = refresh_trends(settings, warehouse)
        summary.alerts_raised += raised
    summary.history = stored_history(warehouse).as_dict()
    summary.alerts = int(warehouse.scalar("SELECT count() FROM alerts FINAL") or 0)
    summary.review_queue = review_queue(warehouse)
    summary.accounts = ensure_accounts(settings)
    return summary


# -- the demo site ---------------------------------------------------------------------------------


def crawled_before(warehouse: Warehouse) -> bool:
    """Whether a demo already crawled the demo site (its sources are the ``demo-`` ones that are
    not generated)."""
    return bool(warehouse.scalar(
        "SELECT count() FROM crawl_runs WHERE startsWith(source_id, 'demo-') "
        "AND NOT startsWith(source_id, {prefix:String}) AND status = 'ok'", dict(prefix=SOURCE_PREFIX)))


def crawl_demo_site(settings: Settings, warehouse: Warehouse, port: int, err: Echo = _stderr) -> RunSummary:
    """Serve the demo site, run everything on it once, stop it; the run's summary."""
    from crawlers.demo_site.serve import DemoSite, write_sources
    from flows.run_once import run_everything

    try:
        site = DemoSite(port)
    except OSError:  # taken: any free port (its documents then get other ids than earlier demos')
        site = DemoSite(0)
    with site:
        sources = write_sources(site.base_url, settings.home / "demo" / "sources.yaml")
        err(f"demo site at {site.base_url}; sources registry written to {sources}")
        return run_everything(settings, warehouse, sources)


# -- the history -----------------------------------------------------------------------------------


def history_record_path(settings: Settings) -> Path:
    return settings.home / "demo" / "history.json"


def history_plan(settings: Settings, warehouse: Warehouse, seed: int) -> tuple[HistoryPlan | None, bool]:
    """The history to write, and whether it resumes an interrupted one; None when it is stored.

    Stored means: generated documents in the warehouse, and the record of the plan says it was
    completed (or there is no record). Generated documents with an incomplete record resume that
    plan; none at all start a new one ending now."""
    stored = stored_history(warehouse)
    record = _read_record(history_record_path(settings))
    if stored.documents and (record is None or record.get("complete")):
        return None, False
    if stored.documents and record is not None:
        return plan_from_record(record["plan"]), True
    model_after = live_model_version(warehouse)
    return HistoryPlan(seed=seed, end=hour_of(datetime.now(timezone.utc)),
                       **({"model_after": model_after} if model_after else {})), False


def generate(settings: Settings, warehouse: Warehouse, plan: HistoryPlan, err: Echo = _stderr) -> int:
    """Write the plan's history with a progress bar on stderr; its sources and model promotion too.
    Returns the documents written."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    path = history_record_path(settings)
    _write_record(path, {"plan": plan_record(plan), "complete": False})
    err(f"generating {plan.days} days of synthetic history up to {plan.end:%Y-%m-%d %H:%M} UTC "
        f"(model {plan.model_before}, then {plan.model_after} from {plan.change_at:%Y-%m-%d})")
    columns = (TextColumn("history"), BarColumn(), MofNCompleteColumn(), TextColumn("days"),
               TextColumn("{task.fields[documents]:,} documents"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("history", total=plan.days, documents=0)
        written = write_history(warehouse, plan, on_day=lambda index, w: progress.update(
            task, completed=index + 1, documents=w.documents + w.unchanged))
    register_sources(warehouse, plan, settings.flows.crawl_interval_minutes)
    record_model_change(warehouse, plan)
    _write_record(path, {"plan": plan_record(plan), "complete": True, "documents": written.documents})
    return written.documents


def refresh_trends(settings: Settings, warehouse: Warehouse) -> tuple[int, int]:
    """Trends and spike alerts, their delivery, emerging terms: (alerts raised, terms)."""
    from flows.alerts import channels, deliver_alerts
    from flows.emerging import run_emerging_terms
    from flows.trends import SpikeSettings, run_trends

    now = datetime.now(timezone.utc)
    flows = settings.flows
    trends = run_trends(warehouse, now, SpikeSettings(flows.spike_threshold, flows.spike_min_count,
                                                       flows.spike_seasons))
    deliver_alerts(warehouse, channels(settings))
    return trends["alerts_new"], run_emerging_terms(warehouse, now)


def review_queue(warehouse: Warehouse) -> int:
    return int(warehouse.scalar(
        "SELECT count() FROM classifications FINAL WHERE needs_review "
        "AND document_id NOT IN (SELECT document_id FROM review_decisions)") or 0)


def _read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_record(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(record, indent=2), encoding="utf-8")
    staged.replace(path)


# -- accounts --------------------------------------------------------------------------------------


def ensure_accounts(settings: Settings) -> list[Account]:
    """The accounts ``analyst`` and ``reviewer``: created with a random password when missing
    (returned once, here), left as they are when they exist."""
    from dashboards.accounts.models import Role
    from dashboards.accounts.passwords import hash_password
    from dashboards.accounts.store import AccountStore
    from dashboards.accounts.users import add_user, find_user

    store = AccountStore.for_settings(settings)
    accounts = []
    for name in ACCOUNTS:
        user = find_user(store, name)
        if user is not None:
            accounts.append(Account(user.name, user.role.value, None))
            continue
        password = secrets.token_urlsafe(12)
        add_user(store, name, Role(name), hash_password(password))
        accounts.append(Account(name, name, password))
    return accounts


# -- output ----------------------------------------------------------------------------------------


def summary_lines(summary: DemoSummary, settings: Settings) -> list[str]:
    lines = []
    if summary.crawl is not None:
        from flows.run_once import RunSummary

        lines += RunSummary(**summary.crawl).lines()
    else:
        lines.append("demo site: crawled by an earlier `vigil demo`; its documents are reused")
    history = StoredHistory(**summary.history)
    span = (f"{history.first:%Y-%m-%d} to {history.last:%Y-%m-%d}" if history.first and history.last else "-")
    if summary.history_generated:
        earlier = history.documents - summary.history_generated
        lines.append(f"history: {history.documents:,} synthetic documents generated from {history.sources} "
                     f"sources, {span}; {history.flagged:,} flagged"
                     + (f" ({earlier:,} of them by an interrupted `vigil demo`)" if earlier > 0 else ""))
        if summary.model_change:
            change = summary.model_change
            lines.append(f"  model change on {change['at']:%Y-%m-%d}: {change['before']} -> {change['after']}")
        for spike in summary.spikes:
            lines.append(f"  injected spike: {spike['category']} in {spike['source_id']} ({spike['language']}), "
                         f"{spike['documents']} near-identical posts at {spike['hour']:%Y-%m-%d %H:%M} UTC")
    else:
        lines.append(f"history: {history.documents:,} synthetic documents from an earlier `vigil demo` reused "
                     f"({span}; {history.flagged:,} flagged)")
    lines.append(f"alerts: {summary.alerts_raised} raised now, {summary.alerts} in all; emerging terms: "
                 f"{summary.emerging_terms}; review queue: {summary.review_queue:,} items")
    created = [a for a in summary.accounts if a.password]
    existing = [a for a in summary.accounts if not a.password]
    if created:
        lines.append("\naccounts (the passwords are shown this once; `vigil users set-password NAME` sets new ones):")
        lines += [f"  {a.name:<9} password: {a.password}" for a in created]
    if existing:
        lines.append(f"\naccounts {', '.join(a.name for a in existing)} exist already; their passwords are not "
                     "shown again (`vigil users set-password NAME` sets a new one)")
    alerts = settings.flows.alert_log_file or settings.home / "alerts.jsonl"
    lines += [
        "\nwhere to look next:",
        f"  dashboards:  {summary.url or 'vigil serve'}  (sign in as analyst or reviewer)",
        f"  warehouse:   {summary.warehouse}  (vigil status; vigil warehouse query 'SELECT ...')",
        "  trends:      vigil warehouse query 'SELECT day, category, sum(flagged) AS flagged "
        "FROM counts_daily GROUP BY ALL ORDER BY ALL'",
        f"  alerts:      {alerts}",
        "  schedules:   vigil flows server, then vigil flows serve",
    ]
    return lines


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt while the demo prepares, so every ``with`` block
    unwinds (the crawler's child is killed, the warehouse closed); whatever was inherited (a
    SIGINT ignored by a shell's background job, say) is replaced."""
    previous = {stop: signal.signal(stop, _interrupt) for stop in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
