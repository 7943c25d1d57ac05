"""`vigil up` end to end, as a user runs it: one command, every part a supervised process.

Each test starts `vigil up` (distributed on the session's broker with two classify consumers, or
embedded) on a fresh home, crawls two sources of the demo site through the scheduler (a flow run of
the `crawl` deployment, as `prefect deployment run` makes it), and checks that every document reaches
the warehouse once with its classification, that the dashboards' API serves it, and that a reviewer's
decision posted through the API reaches `review_decisions` and the known-content bank. It kills
children with SIGKILL (a classify consumer; the dashboards, then the warehouse's owner, which comes back
as the same server to the others): the supervisor restarts them and nothing is lost. It then stops the
whole tree with SIGTERM, starts it again with a third source added, and checks that the pipeline
resumes where it stopped: the new documents arrive, none twice, and (distributed) the consumers read
only the new records.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from crawlers.demo_site.serve import DemoSite, write_sources
from vigil.supervisor import current_status
from vigil.supervisor.parts import free_port
from vigil.supervisor.process import alive
from vigil.warehouse import read_owner

REPO = Path(__file__).resolve().parents[1]
FIRST_SOURCES = ["demo-telegram", "demo-phpbb"]  # 8 messages and 5 posts
ADDED_SOURCE = "demo-discourse"  # 4 posts, crawled after the restart
PASSWORD = "correct horse battery staple"


def get_json(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, object]:
    """GET (or POST ``body``); a 503 is retried for a while, as Prefect's own client does (its SQLite
    database answers 503 while another writer holds it)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(30):
        request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or attempt == 29:
                return exc.code, exc.read().decode()
        time.sleep(1)
    raise AssertionError("unreachable")


def wait_for(what: str, check: Callable[[], object], timeout_s: float, up: "Up | None" = None) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if up is not None:
            up.assert_running(what)
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}\n{up.logs() if up else ''}")


class Up:
    """`vigil up` as a subprocess of the test, on ``home`` with the settings file ``config``."""

    def __init__(self, home: Path, config: Path, *args: str) -> None:
        self.home, self.config, self.args = home, config, args
        self.process: subprocess.Popen | None = None

    def start(self) -> "Up":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "VIGIL_"))}
        env.update(VIGIL_HOME=str(self.home), VIGIL_LOG_FORMAT="console", PREFECT_RUNNER_POLL_FREQUENCY="2")
        out = (self.home / "up.out").open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "vigil", "--config", str(self.config), "up",
                                         *self.args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        wait_for("every part of vigil up to be ready", lambda: (self.status() or {}).get("running") and self.status()[
            "supervisor"].get("ready"), 360, self)
        return self

    def status(self) -> dict | None:
        return current_status(self.home / "run" / "up.json")

    def part(self, name: str) -> dict:
        return next(part for part in self.status()["parts"] if part["name"] == name)

    @property
    def meta(self) -> dict:
        return self.status()["supervisor"]

    def assert_running(self, what: str) -> None:
        assert self.process is not None and self.process.poll() is None, (
            f"vigil up exited with {self.process.returncode} while waiting for {what}\n{self.logs()}")

    def stop(self) -> list[int]:
        """SIGTERM, as a service manager stops it; return the pids its parts had."""
        assert self.process is not None
        pids = [part["pid"] for part in self.status()["parts"] if part["pid"]]
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(120) == 0, self.logs()
        return pids

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(120)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGINT)  # a second signal: SIGKILL to every part
                self.process.wait(30)

    def logs(self) -> str:
        texts = []
        for path in [self.home / "up.out", *sorted((self.home / "run" / "logs").glob("*.log"))]:
            if path.exists():
                texts.append(f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:]))
        return "\n".join(texts)


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site


def write_registry(site: DemoSite, path: Path, ids: list[str]) -> Path:
    everything = yaml.safe_load(write_sources(site.base_url, path.with_name("all-sources.yaml")).read_text())
    path.write_text(yaml.safe_dump({"sources": [s for s in everything["sources"] if s["id"] in ids]}))
    return path


