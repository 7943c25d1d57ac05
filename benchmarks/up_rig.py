"""`vigil up` as the end-to-end benchmark and the dashboard/scheduler fault run it: a home with a settings
file, a sources registry on the demo site and an API token; the supervisor as a child process; the
Prefect API (a run of the crawl deployment now); the dashboards' API; the warehouse through its owner;
and the peak memory (VmHWM) of every part `vigil up` started, read from ``<home>/run/up.json``.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.fault_rig import Proc, base_env  # noqa: E402
from vigil.supervisor.parts import free_port  # noqa: E402

FINISHED = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def http(url: str, body: dict | None = None, token: str | None = None, timeout_s: float = 30,
         busy_retries: int = 0) -> tuple[int, object]:
    """GET (or POST ``body``) JSON; (status, answer). A refused connection raises OSError. A 503 is asked
    again ``busy_retries`` times, a second apart, as Prefect's own client does (its SQLite database answers
    503 while another writer holds it)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(busy_retries + 1):
        request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == busy_retries:
                return exc.code, exc.read().decode(errors="replace")
        time.sleep(1)
    raise AssertionError("unreachable")


def demo_site(logs: Path, name: str = "demo-site") -> tuple[Proc, str]:
    """The demo site in a process of its own (so serving shares no GIL with the crawl); its base URL."""
    site = Proc(name, [sys.executable, "-m", "crawlers.demo_site.serve"], base_env(), logs / f"{name}.log").start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = site.log.read_text(errors="replace") if site.log.exists() else ""
        found = re.search(r"demo site: (http://\S+)", text)
        if found:
            return site, found.group(1).rstrip("/")
        time.sleep(0.2)
    site.stop()
    raise RuntimeError(f"the demo site did not start:\n{site.tail()}")


def sitemap_source(source_id: str, base_url: str, pages: int) -> dict:
    return {"id": source_id, "kind": "sitemap", "url": f"{base_url}/bench/sitemap.xml?n={pages}",
            "sitemap": {"max_pages": pages + 10}}


class UpHome:
    """A fresh home for `vigil up`: its settings file (rewritten between flow runs: each run reads it),
    its registry, and an API token of a reviewer (who may also read what analysts read)."""

    def __init__(self, home: Path, bus: dict | None = None) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.config, self.registry = home / "vigil.yaml", home / "sources.yaml"
        self.settings: dict = {
            "crawl": {"sources_file": str(self.registry), "allow_private_networks": True, "download_delay_s": 0,
                      "autothrottle": False, "retry_backoff_s": 0.05, "concurrency_per_domain": 8},
            "flows": {"crawl_interval_minutes": 1440},
            "dashboards": {"port": free_port()},
            "supervisor": {"restart_backoff_s": 0.5, "health_interval_s": 1, "stop_grace_s": 20},
        }
        if bus:
            self.settings["bus"] = bus
        self.write_sources([])
        self.write_settings()
        self.token = self._token()

    def write_settings(self, **crawl: object) -> None:
        self.settings["crawl"].update(crawl)
        self.config.write_text(yaml.safe_dump(self.settings), encoding="utf-8")

    def write_sources(self, sources: list[dict]) -> None:
        self.registry.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")

    def _token(self) -> str:
        from dashboards.accounts.models import Role
        from dashboards.accounts.passwords import hash_password
        from dashboards.accounts.store import AccountStore
        from dashboards.accounts.tokens import create_token
        from dashboards.accounts.users import add_user

        accounts = AccountStore(self.home / "dashboards" / "accounts.sqlite3")
        user = add_user(accounts, "bench-reviewer", Role.reviewer, hash_password("a long benchmark password"))
        return create_token(accounts, user.id, "bench")[1]


