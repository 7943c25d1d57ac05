"""`vigil demo` as a user runs it: the first run crawls, generates the history, creates the demo
accounts, prints their passwords once and serves the dashboards until Ctrl-C; a second run on the
same home reuses all of it and serves within seconds. Plus the accounts step on its own."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from dashboards.accounts.passwords import verify_password
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import credentials
from dashboards.demo.run import ensure_accounts
from vigil.settings import load_settings
from vigil.warehouse import read_owner

SERVING = re.compile(r"serving the dashboards at (http://\S+)")
PASSWORD = re.compile(r"^\s+(analyst|reviewer)\s+password: (\S+)$")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_accounts_are_created_once_and_their_passwords_never_shown_again(tmp_path: Path) -> None:
    settings = load_settings(dashboards={"accounts_path": tmp_path / "accounts.sqlite3"})
    first = ensure_accounts(settings)
    assert [(a.name, a.role) for a in first] == [("analyst", "analyst"), ("reviewer", "reviewer")]
    store = AccountStore.for_settings(settings)
    for account in first:
        assert account.password and len(account.password) >= 16
        assert verify_password(credentials(store, account.name)[1], account.password)  # type: ignore[index]
    assert first[0].password != first[1].password
    second = ensure_accounts(settings)
    assert [(a.name, a.password) for a in second] == [("analyst", None), ("reviewer", None)]
    assert verify_password(credentials(store, "analyst")[1], first[0].password)  # type: ignore[index, arg-type]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Demo:
    """`vigil demo` in a child process with ``home`` as VIGIL_HOME; its output lines read as they come."""

    def __init__(self, home: Path, *args: str) -> None:
        self.started = time.monotonic()
        self.log = (home / f"demo-{time.time_ns()}.log").open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "vigil", "demo", *args], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, env={**os.environ, "VIGIL_HOME": str(home)})
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := pattern.search(line):
                    return found
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.2)
        raise AssertionError(f"no {pattern.pattern!r} within {timeout} s (exit {self.proc.poll()}):\n{self.output}\n"
                             f"{Path(self.log.name).read_text()[-4000:]}")

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C; the exit status, which must come within ``timeout`` seconds."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            self._reader.join(10)
            self.log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        self.log.close()


def _sign_in(url: str, name: str, password: str) -> httpx.Response:
    """Sign in through the login form, as a browser does; the overview page it lands on."""
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/healthz").status_code == 200
        token = CSRF.search(client.get("/login").text)
        assert token, "no CSRF field on /login"
        answer = client.post("/login", data={"name": name, "password": password, "next": "/",
                                             "csrf_token": token.group(1)})
        assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
        return client.get("/")


@pytest.mark.slow
@pytest.mark.warehouse
def test_demo_serves_the_dashboards_until_ctrl_c_and_a_second_run_reuses_everything(tmp_path: Path) -> None:
    port = _free_port()
    first = Demo(tmp_path, "--port", "0", "--dashboard-port", str(port))
    try:
        url = first.wait_for(SERVING, 600).group(1)
        first_seconds = time.monotonic() - first.started
        assert url == f"http://127.0.0.1:{port}/"
        passwords = dict(m.groups() for m in map(PASSWORD.match, first.lines) if m)
        assert set(passwords) == {"analyst", "reviewer"}, first.output
        assert re.search(r"history: [\d,]+ synthetic documents generated from 8 sources", first.output)
        assert len(re.findall(r"injected spike", first.output)) == 4
        alerts = re.search(r"alerts: \d+ raised now, (\d+) in all", first.output)
        assert alerts and int(alerts.group(1)) >= 4, first.output
        overview = _sign_in(url, "analyst", passwords["analyst"])
        assert overview.status_code == 200 and "Overview" in overview.text
        assert httpx.get(url + "readyz", timeout=30).status_code == 200
        owner = read_owner(tmp_path / "warehouse")
        assert owner is not None and owner.pid == first.proc.pid and owner.endpoint  # served to other processes
        assert first.interrupt() == 0, first.output
    finally:
        first.kill()
    assert read_owner(tmp_path / "warehouse") is None  # the warehouse was closed, its lock released

    second = Demo(tmp_path, "--port", "0", "--dashboard-port", str(port))
    try:
        second.wait_for(SERVING, 120)
        second_seconds = time.monotonic() - second.started
        assert "password:" not in second.output and "exist already" in second.output
        assert "crawled by an earlier `vigil demo`" in second.output and "reused" in second.output
        assert _sign_in(url, "analyst", passwords["analyst"]).status_code == 200  # the same account
        assert second.interrupt() == 0, second.output
    finally:
        second.kill()
    print(f"vigil demo to 'serving': first run {first_seconds:.1f} s, second run {second_seconds:.1f} s")
    assert second_seconds < 60

    summary = subprocess.run([sys.executable, "-m", "vigil", "demo", "--json"], capture_output=True, text=True,
                             env={**os.environ, "VIGIL_HOME": str(tmp_path)}, timeout=120)
    assert summary.returncode == 0, summary.stderr
    data = json.loads(summary.stdout)
    assert data["crawl"] is None and data["history_generated"] == 0 and data["url"] is None
    assert data["history"]["documents"] > 20_000 and data["alerts"] >= 4 and data["review_queue"] > 0
    assert [(a["name"], a["password"]) for a in data["accounts"]] == [("analyst", None), ("reviewer", None)]
