"""The dashboard and the scheduler killed under `vigil up`: no decision lost, no flow run counted twice.

On a fresh home, `vigil up --flow crawl` (embedded, or distributed on the harness's broker) crawls a
first demo-site source of ``up_first_pages`` pages (the documents reviewers decide on). Then the
scheduler gets SIGKILL while a crawl flow run of a second source of ``up_pages`` pages is in
progress, and the dashboard while a reviewer posts decisions through its API (re-posting any whose
answer did not come back); the supervisor restarts them. A last crawl flow run finishes the second
source. Then it checks:

- every decision the API acknowledged (201 with its id) is in ``review_decisions`` exactly once;
- every document of both sources is stored once (FINAL), classified, and counted once in ``counts_daily``;
- no flow run counted twice: Prefect's ``run_count`` of each crawl flow run is at most 1, ``crawl_runs``
  holds at most one row per run and source (before FINAL), and no run's ledger (``pipeline_counts``)
  counts more documents crawled than its sources have pages;
- and it reports what reconciliation flags for those runs, how long each part took to come back, and
  how long until a crawl flow run could start again (the killed run keeps the deployment's
  concurrency slot until Prefect's lease on it ends).
"""

from __future__ import annotations

import random
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.up_rig import Up, UpHome, demo_site, http, sitemap_source


class Reviewer(threading.Thread):
    """Posts one confirm decision per document through the API, ``rate`` a second; a post whose answer
    did not come back (the dashboard died) is sent again once the dashboard answers."""

    def __init__(self, up: Up, documents: list[str], rate: float = 2.0) -> None:
        super().__init__(daemon=True, name="reviewer")
        self.up, self.documents, self.rate = up, documents, rate
        self.acknowledged: dict[str, str] = {}  # decision id -> document id
        self.unanswered = self.refused = 0
        self.stop = threading.Event()

    def run(self) -> None:
        base, token = self.up.meta["dashboards"], self.up.home.token
        for document_id in self.documents:
            while not self.stop.is_set():
                try:
                    status, answer = http(f"{base}api/v1/items/{document_id}/decisions",
                                          {"action": "confirm", "categories": ["recruitment"]}, token=token)
                except OSError:
                    self.unanswered += 1  # no answer: the decision may or may not have been stored
                    self.stop.wait(1.0)
                    continue
                if status == 201:
                    self.acknowledged[answer["decision_id"]] = document_id
                elif status >= 500:
                    self.unanswered += 1
                    self.stop.wait(1.0)
                    continue
                else:
                    self.refused += 1  # e.g. 409: decided already by a post whose answer was lost
                break
            self.stop.wait(1 / self.rate)


def sigkill_part(up: Up, name: str) -> float:
    """SIGKILL part ``name``; seconds until the supervisor has it ready again."""
    import os
    import signal

    pid = up.part(name)["pid"]
    restarts = up.part(name)["restarts"]
    killed = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    up.wait(f"{name} restarted", lambda: up.part(name)["restarts"] > restarts and up.part(name)["ready"]
            and up.part(name)["pid"] != pid, 300, pause_s=0.25)
    return round(time.monotonic() - killed, 1)