def setup_home(tmp_path: Path, site: DemoSite, **sections: dict) -> tuple[Path, Path, Path, str]:
    """A home with a settings file, the first sources and a reviewer's API token."""
    from dashboards.accounts.models import Role
    from dashboards.accounts.passwords import hash_password
    from dashboards.accounts.store import AccountStore
    from dashboards.accounts.tokens import create_token
    from dashboards.accounts.users import add_user

    home = tmp_path / "home"
    home.mkdir()
    sources = write_registry(site, tmp_path / "sources.yaml", FIRST_SOURCES)
    settings = {
        "crawl": {"sources_file": str(sources), "allow_private_networks": True, "download_delay_s": 0,
                  "autothrottle": False, "retry_backoff_s": 0.05},
        "flows": {"crawl_interval_minutes": 1440},
        "dashboards": {"port": free_port()},
        "supervisor": {"restart_backoff_s": 0.5, "health_interval_s": 1, "stop_grace_s": 20},
        **sections,
    }
    config = tmp_path / "vigil.yaml"
    config.write_text(yaml.safe_dump(settings))
    accounts = AccountStore(home / "dashboards" / "accounts.sqlite3")
    _, token = create_token(accounts, add_user(accounts, "rita", Role.reviewer, hash_password(PASSWORD)).id, "e2e")
    return home, config, sources, token


def warehouse_of(home: Path):
    """A client of the warehouse `vigil up`'s owner serves (never opening chDB in this process)."""
    from vigil.warehouse.served import RemoteWarehouse

    owner = read_owner(home / "warehouse")
    assert owner is not None and owner.endpoint, "no owner serves the warehouse"
    return RemoteWarehouse(owner.endpoint, owner.token, "vigil")


def run_crawl(up: Up) -> str:
    """Ask the scheduler for a run of the `crawl` deployment now; return the flow run's id."""
    api = up.meta["prefect_api_url"]
    status, deployment = get_json(f"{api}/deployments/name/crawl/crawl")
    assert status == 200, deployment
    status, run = get_json(f"{api}/deployments/{deployment['id']}/create_flow_run", {})
    assert status == 201, run
    return run["id"]


def crawl_finished(up: Up, run_id: str) -> None:
    api = up.meta["prefect_api_url"]
    state = wait_for("the crawl flow run to finish", lambda: (lambda s: s if s in {
        "COMPLETED", "FAILED", "CRASHED", "CANCELLED"} else None)(get_json(f"{api}/flow_runs/{run_id}")[1][
            "state"]["type"]), 300, up)
    assert state == "COMPLETED", up.logs()


def stored(home: Path) -> dict[str, int]:
    with warehouse_of(home) as warehouse:
        return warehouse.query(
            "SELECT (SELECT count() FROM documents) AS rows, (SELECT uniqExact(id) FROM documents) AS documents, "
            "(SELECT uniqExact(document_id) FROM classifications) AS classified, "
            "(SELECT count() FROM documents WHERE id NOT IN (SELECT document_id FROM classifications)) "
            "AS unclassified")[0]


def wait_stored(up: Up, documents: int) -> dict[str, int]:
    counts = wait_for(f"{documents} documents stored and classified", lambda: (lambda c: c if c["documents"] >= documents
                      and c["unclassified"] == 0 else None)(stored(up.home)), 240, up)
    assert counts["documents"] == documents and counts["rows"] == documents, counts  # each once
    return counts


def review_through_the_api(up: Up, token: str) -> tuple[str, str]:
    """Read an item through the dashboards' API and confirm it; return (document id, decision id)."""
    with warehouse_of(up.home) as warehouse:
        rows = warehouse.query("SELECT document_id, labels FROM classifications FINAL ORDER BY length(labels) DESC, "
                               "document_id LIMIT 1")
    document_id = rows[0]["document_id"]
    base = up.meta["dashboards"]
    status, item = get_json(f"{base}api/v1/items/{document_id}", token=token)
    assert status == 200, item
    assert item["document"]["id"] == document_id and item["classification"]["document_id"] == document_id
    status, decision = get_json(f"{base}api/v1/items/{document_id}/decisions",
                                {"action": "confirm", "categories": ["recruitment"]}, token=token)
    assert status == 201, decision
    return document_id, decision["decision_id"]


def decision_applied(up: Up, document_id: str, decision_id: str) -> None:
    from classifiers.known.bank import default_bank_path

    def applied() -> bool:
        with warehouse_of(up.home) as warehouse:
            found = warehouse.scalar("SELECT count() FROM review_decisions WHERE decision_id = {d:String}",
                                     {"d": decision_id})
        bank = default_bank_path(up.home)
        return found == 1 and bank.exists() and f'"review:{document_id}"' in bank.read_text()

    wait_for("the decision in review_decisions and the known-content bank", applied, 120, up)