class Up:
    """`vigil up ARGS` on ``home`` as a child of this process, in a session of its own."""

    def __init__(self, home: UpHome, *args: str, env: dict[str, str] | None = None) -> None:
        self.home, self.args, self.extra_env = home, args, env or {}
        self.process: subprocess.Popen | None = None

    def start(self, timeout_s: float = 600) -> float:
        """Start it and wait until every part is ready; return the seconds that took."""
        env = {**base_env(), "VIGIL_HOME": str(self.home.home), "VIGIL_LOG_FORMAT": "json", "HF_HUB_OFFLINE": "1",
               "PREFECT_RUNNER_POLL_FREQUENCY": "2", **self.extra_env}
        began = time.monotonic()
        with (self.home.home / "up.out").open("ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "vigil", "--config", str(self.home.config), "up",
                                             *self.args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self.wait("every part of vigil up to be ready",
                  lambda: (self.status() or {}).get("running") and self.status()["supervisor"].get("ready"), timeout_s)
        return time.monotonic() - began

    def status(self) -> dict | None:
        from vigil.supervisor import current_status

        return current_status(self.home.home / "run" / "up.json")

    def part(self, name: str) -> dict:
        return next(p for p in (self.status() or {}).get("parts", []) if p["name"] == name)

    @property
    def meta(self) -> dict:
        return (self.status() or {}).get("supervisor", {})

    def wait(self, what: str, check, timeout_s: float, pause_s: float = 1.0) -> object:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"vigil up exited with {self.process.returncode} while waiting for {what}\n"
                                   f"{self.logs()}")
            try:
                result = check()
            except OSError:
                result = None
            if result:
                return result
            time.sleep(pause_s)
        raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}\n{self.logs()}")

    def stop(self, timeout_s: float = 180) -> int | None:
        """SIGTERM, as a service manager stops it; a second signal (SIGINT: kill every part) if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGINT)
            return self.process.wait(60)

    def logs(self, lines: int = 20) -> str:
        paths = [self.home.home / "up.out", *sorted((self.home.home / "run" / "logs").glob("*.log"))]
        return "\n".join(f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-lines:])
                         for p in paths if p.exists())

    # -- Prefect --------------------------------------------------------------------------------------

    def run_crawl(self) -> str:
        """A run of the `crawl` deployment now, as `prefect deployment run` makes it; its flow run id."""
        api = self.meta["prefect_api_url"]
        status, deployment = http(f"{api}/deployments/name/crawl/crawl", busy_retries=30)
        if status != 200:
            raise RuntimeError(f"no crawl deployment: {status} {deployment}")
        status, run = http(f"{api}/deployments/{deployment['id']}/create_flow_run", {}, busy_retries=30)
        if status != 201:
            raise RuntimeError(f"could not create a flow run: {status} {run}")
        return run["id"]

    def flow_run(self, run_id: str) -> dict:
        status, run = http(f"{self.meta['prefect_api_url']}/flow_runs/{run_id}", busy_retries=10)
        return run if status == 200 else {}

    def flow_state(self, run_id: str) -> str:
        return ((self.flow_run(run_id).get("state") or {}).get("type")) or "UNKNOWN"

    def wait_flow(self, run_id: str, timeout_s: float = 900) -> str:
        return self.wait("the crawl flow run to finish",
                         lambda: (lambda s: s if s in FINISHED else None)(self.flow_state(run_id)), timeout_s)

    # -- the dashboards and the warehouse ---------------------------------------------------------------

    def visible(self, source_id: str) -> int | None:
        """How many documents of ``source_id`` the dashboards' API lists (None while it does not answer)."""
        url = f"{self.meta['dashboards']}api/v1/documents?source={source_id}&start=2000-01-01&end=2099-12-31"
        try:
            status, page = http(url, token=self.home.token, timeout_s=20)
        except OSError:
            return None
        return int(page["total"]) if status == 200 else None

    def visible_classified(self, source_id: str) -> int | None:
        """How many documents of ``source_id`` the dashboards' API lists that also carry a classification:
        what an analyst sees on the trend pages. (The API lists stored documents before any model has
        labelled one, so the count alone would call a document visible before it is classified.)"""
        listed = self.visible(source_id)
        if listed is None:
            return None
        try:
            with self.warehouse() as wh:
                classified = int(wh.scalar(
                    "SELECT uniqExact(document_id) FROM classifications WHERE document_id IN "
                    "(SELECT id FROM documents WHERE source_id = {s:String})", {"s": source_id}))
        except Exception:  # noqa: BLE001 - the owner restarting: not visible yet
            return None
        return min(listed, classified)

    def warehouse(self):
        from vigil.warehouse import read_owner
        from vigil.warehouse.served import RemoteWarehouse

        owner = read_owner(self.home.home / "warehouse")
        if owner is None or not owner.endpoint:
            raise RuntimeError("no owner serves the warehouse")
        return RemoteWarehouse(owner.endpoint, owner.token, "vigil")


def peak_rss_kb(pid: int) -> tuple[int, str] | None:
    """(VmHWM in kB, command) of a live process."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return (int(found.group(1)), command) if found else None


def descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


class MemorySampler(threading.Thread):
    """Samples the peak RSS (VmHWM) of every part in up.json, and the largest of each part's descendants
    (Prefect's server under `flows server`, a flow run and its crawl under the scheduler), every ``every_s``."""

    def __init__(self, up: Up, every_s: float = 2.0) -> None:
        super().__init__(daemon=True, name="memory")
        self.up, self.every_s = up, every_s
        self.parts: dict[str, dict] = {}
        self.stop = threading.Event()

    def sample(self) -> None:
        for part in (self.up.status() or {}).get("parts", []):
            if not part.get("alive"):
                continue
            entry = self.parts.setdefault(part["name"], {"peak_rss_mb": 0, "descendant_peak_rss_mb": 0,
                                                         "descendant": ""})
            own = peak_rss_kb(part["pid"])
            if own:
                entry["peak_rss_mb"] = max(entry["peak_rss_mb"], round(own[0] / 1024))
            for child in descendants(part["pid"]):
                found = peak_rss_kb(child)
                if found and found[0] / 1024 > entry["descendant_peak_rss_mb"]:
                    entry["descendant_peak_rss_mb"] = round(found[0] / 1024)
                    entry["descendant"] = _short(found[1])

    def run(self) -> None:
        while not self.stop.wait(self.every_s):
            try:
                self.sample()
            except Exception:  # noqa: BLE001 - a process that ended between two reads
                pass


def _short(command: str) -> str:
    words = command.split()
    if "-m" in words:  # python -m MODULE ARGS: the module and its arguments
        words = words[words.index("-m") + 1:]
    return " ".join(words)[:60]
