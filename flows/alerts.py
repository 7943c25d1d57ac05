"""Deliver each new alert once to every configured channel: a log file, a webhook, e-mail.

A delivery is recorded per (alert, channel), and only a successful one counts, so a
channel that was down gets the alert on the next try (the flows' task retries at
once, on a transient failure) while the others are not repeated.
The same channels carry flow-failure notifications (:func:`notify`).
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

from vigil.logs import counted_step, get_logger
from vigil.settings import Settings
from vigil.warehouse import Warehouse

log = get_logger(__name__)
Deliver = Callable[[dict], None]


@dataclass(frozen=True)
class Channel:
    name: str
    send: Deliver


def log_file_channel(path: Path) -> Channel:
    def send(message: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(message, ensure_ascii=False, default=str) + "\n")

    return Channel("log_file", send)


def webhook_channel(url: str, timeout_s: float = 10.0) -> Channel:
    def send(message: dict) -> None:
        body = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            if response.status >= 300:
                raise OSError(f"webhook answered {response.status}")

    return Channel("webhook", send)


def email_channel(settings: Settings, timeout_s: float = 20.0) -> Channel:
    flows = settings.flows

    def send(message: dict) -> None:
        mail = EmailMessage()
        mail["Subject"] = f"[vigil] {message.get('title', 'alert')}"
        mail["From"] = flows.alert_email_from
        mail["To"] = ", ".join(flows.alert_email_to)
        mail.set_content(json.dumps(message, ensure_ascii=False, indent=2, default=str))
        with smtplib.SMTP(flows.smtp_host or "localhost", flows.smtp_port, timeout=timeout_s) as smtp:
            if flows.smtp_port == 587:
                smtp.starttls()
            if flows.smtp_username:
                smtp.login(flows.smtp_username, flows.smtp_password.get_secret_value())
            smtp.send_message(mail)

    return Channel("email", send)


def channels(settings: Settings) -> list[Channel]:
    """The channels the settings configure; the log file is always one."""
    found = [log_file_channel(settings.flows.alert_log_file or settings.home / "alerts.jsonl")]
    if settings.flows.alert_webhook_url:
        found.append(webhook_channel(settings.flows.alert_webhook_url))
    if settings.flows.smtp_host and settings.flows.alert_email_to:
        found.append(email_channel(settings))
    return found


def pending(warehouse: Warehouse, channel: str, limit: int = 500) -> list[dict]:
    """Alerts not yet delivered successfully to ``channel``, oldest first."""
    return warehouse.query(
        "SELECT alert_id, raised_at, window_start, window_end, category, source_id, language, model_version, "
        "observed, expected, score, method, drivers, summary, late FROM alerts FINAL WHERE alert_id NOT IN "
        "(SELECT alert_id FROM alert_deliveries FINAL WHERE channel = {channel:String} AND ok) "
        "ORDER BY raised_at, alert_id LIMIT {limit:UInt32}",
        dict(channel=channel, limit=limit),
    )


def message_of(alert: dict) -> dict:
    return {"kind": "alert", "title": alert["summary"], **alert, "drivers": json.loads(alert["drivers"] or "{}")}


def deliver_alerts(warehouse: Warehouse, targets: list[Channel], *, raise_failure: bool = False) -> dict[str, int]:
    """Send every pending alert to each channel once; record each success (and each failure).

    One channel's failure never stops the others. With ``raise_failure`` (the
    flows' delivery task), the first failure is raised once every channel was
    tried and every delivery recorded, so the task's retries fire; a retry sends
    only what is still pending. Without it (``vigil run``), failures are counted
    and the next run catches up.
    """
    failures: list[Exception] = []
    with counted_step(log, "deliver_alerts") as counts:
        for channel in targets:
            records = []
            for alert in pending(warehouse, channel.name):
                try:
                    channel.send(message_of(alert))
                except Exception as exc:  # noqa: BLE001 - one channel's failure must not stop the others
                    log.warning("alert delivery failed", extra={"channel": channel.name, "error": str(exc)})
                    records.append(_delivery(alert["alert_id"], channel.name, False, str(exc)))
                    counts[f"{channel.name}_failed"] += 1
                    failures.append(exc)
                    continue
                records.append(_delivery(alert["alert_id"], channel.name, True))
                counts[f"{channel.name}_sent"] += 1
            warehouse.insert("alert_deliveries", records)
    if raise_failure and failures:
        raise failures[0]
    return dict(counts)


def _delivery(alert_id: str, channel: str, ok: bool, error: str = "") -> dict:
    return {"alert_id": alert_id, "channel": channel, "delivered_at": datetime.now(timezone.utc), "ok": ok,
            "error": error[:1000]}


def notify(targets: list[Channel], title: str, detail: dict) -> int:
    """Send a notification (e.g. a failed flow run) to every channel; return how many took it."""
    sent = 0
    for channel in targets:
        try:
            channel.send({"kind": "notification", "title": title, "at": datetime.now(timezone.utc), **detail})
            sent += 1
        except Exception as exc:  # noqa: BLE001
            log.warning("notification failed", extra={"channel": channel.name, "error": str(exc)})
    return sent
