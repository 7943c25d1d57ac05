"""A crawl interrupted and resumed: ``vigil crawl`` of demo-site pages into raw-documents, killed with
SIGKILL once its crawl state (``<home>/crawl_state``) has recorded a batch of delivered documents, then
run again. The resumed crawl must drop what the state recorded and emit the rest: every page stored
once, and at most the documents delivered since the last recorded batch sent twice (``re_emitted``)."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone

from benchmarks.fault_rig import Bus, Pipeline, Proc, Rig, vigil
from benchmarks.faults import Options, Run, reconcile
from benchmarks.up_rig import demo_site


def run_crawl_resume(rig: Rig, bus: Bus, opts: Options, rng: random.Random) -> dict:
    from crawlers.run import COMMIT_EVERY
    from vigil.schemas import document_id

    pages = opts.crawl_pages
    pipe = Pipeline(rig, "crawl-resume", classifiers=opts.classifiers, classifier=opts.classifier,
                    max_poll_records=opts.max_poll_records, session_timeout_ms=opts.session_timeout_ms).start()
    site, base = demo_site(rig.logs)
    source = "faults-crawl"
    since = datetime.now(timezone.utc) - timedelta(hours=1)
    run = Run(rig, bus, pipe, source, pages, opts.timeout_s)
    raw = pipe.topic("raw-documents")
    published = lambda: sum((bus.end_offsets(raw) or {}).values())  # noqa: E731
    try:
        registry = rig.home / "crawl-sources.yaml"
        registry.write_text(f"sources:\n  - id: {source}\n    kind: sitemap\n    url: {base}/bench/sitemap.xml?n={pages}\n"
                            f"    sitemap: {{max_pages: {pages + 10}}}\n", encoding="utf-8")
        env = {**pipe.env, "VIGIL_CRAWL__ALLOW_PRIVATE_NETWORKS": "true", "VIGIL_CRAWL__DOWNLOAD_DELAY_S": "0",
               "VIGIL_CRAWL__AUTOTHROTTLE": "false", "VIGIL_CRAWL__CONCURRENCY_PER_DOMAIN": "4"}
        crawl = Proc("crawl", vigil("crawl", "--sources", str(registry)), env, rig.logs / "crawl.log")
        # Kill it once its crawl state has recorded a batch (every COMMIT_EVERY documents), short of the end.
        low = COMMIT_EVERY + 10 if pages > COMMIT_EVERY + 60 else pages // 4
        point = rng.randint(low, max(low, pages - 40))
        run.joined()
        began = time.monotonic()
        crawl.start()
        run.wait(f"the crawl to publish {point} documents", lambda: published() >= point or not crawl.alive)
        if not crawl.alive:
            raise RuntimeError(f"the crawl ended before it could be interrupted:\n{crawl.tail()}")
        at_kill = published()
        crawl.kill()
        killed = time.monotonic()
        pipe.note(f"SIGKILL the crawl after {at_kill} documents published")
        time.sleep(rng.uniform(0.5, 2.0))
        crawl.start()
        restarted = time.monotonic()
        recover = run.wait("the resumed crawl's first document", lambda: published() > at_kill or not crawl.alive)
        run.wait("the resumed crawl to finish", lambda: not crawl.alive)
        if crawl.popen.returncode != 0:
            raise RuntimeError(f"the resumed crawl failed:\n{crawl.tail()}")
        run.wait("every page stored and classified", lambda: run.done >= pages)
        run.wait("every consumer group to catch up", run.caught_up)
        elapsed = time.monotonic() - began
        expected = {document_id(f"{base}/bench/article-{i}.html") for i in range(pages)}
        checked = reconcile(rig.warehouse(), source, expected, None, since)
        records = published()
    finally:
        pipe.stop()
        site.stop()
    return {"fault": "crawl-resume", "documents_in": pages, **checked,
            "injected": f"SIGKILL the crawl at {at_kill} of {pages} published, then run it again",
            "published_records": records, "re_emitted": records - pages, "commit_every": COMMIT_EVERY,
            "recover_s": round(restarted - killed + recover, 1), "unplanned_restarts": dict(pipe.unplanned),
            "seconds": round(elapsed, 1), "events": pipe.events}
