"""End to end under `vigil up`: documents per second from crawl to dashboard-visible, and the delay from
fetch to visible at a steady crawl, with the peak memory of every long-running process.

For each mode (``--modes embedded distributed``), on a fresh home, `vigil up --flow crawl` runs every
part as in production (distributed: ``--classifiers`` classify consumers, the sink and the feedback
consumer on the broker at ``--bootstrap``, or one `vigil up` starts). The demo site serves generated
articles (``/bench/sitemap.xml?n=N``) from two processes, so that the two crawls below get documents
of their own.

1. Throughput: a run of the crawl deployment over ``--pages`` pages, timed from the request for the
   flow run until the dashboards' API (``/api/v1/documents``, as an API token sees it) lists them
   all, each with its classification stored (the API lists stored documents before any model has
   labelled one; counting those would time the crawl and the store, not the classifier). Baseline, in the same run: bare Scrapy fetching the same pages at the same concurrency
   (``bench_crawl.py``'s), so the ratio is the share of the fetch rate the whole pipeline keeps.
2. Latency: a steady crawl of other pages, one request at a time ``1/--rate`` seconds apart (by
   default half the rate measured in 1, so the pipeline is not saturated), ``--latency-docs`` of them
   (default: two minutes' worth, at least 20), while the API is polled every ``--poll-s``. The i-th document fetched (by the
   ``fetched_at`` stored) is matched with the i-th listed: its delay runs from its fetch to the first
   poll that counted i documents (exact for a pipeline that keeps order; p50 and p95 hold for one that
   nearly does). Embedded mode stores at each crawler flush (every 500 documents and at the end).
3. Memory: the peak RSS (VmHWM) of each part `vigil up` lists in ``<home>/run/up.json``, and of the
   largest of its descendants, sampled every 2 s.

    .venv/bin/python benchmarks/bench_end_to_end.py [--modes embedded distributed] [--pages 2000]
        [--latency-docs N] [--rate PAGES_PER_S] [--bootstrap HOST:PORT] [--json out.json]

The scheduler polls Prefect for runs every 2 s (``PREFECT_RUNNER_POLL_FREQUENCY``; Prefect's default
is 10 s), as the tests run it.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.up_rig import MemorySampler, Up, UpHome, demo_site, sitemap_source  # noqa: E402

FAILED = {"FAILED", "CRASHED", "CANCELLED"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def delays(fetched: list[float], polls: list[tuple[float, int]]) -> list[float]:
    """Delay of the i-th fetched document: the first poll listing at least i+1 documents, minus its fetch
    time (``fetched`` and the polls' times in seconds since the epoch)."""
    out, index = [], 0
    for i, at in enumerate(sorted(fetched)):
        while index < len(polls) and polls[index][1] < i + 1:
            index += 1
        if index == len(polls):
            break
        out.append(max(0.0, polls[index][0] - at))
    return out


def run_mode(mode: str, args: argparse.Namespace, bare_rate: float, work: Path) -> dict:
    distributed = mode == "distributed"
    bus = None
    if distributed:
        bus = {"topic_prefix": f"e2e{uuid.uuid4().hex[:8]}.", **({"bootstrap_servers": args.bootstrap}
                                                                  if args.bootstrap else {})}
    home = UpHome(work / mode, bus)
    logs = home.home / "logs"
    site, base = demo_site(logs, "site-throughput")
    other, other_base = demo_site(logs, "site-latency")
    up = Up(home, "--flow", "crawl", *(["--distributed", "--classifiers", str(args.classifiers)] if distributed else []))
    sampler = MemorySampler(up)
    try:
        ready_s = up.start()
        sampler.start()
        throughput = sitemap_source("e2e-throughput", base, args.pages)
        home.write_sources([throughput])
        began = time.monotonic()
        run = up.run_crawl()
        up.wait(f"{args.pages} documents visible", lambda: (up.visible_classified("e2e-throughput") or 0) >= args.pages
                or up.flow_state(run) in FAILED, args.timeout, pause_s=0.5)
        elapsed = time.monotonic() - began
        if up.flow_state(run) in FAILED:
            raise RuntimeError(f"the crawl flow run ended {up.flow_state(run)}\n{up.logs()}")
        rate = args.pages / elapsed

        steady = args.rate or min(20.0, max(0.5, round(rate / 2, 1)))
        count = args.latency_docs or max(20, round(steady * 120))
        home.write_settings(download_delay_s=round(1 / steady, 4), concurrency_per_domain=1)
        home.write_sources([throughput, sitemap_source("e2e-latency", other_base, count)])
        run = up.run_crawl()
        polls: list[tuple[float, int]] = []
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            seen = up.visible_classified("e2e-latency")
            polls.append((time.time(), seen or 0))
            if (seen or 0) >= count or up.flow_state(run) in FAILED:
                break
            time.sleep(args.poll_s)
        with up.warehouse() as wh:
            fetched = [r["t"] for r in wh.query("SELECT toUnixTimestamp64Milli(fetched_at) / 1000 AS t FROM documents "
                                                "FINAL WHERE source_id = 'e2e-latency'")]
            crawl_s = wh.scalar("SELECT (max(fetched_at) - min(fetched_at)) FROM documents WHERE source_id = 'e2e-latency'")
        found = delays(fetched, polls)
        if len(found) < count:
            raise RuntimeError(f"only {len(found)} of {count} latency documents became visible")
        sampler.sample()
        return {"ready_s": round(ready_s, 1),
                "throughput": {"documents": args.pages, "seconds": round(elapsed, 1), "docs_per_s": round(rate, 1),
                               "bare_pages_per_s": round(bare_rate, 1), "ratio": round(rate / bare_rate, 3)},
                "latency": {"documents": len(found), "rate": steady, "poll_s": args.poll_s,
                            "crawl_s": round(float(crawl_s or 0), 1), "p50_s": round(statistics.median(found), 2),
                            "p95_s": round(percentile(found, 0.95), 2), "max_s": round(max(found), 2)},
                "memory": sampler.parts}
    finally:
        sampler.stop.set()
        up.stop()
        site.stop()
        other.stop()


def bare_rate(pages: int, concurrency: int, work: Path) -> float:
    """Bare Scrapy fetching the same kind of pages (bench_crawl's child), pages a second end to end."""
    from benchmarks.bench_crawl import bare

    site, base = demo_site(work / "logs", "site-bare")
    try:
        fetched, seconds, _, _ = bare(f"{base}/bench/sitemap.xml?n={pages}", concurrency)
    finally:
        site.stop()
    return fetched / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", nargs="+", choices=["embedded", "distributed"], default=["embedded", "distributed"])
    parser.add_argument("--pages", type=int, default=2000, help="pages of the throughput crawl")
    parser.add_argument("--latency-docs", type=int, help="pages of the steady crawl (default: 2 minutes' worth)")
    parser.add_argument("--rate", type=float, help="pages a second of the steady crawl (default: half the "
                                                   "end-to-end rate measured first)")
    parser.add_argument("--poll-s", type=float, default=0.5, help="how often the dashboards' API is asked")
    parser.add_argument("--classifiers", type=int, default=2, help="classify consumers (distributed)")
    parser.add_argument("--bootstrap", help="the Kafka broker for distributed mode; default: vigil up starts one")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds each crawl may take to become visible")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    # SIGTERM (a timeout, a service manager) unwinds like Ctrl-C: every process started here is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    report: dict = {"pages": args.pages, "external_broker": args.bootstrap is not None, "modes": {}}
    with tempfile.TemporaryDirectory(prefix="vigil-e2e-") as temporary:
        work = Path(temporary)
        baseline = bare_rate(args.pages, 8, work)
        print(f"bare scrapy: {baseline:.1f} pages/s", flush=True)
        for mode in args.modes:
            try:
                result = run_mode(mode, args, baseline, work)
            except Exception as exc:  # noqa: BLE001 - reported; the other mode still runs
                result = {"error": f"{type(exc).__name__}: {exc}"[-3000:]}
            report["modes"][mode] = result
            if "error" in result:
                print(f"{mode}: FAILED {result['error']}", flush=True)
                continue
            t, lat = result["throughput"], result["latency"]
            print(f"{mode}: ready in {result['ready_s']} s; {t['docs_per_s']} docs/s crawl to dashboard-visible = "
                  f"ratio {t['ratio']:.2f} of bare Scrapy; fetch to visible p50 {lat['p50_s']} s, p95 {lat['p95_s']} s "
                  f"at ~{lat['rate']:g} pages/s", flush=True)
            for part, memory in result["memory"].items():
                print(f"  {part:12s} peak RSS {memory['peak_rss_mb']:6d} MiB   largest descendant "
                      f"{memory['descendant_peak_rss_mb']:6d} MiB {memory['descendant']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.exit(1 if any("error" in r for r in report["modes"].values()) else 0)


if __name__ == "__main__":
    main()