def consumed(up: Up, stage: str) -> int:
    """Records the running consumers of ``stage`` have read, from their metrics."""
    total = 0.0
    for part in up.status()["parts"]:
        if part["name"].split("-")[0] != stage:
            continue
        port = part["argv"][part["argv"].index("--metrics-port") + 1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(f'vigil_bus_consumed_messages_total{{stage="{stage}"') and "raw-documents" in line:
                    total += float(line.rsplit(" ", 1)[1])
    return int(total)


def sigkill(up: Up, name: str) -> int:
    pid = up.part(name)["pid"]
    os.kill(pid, signal.SIGKILL)
    wait_for(f"{name} restarted", lambda: up.part(name)["restarts"] >= 1 and up.part(name)["ready"], 180, up)
    assert not alive(pid) and up.part(name)["pid"] != pid
    return pid


@pytest.mark.kafka
@pytest.mark.warehouse
@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_vigil_up_distributed_end_to_end(kafka_broker, demo_site: DemoSite, tmp_path: Path) -> None:
    home, config, sources, token = setup_home(tmp_path, demo_site, bus={
        "bootstrap_servers": kafka_broker.bootstrap, "topic_prefix": f"t{uuid.uuid4().hex[:10]}.",
        "client_id": "vigil-up-test", "session_timeout_ms": 6000, "linger_ms": 5})
    up = Up(home, config, "--distributed", "--classifiers", "2", "--flow", "crawl")
    try:
        up.start()
        names = [part["name"] for part in up.status()["parts"]]
        assert names == ["warehouse", "prefect", "classify-1", "classify-2", "sink", "feedback", "scheduler",
                         "dashboard"]  # the broker answers: used as it is
        run_id = run_crawl(up)
        wait_for("the first documents in the warehouse", lambda: stored(home)["documents"] > 0, 300, up)
        sigkill(up, "classify-1")  # mid-run: its partitions' records are redelivered, none lost
        crawl_finished(up, run_id)
        wait_stored(up, 13)
        document_id, decision_id = review_through_the_api(up, token)
        decision_applied(up, document_id, decision_id)  # through review-decisions and the feedback consumer

        pids = up.stop()
        assert not any(alive(pid) for pid in pids)
        assert up.status()["supervisor"]["state"] == "stopped"

        write_registry(demo_site, sources, [*FIRST_SOURCES, ADDED_SOURCE])
        up.start()
        crawl_finished(up, run_crawl(up))
        wait_stored(up, 17)
        # The consumers went on from their committed offsets: they read the 4 new records only.
        wait_for("the consumers' counts", lambda: consumed(up, "classify") >= 4 and consumed(up, "sink") >= 4, 60, up)
        assert consumed(up, "classify") == 4 and consumed(up, "sink") == 4
    finally:
        up.kill()


@pytest.mark.warehouse
@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_vigil_up_embedded_end_to_end(demo_site: DemoSite, tmp_path: Path) -> None:
    home, config, sources, token = setup_home(tmp_path, demo_site)
    up = Up(home, config, "--flow", "crawl")
    try:
        up.start()
        assert [part["name"] for part in up.status()["parts"]] == ["warehouse", "prefect", "scheduler", "dashboard"]
        crawl_finished(up, run_crawl(up))
        wait_stored(up, 13)
        sigkill(up, "dashboard")
        document_id, decision_id = review_through_the_api(up, token)  # the restarted dashboard
        decision_applied(up, document_id, decision_id)  # stored in process, as embedded mode does
        sigkill(up, "warehouse")  # the owner comes back on the same port with the same token
        assert stored(home)["documents"] == 13
        status, item = get_json(f"{up.meta['dashboards']}api/v1/items/{document_id}", token=token)
        assert status == 200 and item["decisions"][0]["decision_id"] == decision_id  # the dashboard never noticed
        assert up.part("dashboard")["restarts"] == 1

        pids = up.stop()
        assert not any(alive(pid) for pid in pids)

        write_registry(demo_site, sources, [*FIRST_SOURCES, ADDED_SOURCE])
        up.start()
        crawl_finished(up, run_crawl(up))
        wait_stored(up, 17)
    finally:
        up.kill()
