"""Fault injection against the real broker and chDB: is every document stored exactly once?

N synthetic documents (``--documents``, default 20,000), with a few poison records among them, are
published to raw-documents and go through the real stages as separate processes: classify consumers
(``--classifiers`` 2) and the warehouse sink (``vigil consume sink``), writing through the owner of
the embedded warehouse (``vigil warehouse serve``) on a broker started with ``vigil kafka start``.
Each fault gets topics and consumer groups of its own:

- ``kill-classify``, ``kill-sink``: SIGKILL of a classify consumer, or of the sink, at random points
  (``--kills`` 2), then a restart;
- ``broker-restart``: the broker stopped mid-publishing (``vigil kafka stop``) for ``--broker-down-s``,
  then started again; the publisher re-sends whatever the broker did not acknowledge;
- ``warehouse-down``: the owner stopped for ``--warehouse-down-s``: the sink must stop committing,
  retry (``bus.write_retries``) and resume;
- ``crawl-resume``: a crawl of ``--crawl-pages`` demo-site pages into raw-documents, killed after its
  crawl state has recorded some, then run again: it must go on from its state;
- ``kill-dashboard-scheduler``: under ``vigil up``, the dashboard (while reviewers' decisions are
  posted) and the scheduler (during a crawl flow run) killed and restarted (:mod:`benchmarks.fault_up`).

After each, once every consumer group has caught up, it reconciles: documents in, stored (after
dedup with FINAL), duplicates left after dedup, missing, each one's classification, the daily
aggregate (not double counted), the run ledger, dead letters with their reasons, and the time to
recover (until every partition of the stages hit has moved on again). Stages that exit on their own
are restarted and counted (``unplanned restarts``), as ``vigil up`` would.

    .venv/bin/python benchmarks/faults.py [--documents 20000] [--fault NAME ...] [--json benchmarks/faults.json]

Classification uses the rules-only labeller by default (``--classifier rules``: ``vigil consume classify``
with ``VIGIL_CLASSIFIER__MODEL=rules``; ``--classifier model`` runs it with the configured model, some 40
times slower on CPU). Under ``vigil up`` the same choice sets ``VIGIL_CLASSIFIER__MODEL``.
It writes its table into the fault section of ``benchmarks/RESULTS.md`` (``--markdown``).
"""

from __future__ import annotations

import argparse
import random
import secrets
import signal
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.fault_rig import (  # noqa: E402
    Bus,
    Pipeline,
    Rig,
    dead_letters,
    dump,
    lag,
    moved_on,
)

SYNTHETIC = ("kill-classify", "kill-sink", "broker-restart", "warehouse-down")
FAULTS = (*SYNTHETIC, "crawl-resume", "kill-dashboard-scheduler")
BATCH = 100
TEXTS = ("The council met to discuss the new tram line and the school budget.",
         "Volunteers cleaned the river bank and planted trees in the park.",
         "The library opens a reading room for children next month.",
         "Police said the market will be closed on Sunday because of the marathon.")


@dataclass
class Options:
    documents: int = 20_000
    crawl_pages: int = 20_000
    up_pages: int = 20_000
    up_first_pages: int = 60
    rate: float = 1_000.0  # documents published per second
    bad_every: int = 1_000  # one poison record per this many documents (at least one)
    classifiers: int = 2
    classifier: str = "rules"
    kills: int = 2
    max_poll_records: int = 100
    session_timeout_ms: int | None = None  # None: the settings' default (45 s)
    broker_down_s: float = 10.0
    warehouse_down_s: float = 15.0
    up_mode: str = "embedded"
    mark_crashed: bool = False  # mark the killed flow run CRASHED through Prefect's API, as an operator would
    seed: int = 13
    timeout_s: float = 1800.0


def make_documents(source: str, run_id: str, count: int) -> list:
    from vigil.schemas import Document

    now = datetime.now(timezone.utc)
    return [Document.build(url=f"https://faults.example.org/{source}/{n}", source_id=source, source_kind="rss",
                           text=f"{TEXTS[n % len(TEXTS)]} Item {n} of {source}.", language="en",
                           fetched_at=now, published_at=now, crawl_run_id=run_id) for n in range(count)]


def poison(n: int) -> bytes:
    return [b'{"schema_version": 1, "id": "not a document"}', b"\xff\xfe not json at all"][n % 2]


