"""Alert delivery on real chDB with real channels: each alert reaches each channel once."""

from __future__ import annotations

import json
import threading
import socketserver
from datetime import timedelta

import pytest

from flows.alerts import channels, deliver_alerts, log_file_channel, notify, webhook_channel
from flows.trends import run_trends
from tests.flows.conftest import T0, Webhook, seed_hours
from vigil.settings import load_settings
from vigil.warehouse import Warehouse

NOW = T0 + timedelta(days=10, minutes=20)


class Smtp(socketserver.ThreadingTCPServer):
    """A minimal real SMTP receiver on 127.0.0.1 (enough of RFC 5321 for smtplib)."""

    daemon_threads = True

    def __init__(self) -> None:
        self.messages: list[str] = []
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.wfile.write(b"220 test ready\r\n")
                data = False
                lines: list[str] = []
                for raw in self.rfile:
                    line = raw.decode().rstrip("\r\n")
                    if data:
                        if line == ".":
                            owner.messages.append("\n".join(lines))
                            data = False
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            lines.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb == "DATA":
                        data, lines = True, []
                        self.wfile.write(b"354 go ahead\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    elif verb == "EHLO":
                        self.wfile.write(b"250 test\r\n")
                    else:
                        self.wfile.write(b"250 ok\r\n")

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.mark.warehouse
def test_each_alert_reaches_each_channel_once_and_a_down_channel_catches_up(warehouse: Warehouse, tmp_path) -> None:
    seed_hours(warehouse, NOW, spike_at=NOW.replace(minute=0) - timedelta(hours=1))
    seed_hours(warehouse, NOW, spike_at=NOW.replace(minute=0) - timedelta(hours=2), source="second-site")
    assert run_trends(warehouse, NOW)["alerts_new"] == 2
    hook, smtp = Webhook(), Smtp()
    settings = load_settings(home=tmp_path, flows={
        "alert_webhook_url": hook.url, "smtp_host": "127.0.0.1", "smtp_port": smtp.server_address[1],
        "alert_email_to": ["analysts@example.org"]})
    targets = channels(settings)
    assert [c.name for c in targets] == ["log_file", "webhook", "email"]

    hook.failing = True
    first = deliver_alerts(warehouse, targets)
    assert first == {"log_file_sent": 2, "webhook_failed": 2, "email_sent": 2}
    hook.failing = False
    assert deliver_alerts(warehouse, targets) == {"webhook_sent": 2}
    assert deliver_alerts(warehouse, targets) == {}

    logged = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert len(logged) == 2 and {a["source_id"] for a in logged} == {"synthetic-news", "second-site"}
    assert all(a["drivers"]["model_version"] == "test-markers-1" for a in logged)
    assert len(hook.received) == 2 and hook.received[0]["kind"] == "alert"
    assert len(smtp.messages) == 2 and "Subject: [vigil] racism in" in smtp.messages[0]
    hook.shutdown()
    smtp.shutdown()


def test_notifications_go_to_every_channel_that_takes_them(tmp_path) -> None:
    hook = Webhook()
    sent = notify([log_file_channel(tmp_path / "n.jsonl"), webhook_channel(hook.url),
                   webhook_channel("http://127.0.0.1:9/unreachable", timeout_s=2)],
                  "flow run x of trends failed", {"flow": "trends"})
    assert sent == 2
    assert json.loads((tmp_path / "n.jsonl").read_text())["title"] == "flow run x of trends failed"
    assert hook.received[0]["flow"] == "trends"
    hook.shutdown()
