"""Serve the demo site on 127.0.0.1 (a real threaded HTTP server), for tests and ``make demo``.

Static files come from ``site/``; a few routes are dynamic because a static
file cannot express them: Telegram-style ``?before=`` paging, Discourse's
``posts.json?post_ids[]=``, a 50 MB page, a binary body sent as text/html and a
page that fails once with 503 before it succeeds, and generated articles for
benchmarks (:mod:`crawlers.demo_site.bench_pages`).

    python -m crawlers.demo_site.serve --sources demo-sources.yaml
"""

from __future__ import annotations

import argparse
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from crawlers.demo_site import bench_pages

SITE = Path(str(resources.files("crawlers.demo_site") / "site"))
TEMPLATE = Path(str(resources.files("crawlers.demo_site") / "sources.yaml"))
HUGE_BYTES = 50 * 1024 * 1024
CONTENT_TYPES = {".html": "text/html", ".xml": "application/xml", ".json": "application/json",
                 ".pdf": "application/pdf", ".txt": "text/plain"}
SPECIAL_TYPES = {"feeds/rss.xml": "application/rss+xml", "feeds/atom.xml": "application/atom+xml",
                 "news/ru-football-koi8.html": "text/html; charset=koi8-r",
                 # the page is UTF-8; header and meta both claim windows-1251
                 "news/ru-river-wrong-charset.html": "text/html; charset=windows-1251"}
ALIASES = {"forum/xf/threads/community-iftar.15": "forum/xf/community-iftar.15.html",
           "forum/xf/threads/community-iftar.15/page-2": "forum/xf/community-iftar.15-page-2.html",
           "t/community-garden/42": "t/42.json", "s/riverside_daily": "tg/riverside_daily.html"}


class DemoHandler(BaseHTTPRequestHandler):
    server: "DemoServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.strip("/")
        query = parse_qs(parts.query)
        self.server.hits[path or "index.html"] += 1
        if path == "bench/sitemap.xml":
            return self._send(200, bench_pages.sitemap(int(query.get("n", ["200"])[0])), "application/xml")
        if path.startswith("bench/article-") and path.endswith(".html"):
            return self._send(200, bench_pages.article(int(path[len("bench/article-"):-5])), "text/html")
        if path == "huge.html":
            return self._huge()
        if path == "binary.html":
            return self._send(200, bytes(range(256)) * 64, "text/html")
        if path == "flaky.html":
            if self.server.hits[path] == 1:
                return self._send(503, b"try again", "text/plain", {"Retry-After": "0"})
            path = "news/en-extremism-research.html"
        if path == "t/42/posts.json":
            wanted = {int(i) for i in query.get("post_ids[]", [])}
            posts = json.loads((SITE / "t/42/posts-all.json").read_text(encoding="utf-8"))["post_stream"]["posts"]
            body = json.dumps({"post_stream": {"posts": [p for p in posts if p["id"] in wanted]}})
            return self._send(200, body.encode(), "application/json")
        if path == "s/riverside_daily" and query.get("before") == ["5"]:
            path = "tg/riverside_daily-before-5.html"
        path = ALIASES.get(path, path) or "index.html"
        file = (SITE / path).resolve()
        if file.is_dir():
            file = file / "index.html"
        if SITE.resolve() not in file.parents or not file.is_file():
            return self._send(404, b"<html><body>not found</body></html>", "text/html")
        content_type = SPECIAL_TYPES.get(path) or CONTENT_TYPES.get(file.suffix, "application/octet-stream")
        self._send(200, file.read_bytes(), content_type)

    def _huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"<p>" + b"archive " * 127 + b"</p>\n"
        try:
            for _ in range(HUGE_BYTES // len(chunk)):
                self.wfile.write(chunk)
            self.wfile.write(b" " * (HUGE_BYTES % len(chunk)))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler is expected to hang up once it sees the size


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int]):
        super().__init__(address, DemoHandler)
        self.hits: Counter[str] = Counter()


class DemoSite:
    """The demo site served on 127.0.0.1 in a background thread; ``port=0`` picks a free port."""

    def __init__(self, port: int = 0):
        self.server = DemoServer(("127.0.0.1", port))
        self._thread = threading.Thread(target=self.server.serve_forever, name="demo-site", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def hits(self) -> Counter[str]:
        """Requests received per path, for tests (e.g. robots.txt-disallowed paths stay at zero)."""
        return self.server.hits

    def start(self) -> "DemoSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "DemoSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def write_sources(base_url: str, path: Path) -> Path:
    """Write the demo sources registry for a server at ``base_url``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.read_text(encoding="utf-8").replace("{base_url}", base_url.rstrip("/")),
                    encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve Vigil's synthetic demo site on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    parser.add_argument("--sources", type=Path, help="also write a sources registry for it here")
    args = parser.parse_args()
    site = DemoSite(args.port)
    if args.sources:
        write_sources(site.base_url, args.sources)
        print(f"sources registry: {args.sources}", flush=True)
    print(f"demo site: {site.base_url} (Ctrl-C to stop)", flush=True)
    try:
        site.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        site.server.server_close()


if __name__ == "__main__":
    main()