class Publisher(threading.Thread):
    """Publishes the documents (and poison records) in batches at ``rate``, re-sending a batch until
    the broker acknowledged all of it: so every document counts as acknowledged in the end."""

    def __init__(self, pipe: Pipeline, docs: list, bad: int, rate: float) -> None:
        super().__init__(daemon=True, name="publisher")
        self.pipe, self.rate = pipe, rate
        self.items: list = list(docs)
        step = max(1, len(docs) // max(bad, 1))
        for n in range(bad):
            self.items.insert(min(len(self.items), (n + 1) * step), poison(n))
        self.acknowledged = self.failed_flushes = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        from vigil.bus.kafka_publisher import KafkaPublisher
        from vigil.bus.topics import Topic

        try:
            settings = self.pipe.settings()
            raw = self.pipe.topic("raw-documents")
            publisher = KafkaPublisher(settings.bus)
            started = time.monotonic()
            for start in range(0, len(self.items), BATCH):
                batch = self.items[start:start + BATCH]
                while not self.stop.is_set():
                    try:
                        for n, item in enumerate(batch):
                            if isinstance(item, bytes):
                                publisher.send_raw(raw, f"poison-{start + n}".encode(), item)
                            else:
                                publisher.send(Topic.raw_documents, item)
                        publisher.flush(timeout_s=30)
                    except Exception as exc:  # noqa: BLE001 - not acknowledged: send the batch again
                        self.failed_flushes += 1
                        self.pipe.note(f"publisher: batch at {start} not acknowledged ({type(exc).__name__}); "
                                       "re-sending")
                        self.stop.wait(1.0)
                        continue
                    self.acknowledged += sum(1 for item in batch if not isinstance(item, bytes))
                    break
                self.stop.wait(max(0.0, started + (start + len(batch)) / self.rate - time.monotonic()))
            publisher.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the run
            self.error = exc


PROGRESS_SQL = (
    "SELECT (SELECT uniqExact(id) FROM documents WHERE source_id = {s:String}) AS stored, "
    "(SELECT uniqExact(document_id) FROM classifications WHERE document_id IN "
    " (SELECT id FROM documents WHERE source_id = {s:String})) AS classified")


class Run:
    """One fault's run: its pipeline, its source's progress in the warehouse, its clock."""

    def __init__(self, rig: Rig, bus: Bus, pipe: Pipeline, source: str, total: int, timeout_s: float) -> None:
        self.rig, self.bus, self.pipe, self.source, self.total = rig, bus, pipe, source, total
        self.stored = self.classified = 0
        self.deadline = time.monotonic() + timeout_s

    @property
    def done(self) -> int:
        return min(self.stored, self.classified)

    def sample(self) -> None:
        from vigil.warehouse import WarehouseError

        try:
            row = self.rig.warehouse().query(PROGRESS_SQL, {"s": self.source})[0]
            self.stored, self.classified = int(row["stored"]), int(row["classified"])
        except (WarehouseError, OSError):
            pass  # the owner is away: keep the last sample

    def tick(self, pause_s: float = 0.5) -> None:
        self.pipe.supervise()
        self.sample()
        time.sleep(pause_s)

    def wait(self, what: str, check, timeout_s: float | None = None) -> float:
        began = time.monotonic()
        deadline = min(self.deadline, began + timeout_s) if timeout_s else self.deadline
        while time.monotonic() < deadline:
            if check():
                return time.monotonic() - began
            self.tick()
        tails = "\n".join(f"--- {name}\n{proc.tail()}" for name, proc in self.pipe.procs.items())
        raise TimeoutError(f"{self.pipe.name}: timed out waiting for {what} (stored {self.stored}, classified "
                           f"{self.classified} of {self.total})\n" + "\n".join(self.pipe.events) + "\n" + tails)

    def topics_of(self, stages: list[str]) -> list[tuple[str, str]]:
        """(group, topic) of each stage named."""
        topic = {"classify": "raw-documents", "sink-documents": "raw-documents",
                 "sink-classifications": "classifications"}
        return [(self.pipe.groups[s], self.pipe.topic(topic[s])) for s in stages]

    def snapshot(self, stages: list[str]) -> dict:
        return {(g, t): self.bus.committed(g, t) or {} for g, t in self.topics_of(stages)}

    def recovered(self, stages: list[str], before: dict, since: float) -> float:
        """Seconds from ``since`` until every partition of ``stages`` moved on from ``before`` (or caught up)."""
        def check() -> bool:
            for group, topic in self.topics_of(stages):
                ends, now = self.bus.end_offsets(topic), self.bus.committed(group, topic)
                if ends is None or now is None or not moved_on(before[(group, topic)], ends, now):
                    return False
            return True
        self.wait(f"{', '.join(stages)} to move on", check)
        return round(time.monotonic() - since, 1)

    def joined(self) -> float:
        """Wait until every stage's processes are in their consumer groups (so the fault lands mid-stream)."""
        wanted = {self.pipe.groups["classify"]: sum(n.startswith("classify") for n in self.pipe.procs),
                  self.pipe.groups["sink-documents"]: 1, self.pipe.groups["sink-classifications"]: 1}
        return self.wait("the stages to join their groups",
                         lambda: all(self.bus.stable_members(g) >= n for g, n in wanted.items()))

    def caught_up(self) -> bool:
        return all(lag(self.bus, g, t) == 0 for g, t in self.topics_of(list(self.pipe_stages)))

    pipe_stages = ("classify", "sink-documents", "sink-classifications")


# -- the faults on synthetic documents --------------------------------------------------------------

def kill_points(rng: random.Random, kills: int) -> list[float]:
    return sorted(rng.uniform(0.1, 0.75) for _ in range(kills))


def kill_stage(run: Run, rng: random.Random, targets: list[str], stages: list[str], kills: int) -> dict:
    recoveries = []
    for n, point in enumerate(kill_points(rng, kills)):
        name = targets[n % len(targets)]
        run.wait(f"{point:.0%} done", lambda: run.done >= point * run.total)
        before = run.snapshot(stages)
        at = time.monotonic()
        run.pipe.down.add(name)
        run.pipe.procs[name].kill()
        run.pipe.note(f"SIGKILL {name} at {run.done}/{run.total} done")
        time.sleep(rng.uniform(0.5, 3.0))
        run.pipe.procs[name].start()
        run.pipe.down.discard(name)
        run.pipe.note(f"restarted {name}")
        recoveries.append(run.recovered(stages, before, at))
    return {"injected": f"SIGKILL {', '.join(targets)} x{kills}", "recover_s": max(recoveries),
            "recoveries_s": recoveries}


def broker_restart(run: Run, rng: random.Random, publisher: Publisher, down_s: float) -> dict:
    point = rng.uniform(0.3, 0.6)
    run.wait(f"{point:.0%} published", lambda: publisher.acknowledged >= point * run.total)
    stages = list(Run.pipe_stages)
    before = run.snapshot(stages)
    at = time.monotonic()
    run.pipe.note(f"stopping the broker at {publisher.acknowledged} published, {run.done} done")
    run.rig.stop_broker()
    run.bus.reset()
    time.sleep(down_s)
    run.rig.start_broker()
    back = time.monotonic()
    run.pipe.note(f"broker back after {back - at:.1f}s")
    return {"injected": f"broker stopped {back - at:.0f}s at {point:.0%} published", "outage_s": round(back - at, 1),
            "recover_s": run.recovered(stages, before, back), "publisher_failed_flushes": publisher.failed_flushes}


def warehouse_down(run: Run, rng: random.Random, down_s: float) -> dict:
    point = rng.uniform(0.2, 0.6)
    run.wait(f"{point:.0%} done", lambda: run.done >= point * run.total)
    stages = ["sink-documents", "sink-classifications"]
    before = run.snapshot(stages)
    at = time.monotonic()
    run.pipe.note(f"stopping the warehouse's owner at {run.done} done")
    run.rig.stop_owner()
    time.sleep(min(3.0, down_s))  # a batch written just before the stop may still commit
    early = run.snapshot(stages)
    time.sleep(max(0.0, down_s - (time.monotonic() - at)))
    late = run.snapshot(stages)
    committed = sum(max(0, late[k].get(p, 0) - early[k].get(p, 0)) for k in late for p in late[k])
    run.rig.start_owner()
    back = time.monotonic()
    run.pipe.note(f"owner back after {back - at:.1f}s; {committed} offsets committed while it was away")
    return {"injected": f"warehouse owner stopped {back - at:.0f}s at {point:.0%} done",
            "outage_s": round(back - at, 1), "committed_while_down": committed,
            "recover_s": run.recovered(stages, before, back)}


def run_synthetic(rig: Rig, bus: Bus, fault: str, opts: Options, rng: random.Random) -> dict:
    pipe = Pipeline(rig, fault, classifiers=opts.classifiers, classifier=opts.classifier,
                    max_poll_records=opts.max_poll_records, session_timeout_ms=opts.session_timeout_ms).start()
    source, run_id = f"faults-{fault}", f"faults-{fault}-{secrets.token_hex(3)}"
    docs = make_documents(source, run_id, opts.documents)
    bad = max(1, opts.documents // opts.bad_every)
    publisher = Publisher(pipe, docs, bad, opts.rate)
    run = Run(rig, bus, pipe, source, len(docs), opts.timeout_s)
    run.joined()
    began, since = time.monotonic(), datetime.now(timezone.utc) - timedelta(hours=1)
    publisher.start()
    try:
        if fault == "kill-classify":
            result = kill_stage(run, rng, [n for n in pipe.procs if n.startswith("classify")], ["classify"], opts.kills)
        elif fault == "kill-sink":
            result = kill_stage(run, rng, ["sink"], ["sink-documents", "sink-classifications"], opts.kills)
        elif fault == "broker-restart":
            result = broker_restart(run, rng, publisher, opts.broker_down_s)
        else:
            result = warehouse_down(run, rng, opts.warehouse_down_s)
        run.wait("every document stored and classified",
                 lambda: not publisher.is_alive() and run.done >= run.total)
        if publisher.error is not None:
            raise publisher.error
        run.wait("every consumer group to catch up", run.caught_up)
        elapsed = time.monotonic() - began
        checked = reconcile(rig.warehouse(), source, {d.id for d in docs}, run_id, since)
        letters = {stage: dead_letters(bus, pipe.topic(f"dlq.{stage}")) for stage in ("classify", "sink")}
    finally:
        publisher.stop.set()
        pipe.stop()
    return {"fault": fault, "documents_in": len(docs), "acknowledged": publisher.acknowledged, "poison_in": bad,
            **checked, "dead_letters": letters, **result, "unplanned_restarts": dict(pipe.unplanned),
            "seconds": round(elapsed, 1), "events": pipe.events}


def reconcile(wh, source: str, expected: set[str], run_id: str | None, since: datetime) -> dict:
    """Stored once each (FINAL), classified once each, aggregates counted once; what the ledger says."""
    from vigil.warehouse.sink import backfill_events

    bound = {"s": source}
    rows = int(wh.scalar("SELECT count() FROM documents WHERE source_id = {s:String}", bound))
    final = [r["id"] for r in wh.query("SELECT id FROM documents FINAL WHERE source_id = {s:String}", bound)]
    labelled = wh.query("SELECT document_id, count() AS n FROM classifications FINAL WHERE document_id IN "
                        "(SELECT id FROM documents WHERE source_id = {s:String}) GROUP BY document_id", bound)
    backfill_events(wh, since)  # classifications that overtook their documents, as the trends flow does
    aggregate = wh.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any' AND source_id = {s:String}",
                          bound)
    ledger = {}
    if run_id:
        ledger = {r["stage"]: int(r["n"]) for r in wh.query(
            "SELECT stage, sum(count) AS n FROM pipeline_counts WHERE run_id = {r:String} GROUP BY stage",
            {"r": run_id})}
    stored = set(final)
    return {"stored": len(stored), "rows_before_dedup": rows, "duplicates_after_dedup": len(final) - len(stored),
            "missing": len(expected - stored), "unexpected": len(stored - expected),
            "classified": len({r["document_id"] for r in labelled} & expected),
            "classification_duplicates": sum(int(r["n"]) - 1 for r in labelled),
            "aggregate_documents": int(aggregate or 0), "ledger": ledger}


def ok(result: dict) -> bool:
    """Did the fault leave every document stored exactly once with its classification, counted once?"""
    n = result["documents_in"]
    return (result["stored"] == n and result["missing"] == 0 and result["unexpected"] == 0
            and result["duplicates_after_dedup"] == 0 and result["classified"] == n
            and result["classification_duplicates"] == 0 and result["aggregate_documents"] == n
            and all(d["originals"] == result.get("poison_in", 0) for d in result.get("dead_letters", {}).values())
            and result.get("committed_while_down", 0) == 0 and not result.get("lost_decisions")
            and not result.get("runs_counted_twice") and not result.get("crawls_cut_short_recorded_ok"))


# -- running them -----------------------------------------------------------------------------------

def run_fault(rig: Rig, bus: Bus | None, fault: str, opts: Options, rng: random.Random) -> dict:
    """Run one fault on ``rig`` (its broker started, and its owner unless the fault is the `vigil up` one);
    the result says ``ok`` when the reconciliation holds, or carries the ``error`` that stopped it."""
    began = time.monotonic()
    try:
        if fault in SYNTHETIC:
            result = run_synthetic(rig, bus, fault, opts, rng)
        elif fault == "crawl-resume":
            from benchmarks.fault_crawl import run_crawl_resume

            result = run_crawl_resume(rig, bus, opts, rng)
        else:
            from benchmarks.fault_up import run_dashboard_scheduler

            result = run_dashboard_scheduler(rig.home / "up", rig.bootstrap, opts, rng)
    except Exception as exc:  # noqa: BLE001 - reported in the table; the other faults still run
        result = {"fault": fault, "error": f"{type(exc).__name__}: {exc}"[:4000],
                  "seconds": round(time.monotonic() - began, 1)}
    result["ok"] = "error" not in result and ok(result)
    return result


def run_faults(home: Path, faults: list[str], opts: Options) -> list[dict]:
    """Run each fault in turn on one rig under ``home``; return one result per fault."""
    rng = random.Random(opts.seed)
    rig = Rig(home)
    bus = None
    results = []
    try:
        needs_owner = any(f != "kill-dashboard-scheduler" for f in faults)
        if needs_owner or opts.up_mode == "distributed":
            rig.start_broker()
        if needs_owner:
            rig.start_owner()
        bus = Bus(rig.bootstrap) if rig.bootstrap else None
        for fault in faults:
            print(f"fault {fault} ...", file=sys.stderr, flush=True)
            result = run_fault(rig, bus, fault, opts, rng)
            results.append(result)
            print(f"fault {fault}: {'ok' if result['ok'] else 'FAILED'} in {result.get('seconds')} s",
                  file=sys.stderr, flush=True)
    finally:
        if bus is not None:
            bus.reset()
        rig.close()
    return results


def main() -> None:
    defaults = Options()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=defaults.documents)
    parser.add_argument("--crawl-pages", type=int, default=defaults.crawl_pages)
    parser.add_argument("--up-pages", type=int, default=defaults.up_pages)
    parser.add_argument("--up-first-pages", type=int, default=defaults.up_first_pages)
    parser.add_argument("--fault", action="append", choices=FAULTS, help="run only this fault (repeatable)")
    parser.add_argument("--rate", type=float, default=defaults.rate, help="documents published per second")
    parser.add_argument("--classifiers", type=int, default=defaults.classifiers)
    parser.add_argument("--classifier", choices=["rules", "model"], default=defaults.classifier)
    parser.add_argument("--kills", type=int, default=defaults.kills)
    parser.add_argument("--session-timeout-ms", type=int, default=None)
    parser.add_argument("--broker-down-s", type=float, default=defaults.broker_down_s)
    parser.add_argument("--warehouse-down-s", type=float, default=defaults.warehouse_down_s)
    parser.add_argument("--up-mode", choices=["embedded", "distributed"], default=defaults.up_mode)
    parser.add_argument("--mark-crashed", action="store_true", help="mark the flow run the scheduler's kill left "
                        "RUNNING as CRASHED, releasing its deployment's concurrency slot at once (else Prefect "
                        "keeps it until its lease ends, 300 s)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--home", type=Path, help="keep the run's home (logs, warehouse) here; default: a temporary one")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks" / "faults.json")
    parser.add_argument("--markdown", type=Path, default=REPO / "benchmarks" / "RESULTS.md",
                        help="the report whose fault section gets the table ('-' for none)")
    args = parser.parse_args()
    # SIGTERM (a timeout, a service manager) unwinds like Ctrl-C: every process started here is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    opts = Options(documents=args.documents, crawl_pages=args.crawl_pages, up_pages=args.up_pages,
                   up_first_pages=args.up_first_pages, rate=args.rate,
                   classifiers=args.classifiers, classifier=args.classifier, kills=args.kills,
                   session_timeout_ms=args.session_timeout_ms, broker_down_s=args.broker_down_s,
                   warehouse_down_s=args.warehouse_down_s, up_mode=args.up_mode,
                   mark_crashed=args.mark_crashed, seed=args.seed)
    import tempfile

    from benchmarks.report import machine
    from benchmarks.results_md import fault_table, write_markdown

    with tempfile.TemporaryDirectory(prefix="vigil-faults-") as temporary:
        home = args.home or Path(temporary)
        home.mkdir(parents=True, exist_ok=True)
        results = run_faults(home, list(args.fault or FAULTS), opts)
    document = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
                "options": asdict(opts), "results": results}
    dump(args.json, document)
    print(fault_table(document))
    if str(args.markdown) != "-":
        write_markdown(args.markdown, faults=document)
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