def run_dashboard_scheduler(home: Path, bootstrap: str | None, opts, rng: random.Random) -> dict:
    distributed = opts.up_mode == "distributed"
    bus = ({"bootstrap_servers": bootstrap, "topic_prefix": f"faults-up-{rng.randrange(10**6)}.",
            "session_timeout_ms": 6000} if distributed else None)
    up_home = UpHome(home, bus)
    site, base = demo_site(home / "logs")
    other_site, other = demo_site(home / "logs", "demo-site-2")  # the second source's pages get ids of their own
    # The classify stage is the harness's choice (`--classifier`): the rules alone, as in the synthetic faults,
    # let a crawl of 20,000 pages finish in minutes where the model labels about 4 documents a second here.
    up = Up(up_home, "--flow", "crawl", *(["--distributed", "--classifiers", "1"] if distributed else []),
            env={"VIGIL_CLASSIFIER__MODEL": "rules"} if opts.classifier == "rules" else None)
    pages, first_pages = opts.up_pages, opts.up_first_pages  # the first source: what reviewers decide on
    since = datetime.now(timezone.utc) - timedelta(hours=1)
    first = sitemap_source("faults-up-first", base, first_pages)
    second = sitemap_source("faults-up-second", other, pages)
    began = time.monotonic()
    try:
        up.start()
        up_home.write_sources([first])
        runs = [up.run_crawl()]
        if up.wait_flow(runs[0]) != "COMPLETED":
            raise RuntimeError(f"the first crawl did not complete\n{up.logs()}")
        up.wait("the first source's documents", lambda: (up.visible("faults-up-first") or 0) >= first_pages, 600)
        with up.warehouse() as wh:
            ids = [r["id"] for r in wh.query("SELECT id FROM documents FINAL WHERE source_id = 'faults-up-first' "
                                             "ORDER BY id")]
        up_home.write_sources([first, second])
        up_home.write_settings(concurrency_per_domain=2)
        runs.append(up.run_crawl())
        up.wait("the second crawl to run", lambda: up.flow_state(runs[1]) == "RUNNING", 300, pause_s=0.25)
        running = time.monotonic()
        # The scheduler dies mid-crawl...
        if distributed:  # the crawl publishes as it goes: kill it once its first documents are in
            up.wait("the second crawl's first documents", lambda: _stored(up, "faults-up-second") > 0
                    or up.flow_state(runs[1]) != "RUNNING", 300, pause_s=0.2)
            time.sleep(rng.uniform(0.0, 1.0))
        else:  # it stores at its flushes (every 500 documents, and at the end): kill it within its first seconds
            time.sleep(max(0.0, running + rng.uniform(2.0, 8.0) - time.monotonic()))
        if up.flow_state(runs[1]) != "RUNNING":
            raise RuntimeError(f"the second crawl ended ({up.flow_state(runs[1])}) before the scheduler was killed; "
                               "use more --up-pages")
        killed_at = time.monotonic()
        scheduler_back = sigkill_part(up, "scheduler")
        killed_run = up.flow_run(runs[1])
        if opts.mark_crashed:  # what an operator does for a run its runner can no longer report on
            status, answer = http(f"{up.meta['prefect_api_url']}/flow_runs/{runs[1]}/set_state",
                                  {"state": {"type": "CRASHED", "message": "its scheduler was killed"},
                                   "force": True}, busy_retries=30)
            if status not in (200, 201):
                raise RuntimeError(f"could not mark the killed flow run crashed: {status} {answer}")
        # ... and the dashboard mid-review.
        reviewer = Reviewer(up, ids)
        reviewer.start()
        point = rng.randint(3, max(4, len(ids) // 2))
        up.wait(f"{point} decisions", lambda: len(reviewer.acknowledged) >= point or not reviewer.is_alive(), 300)
        dashboard_back = sigkill_part(up, "dashboard")

        up_home.write_settings(concurrency_per_domain=8)
        runs.append(up.run_crawl())
        # The killed run still holds the crawl deployment's concurrency slot until Prefect's lease ends.
        up.wait("the next crawl flow run to start", lambda: up.flow_state(runs[2]) not in {"SCHEDULED", "PENDING"},
                900, pause_s=0.5)
        runs_again = round(time.monotonic() - killed_at, 1)
        final_state = up.wait_flow(runs[2])
        reviewer.join(600)
        expected = first_pages + pages
        # Whatever the crawls published is stored and classified (a crawl cut short shows as missing pages).
        up.wait("what the crawls published, stored and classified", _settled(up), 1200, pause_s=2.0)
        up.wait("every acknowledged decision stored", lambda: _decisions(up, reviewer)["found"] >= len(
            reviewer.acknowledged), 180)
        result = {"fault": "kill-dashboard-scheduler", "mode": opts.up_mode, "documents_in": expected,
                  **_documents(up, since, expected), **_decisions(up, reviewer),
                  **_runs(up, runs, {first["id"]: first_pages, second["id"]: pages}),
                  "injected": "SIGKILL the dashboard mid-review and the scheduler mid-crawl",
                  "recover_s": max(dashboard_back, scheduler_back, runs_again), "dashboard_back_s": dashboard_back,
                  "scheduler_back_s": scheduler_back, "crawl_runs_again_s": runs_again,
                  "killed_run_state": (killed_run.get("state") or {}).get("type"),
                  "last_run_state": final_state, "seconds": round(time.monotonic() - began, 1)}
    finally:
        up.stop()
        site.stop()
        other_site.stop()
    return result


def _stored(up: Up, source_id: str) -> int:
    with up.warehouse() as wh:
        return int(wh.scalar("SELECT count() FROM documents WHERE source_id = {s:String}", {"s": source_id}))


def _settled(up: Up, quiet_s: float = 15.0):
    """A check: every stored document of both sources classified, and no new one for ``quiet_s``."""
    last = {"stored": -1, "since": time.monotonic()}

    def check() -> bool:
        with up.warehouse() as wh:
            row = wh.query("SELECT (SELECT uniqExact(id) FROM documents WHERE source_id IN {s:Array(String)}) AS "
                           "stored, (SELECT uniqExact(document_id) FROM classifications WHERE document_id IN (SELECT "
                           "id FROM documents WHERE source_id IN {s:Array(String)})) AS classified",
                           {"s": ["faults-up-first", "faults-up-second"]})[0]
        if row["stored"] != last["stored"]:
            last.update(stored=row["stored"], since=time.monotonic())
        return row["classified"] >= row["stored"] and time.monotonic() - last["since"] >= quiet_s
    return check


def _documents(up: Up, since: datetime, expected: int) -> dict:
    from vigil.warehouse.sink import backfill_events

    sources = {"s": ["faults-up-first", "faults-up-second"]}
    with up.warehouse() as wh:
        final = [r["id"] for r in wh.query("SELECT id FROM documents FINAL WHERE source_id IN {s:Array(String)}",
                                           sources)]
        labelled = wh.query("SELECT document_id, count() AS n FROM classifications FINAL WHERE document_id IN "
                            "(SELECT id FROM documents WHERE source_id IN {s:Array(String)}) GROUP BY document_id",
                            sources)
        rows = wh.scalar("SELECT count() FROM documents WHERE source_id IN {s:Array(String)}", sources)
        backfill_events(wh, since)
        aggregate = wh.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any' "
                              "AND source_id IN {s:Array(String)}", sources)
    stored = set(final)
    return {"stored": len(stored), "rows_before_dedup": int(rows), "duplicates_after_dedup": len(final) - len(stored),
            "missing": max(0, expected - len(stored)), "unexpected": max(0, len(stored) - expected), "classified": len({r["document_id"] for r in labelled} & stored),
            "classification_duplicates": sum(int(r["n"]) - 1 for r in labelled),
            "aggregate_documents": int(aggregate or 0)}


def _decisions(up: Up, reviewer: Reviewer) -> dict:
    acknowledged = list(reviewer.acknowledged)
    with up.warehouse() as wh:
        found = {r["decision_id"]: int(r["n"]) for r in wh.query(
            "SELECT decision_id, count() AS n FROM review_decisions FINAL WHERE decision_id IN {ids:Array(String)} "
            "GROUP BY decision_id", {"ids": acknowledged})} if acknowledged else {}
        stored = wh.scalar("SELECT count() FROM review_decisions FINAL WHERE document_id IN {ids:Array(String)}",
                           {"ids": reviewer.documents})
    return {"decisions_acknowledged": len(acknowledged), "found": len(found),
            "lost_decisions": len(set(acknowledged) - set(found)),
            "decision_duplicates": sum(n - 1 for n in found.values()),
            "decisions_stored": int(stored), "posts_unanswered": reviewer.unanswered,
            "posts_refused": reviewer.refused}


def _runs(up: Up, runs: list[str], pages: dict[str, int]) -> dict:
    """Each crawl flow run executed once: Prefect's run_count, crawl_runs rows and the ledger per run; and
    what reconciliation makes of each run's ledger."""
    from flows.reconcile import judge, stage_totals

    prefect = {run_id: int(up.flow_run(run_id).get("run_count") or 0) for run_id in runs}
    stages = ("crawled", "published", "stored", "classified", "dead_lettered")
    with up.warehouse() as wh:
        rows = wh.query("SELECT run_id, source_id, count() AS n FROM crawl_runs GROUP BY run_id, source_id")
        ledger: dict[str, dict] = {}
        for window in stage_totals(wh, datetime.now(timezone.utc) - timedelta(days=1)):
            entry = ledger.setdefault(window["run_id"], dict.fromkeys(stages, 0))
            for stage in stages:
                entry[stage] += int(window[stage])
        crawls = wh.query("SELECT run_id, source_id, status, published, JSONExtractString(stats, 'finish_reason') AS "
                          "finish_reason FROM crawl_runs FINAL ORDER BY started_at")
    twice = [f"prefect run {r} ran {n} times" for r, n in prefect.items() if n > 1]
    twice += [f"crawl_runs {r['run_id']}/{r['source_id']}: {r['n']} rows" for r in rows if int(r["n"]) > 1]
    most = sum(pages.values())
    twice += [f"ledger {run_id}: {entry['crawled']} crawled > {most} pages" for run_id, entry in ledger.items()
              if entry["crawled"] > most]
    flagged = {run_id[-13:]: judge(entry)[1] for run_id, entry in ledger.items() if run_id and not judge(entry)[0]}
    # A crawl Scrapy ended early (its finish reason "shutdown": a SIGTERM) but recorded as ok: its source is not
    # due again until its interval has passed, so the pages it did not reach wait that long.
    cut_short = [f"{r['run_id'][-13:]}/{r['source_id']}: status {r['status']}, {r['published']} published, finish "
                 f"reason {r['finish_reason']}" for r in crawls if r["status"] == "ok"
                 and r["finish_reason"] not in ("", "finished")]
    return {"flow_runs": len(runs), "prefect_run_counts": list(prefect.values()), "runs_counted_twice": twice,
            "ledger": {run_id[-13:]: {k: v for k, v in entry.items() if v} for run_id, entry in ledger.items() if run_id},
            "ledger_stored_total": sum(e["stored"] for e in ledger.values()), "incomplete_runs": flagged,
            "crawls_cut_short_recorded_ok": cut_short,
            "crawl_runs": [{k: r[k] for k in ("source_id", "status", "published", "finish_reason")} for r in crawls]}
