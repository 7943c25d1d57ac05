"""Dashboards benchmark: each analysts' page's server time on synthetic warehouses of N documents.

Each size runs in a fresh chDB directory in a child process (chDB allows one directory per process):
the documents, classifications and counted events of ``bench_warehouse.generate`` (N documents over
90 days, 300 sources, 6 languages, about 6% flagged), plus what the other pages read: the source
registry, four crawl runs a day per source, spike alerts with drivers, emerging terms, incomplete
hours, a model promotion, and N/100 documents that link to and forward from other sources. Once the
background merges are done, the app answers each page through FastAPI's TestClient, signed in as an
analyst, over the last 30 days: p50 and p95 of ``--repeats`` requests after a warm-up.

    .venv/bin/python benchmarks/bench_dashboards.py [--sizes 1000000 10000000] [--repeats 20] [--json out.json]

Prints per size and page p50/p95 in ms and ``ratio`` p95 / target (target: p95 < 300 ms at 10M).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_warehouse import END, _percentile, generate  # noqa: E402

TARGET_MS = 300
RANGE = f"start={(END - timedelta(days=30)).date()}&end={(END - timedelta(days=1)).date()}"
PAGES = {
    "overview": f"/?{RANGE}",
    "overview_hourly_share": f"/?start={(END - timedelta(days=7)).date()}&end={(END - timedelta(days=1)).date()}"
                             "&granularity=hour&measure=share",
    "overview_category_source": f"/?{RANGE}&category=racism&source=source-7",
    "compare": f"/compare?b_{RANGE.replace('&', '&b_')}",
    "alerts": f"/alerts?{RANGE}",
    "alert": "/alerts/alert-0",
    "sources": f"/sources?{RANGE}",
    "source": f"/sources/source-7?{RANGE}",
    "search": f"/search?{RANGE}",
    "search_category": f"/search?{RANGE}&category=racism&language=ru",
    "search_text": f"/search?{RANGE}&q=post+12345",
    "search_link": f"/search?{RANGE}&link=t.me/chan3",
    "api_trends": f"/api/v1/trends?{RANGE}",
}
EXTRA = [
    # The registry: every synthetic source.
    "INSERT INTO sources (source_id, kind, url, enabled, interval_minutes) SELECT concat('source-', toString(number)), "
    "'site', concat('https://s', toString(number), '.example.org/'), true, 360 FROM numbers(300)",
    # Four crawl runs a day per source for 90 days; one in twenty failed; a few pages skipped.
    "INSERT INTO crawl_runs (run_id, source_id, started_at, finished_at, status, crawled, published, dropped, errors, "
    "error, stats) SELECT concat('run-', toString(intDiv(number, 300))), concat('source-', toString(number % 300)), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(6 * intDiv(number, 300) + 6), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(6 * intDiv(number, 300) + 6) + toIntervalMinute(3), "
    "if(cityHash64(number) % 20 = 0, 'failed', 'ok'), 100, 95, 5, if(cityHash64(number) % 20 = 0, 1, 0), "
    "if(cityHash64(number) % 20 = 0, 'TimeoutError: slow', ''), '{\"skipped\": {\"robots_txt\": 3}}' "
    "FROM numbers(300 * 4 * 90)",
    # Spike alerts with their drivers; one in five late.
    "INSERT INTO alerts (alert_id, raised_at, window_start, window_end, category, source_id, language, model_version, "
    "observed, expected, score, method, drivers, summary, late) SELECT concat('alert-', toString(number)), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(4 * number) + toIntervalHour(if(number % 5 = 0, 6, 1)), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(4 * number), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(4 * number) + toIntervalHour(1), 'racism', "
    "concat('source-', toString(number % 300)), 'en', 'bench-1', 30, 2, 9.5, 'seasonal-robust-z', "
    "'{\"top_sources\": [{\"source_id\": \"source-1\", \"flagged\": 12}], \"top_terms\": [{\"term\": \"#x\", "
    "\"kind\": \"hashtag\", \"z\": 5.1, \"recent\": 9}], \"near_duplicate_clusters\": [{\"signature\": \"00ff\", "
    "\"documents\": 7, \"examples\": [\"a\", \"b\"]}], \"model_version\": \"bench-1\"}', 'racism spike', "
    "number % 5 = 0 "
    "FROM numbers(500)",
    # Emerging terms: a run a day for the last 30 days, 20 terms per language.
    "INSERT INTO emerging_terms (computed_at, window_start, window_end, language, term, kind, z_score, recent_count, "
    "baseline_count) SELECT toDateTime64({end:String}, 3, 'UTC') - toIntervalDay(intDiv(number, 120)), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalDay(intDiv(number, 120) + 1), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalDay(intDiv(number, 120)), "
    "['en','ru','de','kk','uz','tg'][number % 6 + 1], concat('term', toString(number % 120)), 'word', "
    "(number % 97) / 10, 10, 1 FROM numbers(120 * 30)",
    # Incomplete hours, and a model promotion.
    "INSERT INTO reconciliation (window_start, run_id, crawled, published, classified, dead_lettered, stored, "
    "complete, reason) SELECT toDateTime64({end:String}, 3, 'UTC') - toIntervalHour(7 * number + 3), 'bench', "
    "10, 7, 7, 0, 7, false, '3 crawled but not published' FROM numbers(60)",
    "INSERT INTO model_decisions (decided_at, candidate_version, current_version, promoted, reason) "
    "VALUES (toDateTime64({end:String}, 3, 'UTC') - toIntervalDay(20), 'bench-1', 'bench-0', true, 'better gate')",
    # N/100 documents that link to other sources (registered or not) and forward from channels.
    "INSERT INTO documents (id, url, source_id, source_kind, text, content_hash, language, published_at, fetched_at, "
    "links, extra, crawl_run_id) SELECT lower(hex(MD5(concat('link-', toString(number))))), "
    "concat('https://s', toString(number % 300), '.example.org/l/', toString(number)), "
    "concat('source-', toString(number % 300)), 'site', concat('linking post ', toString(number)), "
    "lower(hex(MD5(concat('linking post ', toString(number))))), 'en', "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalSecond(intDiv(number * {span:UInt64}, {links:UInt64})), "
    "toDateTime64({end:String}, 3, 'UTC') - toIntervalSecond(intDiv(number * {span:UInt64}, {links:UInt64})), "
    "[concat('https://s', toString(cityHash64(number) % 300), '.example.org/x'), "
    "concat('https://t.me/chan', toString(number % 40), '/1')], "
    "if(number % 3 = 0, concat('{\"forwarded_from\": \"https://t.me/fwd', toString(number % 25), '/9\"}'), '{}'), "
    "'bench' FROM numbers({links:UInt64})",
]


def seed(warehouse, n: int) -> None:
    generate(warehouse, n)
    bound = {"end": END.strftime("%Y-%m-%d %H:%M:%S"), "span": 90 * 86400, "links": max(n // 100, 1)}
    for sql in EXTRA:
        warehouse.command(sql, bound)


def settle(warehouse, timeout_s: float = 600) -> None:
    """Wait for the background merges the inserts started, so the pages are timed on a warehouse at rest."""
    deadline = time.monotonic() + timeout_s
    merging = "SELECT count() FROM system.merges WHERE database = 'bench'"
    while time.monotonic() < deadline and warehouse.scalar(merging):
        time.sleep(1)


def bench_pages(directory: Path, n: int, repeats: int) -> dict:
    from fastapi.testclient import TestClient

    from dashboards.accounts.models import Role
    from dashboards.accounts.passwords import hash_password
    from dashboards.accounts.users import add_user
    from dashboards.app import create_app
    from vigil.settings import load_settings
    from vigil.warehouse import EmbeddedWarehouse, migrate

    warehouse = EmbeddedWarehouse.open(directory / "warehouse", "bench")
    migrate(warehouse)
    began = time.perf_counter()
    seed(warehouse, n)
    generated = time.perf_counter() - began
    settle(warehouse)
    settings = load_settings(home=directory, warehouse={"path": directory / "warehouse", "database": "bench"},
                             dashboards={"accounts_path": directory / "accounts.sqlite3"})
    app = create_app(settings)
    add_user(app.state.accounts, "analyst", Role.analyst, hash_password("benchmark password"))
    client = TestClient(app)
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"name": "analyst", "password": "benchmark password", "csrf_token": token})
    pages = {}
    for name, path in PAGES.items():
        assert client.get(path).status_code == 200, path  # warm-up
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, path
        p95 = _percentile(samples, 0.95)
        pages[name] = {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1),
                       "ratio": round(p95 / TARGET_MS, 3), "bytes": len(response.content)}
    warehouse.close()
    return {"documents": n, "generate_s": round(generated, 1), "repeats": repeats, "pages": pages}


def _child(n: int, repeats: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="vigil-bench-") as directory:
        code = (f"import json, sys; sys.path.insert(0, {str(REPO)!r}); "
                "from benchmarks.bench_dashboards import bench_pages; from pathlib import Path; "
                f"print('RESULT ' + json.dumps(bench_pages(Path({directory!r}), {n}, {repeats})))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
        if out.returncode != 0:
            raise SystemExit(f"dashboards {n} failed:\n{out.stderr[-3000:]}")
        line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")][-1]
        return json.loads(line[len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    report = {"target_p95_ms": TARGET_MS}
    for n in args.sizes:
        result = _child(n, args.repeats)
        print(json.dumps({f"pages_{n}": result}, indent=2), flush=True)
        print(f"{n:,} documents (generated in {result['generate_s']} s), server time per page:", flush=True)
        for name, page in result["pages"].items():
            print(f"  {name:26} p50 {page['p50_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
                  f"ratio p95/target {page['ratio']:.2f}", flush=True)
        worst = max(result["pages"].values(), key=lambda p: p["p95_ms"])
        print(f"{n:,} documents: worst p95 {worst['p95_ms']} ms, ratio {worst['ratio']} (target p95 < {TARGET_MS} ms)",
              flush=True)
        result["worst"] = {"page": next(k for k, v in result["pages"].items() if v is worst), **worst}
        report[f"pages_{n}"] = result
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
