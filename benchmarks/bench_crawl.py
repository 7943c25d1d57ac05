"""Documents per second of the full crawl pipeline versus bare Scrapy fetching the same pages.

Both sides run Scrapy in a fresh child process against the demo site's
generated benchmark articles on 127.0.0.1 (``/bench/sitemap.xml?n=N``), with
the same concurrency and no politeness delay. The bare side fetches the
sitemap and every page and does nothing with them; the full side adds the
Vigil middlewares (address guard, content gate, charset decoding, backoff
retry), trafilatura extraction, lingua language detection, entities, SimHash,
the dedupe state and the output channel, and the parent validates each
Document. Prints both rates end to end (child start-up, imports and language
model loading included) and in steady state (first to last page), their
ratios (target >= 0.5) and each crawl process's peak memory.

    .venv/bin/python benchmarks/bench_crawl.py [--pages 600] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_CHILD = r'''
import re, sys, time, resource, scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    pages = 0
    first = last = 0.0
    async def start(self):
        yield scrapy.Request(sys.argv[1], callback=self.parse_sitemap)
    def parse_sitemap(self, response):
        for loc in re.findall(r"<loc>([^<]+)</loc>", response.text):
            yield response.follow(loc, callback=self.parse_page)
    def parse_page(self, response):
        Bare.pages += 1
        Bare.last = time.time()
        Bare.first = Bare.first or Bare.last

process = CrawlerProcess(settings={"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": int(sys.argv[2]), "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True,
    "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
    "WARN_ON_GENERATOR_RETURN_VALUE": False})  # the spider is given with -c: no source to inspect
process.crawl(Bare)
process.start()
print(Bare.pages, Bare.last - Bare.first, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
'''


class NullSink:
    """Counts documents; the benchmark measures the crawl, not a file or broker."""

    def __init__(self) -> None:
        self.count = 0
        self.first = self.last = 0.0

    def send(self, document) -> None:
        self.count += 1
        self.last = time.time()
        self.first = self.first or self.last

    def flush(self) -> None:
        pass


def bare(sitemap_url: str, concurrency: int) -> tuple[int, float, float, int]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BARE_CHILD, sitemap_url, str(concurrency)],
                          check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    pages, steady, peak = done.stdout.split()[-3:]
    return int(pages), elapsed, float(steady), int(peak)


def full(sitemap_url: str, concurrency: int, home: Path) -> tuple[int, float, float, int | None]:
    from crawlers.run import crawl
    from crawlers.sources import Source
    from vigil.settings import load_settings

    settings = load_settings(home=home, crawl={"download_delay_s": 0, "autothrottle": False,
                                               "concurrency_per_domain": concurrency})
    sink = NullSink()
    source = Source(id="bench", kind="sitemap", url=sitemap_url, sitemap={"max_pages": 1_000_000})
    started = time.perf_counter()
    report = crawl([source], sink, settings)
    elapsed = time.perf_counter() - started
    return sink.count, elapsed, sink.last - sink.first, report.sources["bench"].peak_memory_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8, help="requests per domain, both sides")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    os.environ["VIGIL_ALLOW_PRIVATE_NETWORKS"] = "1"
    # The site runs in its own process so that serving does not share a GIL with the crawl's parent.
    server = subprocess.Popen([sys.executable, "-m", "crawlers.demo_site.serve"], stdout=subprocess.PIPE, text=True)
    try:
        base_url = re.search(r"http://\S+", server.stdout.readline()).group(0)
        url = f"{base_url}/bench/sitemap.xml?n={args.pages}"
        with tempfile.TemporaryDirectory() as home:
            bare_pages, bare_s, bare_steady, bare_peak = bare(url, args.concurrency)
            docs, full_s, full_steady, full_peak = full(url, args.concurrency, Path(home))
    finally:
        server.terminate()
        server.wait()
    bare_rate, full_rate = bare_pages / bare_s, docs / full_s
    print(f"bare scrapy : {bare_pages} pages in {bare_s:.1f}s = {bare_rate:.1f} pages/s "
          f"(steady state {bare_pages / bare_steady:.1f}/s), peak RSS {bare_peak / 2**20:.0f} MiB")
    print(f"full crawl  : {docs} documents in {full_s:.1f}s = {full_rate:.1f} documents/s "
          f"(steady state {docs / full_steady:.1f}/s), peak RSS {(full_peak or 0) / 2**20:.0f} MiB")
    print(f"ratio full/bare: {full_rate / bare_rate:.2f} end to end (process start-up and model loading "
          f"included), {(docs / full_steady) / (bare_pages / bare_steady):.2f} steady state (target >= 0.5)")
    if args.json:
        args.json.write_text(json.dumps({
            "pages": args.pages, "concurrency": args.concurrency,
            "bare": {"pages": bare_pages, "seconds": round(bare_s, 2), "pages_per_s": round(bare_rate, 1),
                     "steady_pages_per_s": round(bare_pages / bare_steady, 1), "peak_rss_mb": round(bare_peak / 2**20)},
            "full": {"documents": docs, "seconds": round(full_s, 2), "docs_per_s": round(full_rate, 1),
                     "steady_docs_per_s": round(docs / full_steady, 1), "peak_rss_mb": round((full_peak or 0) / 2**20)},
            "ratio_end_to_end": round(full_rate / bare_rate, 3),
            "ratio_steady": round((docs / full_steady) / (bare_pages / bare_steady), 3),
        }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
